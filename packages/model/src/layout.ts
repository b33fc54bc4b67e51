/**
 * Where a service lives in the project: every path the generator writes or scaffolds, the folders it
 * owns, and the kit packages that generated code imports. The generator, the local cloud, the bench
 * and the MCP server all take paths from here, so a path is spelled once.
 *
 * Paths are relative to the project root, with forward slashes.
 *
 * @module
 */
import path from 'node:path';

/** The npm scope of the kit's workspace packages (`packages/*`). */
export const KIT_SCOPE = '@kiro-serverless';

/** The kit packages that generated and scaffolded files import. */
export const KIT_PACKAGES = {
  /** What handlers and generated entries import: clients, config, batch, idempotency, HTTP. */
  runtime: `${KIT_SCOPE}/runtime`,
  /** The CDK constructs the generated stacks are built from. */
  constructs: `${KIT_SCOPE}/constructs`,
  /** Event builders and helpers for the service's own tests. */
  testing: `${KIT_SCOPE}/testing`,
} as const;

/** The folder of the service specs. */
export const SPEC_DIR = 'specs';
/** The JSON Schema of the spec format, generated for editors. */
export const SCHEMA_FILE = `${SPEC_DIR}/schema/service.schema.json`;
/** The first line of every spec: tells the YAML language server which schema to use. */
export const SCHEMA_MODELINE = '# yaml-language-server: $schema=./schema/service.schema.json';

/** Lambda entries and their types (generated). */
export const GENERATED_SRC_DIR = 'src/generated';
/** One CDK stack per spec and their index (generated). */
export const GENERATED_INFRA_DIR = 'infra/generated';
/** Business logic, one file per function (scaffolded once, then the user's). */
export const HANDLERS_DIR = 'src/handlers';
/** Tests of the business logic (scaffolded once, then the user's). */
export const HANDLER_TESTS_DIR = 'test/handlers';

/** Folders whose files carrying the generated header belong to the generator (orphans are deleted). */
export const OWNED_DIRS = [GENERATED_SRC_DIR, GENERATED_INFRA_DIR, `${SPEC_DIR}/schema`] as const;
/** Folders of scaffolds: files here are the user's once written. */
export const SCAFFOLD_DIRS = [HANDLERS_DIR, HANDLER_TESTS_DIR] as const;

/** The generated index of every service's stack class, read by infra/app.ts. */
export const STACKS_INDEX = `${GENERATED_INFRA_DIR}/stacks.ts`;

interface ServiceRef { readonly service: string }
interface FunctionRef { readonly fileName: string }

/** `src/generated/<service>/<function>.ts`: the Lambda entry (`export const handler`). */
export function entryPath(model: ServiceRef, fn: FunctionRef): string {
  return `${GENERATED_SRC_DIR}/${model.service}/${fn.fileName}.ts`;
}

/** `src/generated/<service>/<function>.types.ts`: the types the business logic implements. */
export function typesPath(model: ServiceRef, fn: FunctionRef): string {
  return `${GENERATED_SRC_DIR}/${model.service}/${fn.fileName}.types.ts`;
}

/** `src/handlers/<service>/<function>.ts`: the business logic. */
export function handlerPath(model: ServiceRef, fn: FunctionRef): string {
  return `${HANDLERS_DIR}/${model.service}/${fn.fileName}.ts`;
}

/** `test/handlers/<service>/<function>.test.ts`: the test of the business logic. */
export function handlerTestPath(model: ServiceRef, fn: FunctionRef): string {
  return `${HANDLER_TESTS_DIR}/${model.service}/${fn.fileName}.test.ts`;
}

/** `infra/generated/<service>-stack.ts`: the service's CDK stack. */
export function stackPath(model: ServiceRef): string {
  return `${GENERATED_INFRA_DIR}/${model.service}-stack.ts`;
}

/** `specs/<service>.scenario.ts` beside `specs/<service>.yaml`: what `npm start` runs for that spec. */
export function scenarioPath(specFile: string): string {
  return specFile.replace(/\.ya?ml$/, '.scenario.ts');
}

/** The service and function a scaffold path names (`src/handlers/<s>/<f>.ts`, `test/handlers/<s>/<f>.test.ts`). */
export function scaffoldOwner(rel: string): { readonly service: string; readonly fileName: string } | undefined {
  const match = SCAFFOLD_PATH.exec(rel);
  return match ? { service: match[1] as string, fileName: match[2] as string } : undefined;
}
const SCAFFOLD_PATH = new RegExp(`^(?:${HANDLERS_DIR}|${HANDLER_TESTS_DIR})/([^/]+)/([^/]+?)(?:\\.test)?\\.ts$`);

/**
 * The ES module specifier by which project file `from` imports project file `to`: relative, with the
 * `.js` extension NodeNext resolution wants (`../../handlers/orders/create-order.js`).
 */
export function importSpecifier(from: string, to: string): string {
  const rel = path.posix.relative(path.posix.dirname(from), to).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
