/**
 * Type-checks generated stack files on their own, in memory, with the repo's compiler options
 * (strict, noUnusedLocals, verbatimModuleSyntax, ...). `aws-cdk-lib`, `constructs` and
 * packages/constructs are small stand-ins here: this proves the file is well-formed TypeScript (no
 * undeclared, duplicate or unused names, imports that exist and are used as values or types as they
 * should be), fast, and apart from the constructs' own API. The check against the real constructs
 * and CDK is generated-project.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './project.js';

/** Where the in-memory project lives (never touched on disk). */
const VIRTUAL = '/virtual-project';

/** What a generated stack may use of each module, loosely typed beyond the names themselves. */
const STUBS: Readonly<Record<string, string>> = {
  'package.json': '{ "name": "virtual-project", "type": "module" }',
  'node_modules/constructs/package.json': '{ "name": "constructs", "type": "module", "types": "./index.d.ts" }',
  'node_modules/constructs/index.d.ts': 'export declare class Construct {\n  constructor(scope: Construct | undefined, id: string);\n}\n',
  'node_modules/aws-cdk-lib/package.json': '{ "name": "aws-cdk-lib", "type": "module", "types": "./index.d.ts" }',
  'node_modules/aws-cdk-lib/index.d.ts': `import { Construct } from 'constructs';
export interface StackProps { readonly description?: string }
export declare class Stack extends Construct {
  constructor(scope: Construct, id: string, props?: StackProps);
}
export declare class CfnOutput extends Construct {
  constructor(scope: Construct, id: string, props: { readonly value: string; readonly description?: string });
}
`,
  'node_modules/@kiro-serverless/constructs/package.json': '{ "name": "@kiro-serverless/constructs", "type": "module", "types": "./index.d.ts" }',
  'node_modules/@kiro-serverless/constructs/index.d.ts': `import { Construct } from 'constructs';
type Loose = any;
export declare class ServiceTable extends Construct { constructor(scope: Construct, id: string, props: Loose); readonly table: Loose }
export declare class ServiceBucket extends Construct {
  constructor(scope: Construct, id: string, props?: Loose);
  readonly bucket: Loose;
  grantRead(fn: ServiceFunction): void;
  grantWrite(fn: ServiceFunction): void;
}
export declare class ServiceQueue extends Construct { constructor(scope: Construct, id: string, props: Loose); readonly queue: Loose }
export declare class ServiceTopic extends Construct { constructor(scope: Construct, id: string, props: Loose); readonly topic: Loose; subscribeQueue(queue: ServiceQueue): void }
export declare class IdempotencyTable extends Construct { constructor(scope: Construct, id: string, props?: Loose); readonly table: Loose }
export declare class ServiceHttpApi extends Construct {
  constructor(scope: Construct, id: string, props?: Loose);
  readonly api: Loose;
  addRoute(method: string, path: string, target: ServiceFunction): void;
}
export declare class ServiceFunction extends Construct {
  constructor(scope: Construct, id: string, props: Loose);
  readonly function: Loose;
  consumeStream(table: ServiceTable, options: Loose): void;
  consumeQueue(queue: ServiceQueue, options: Loose): void;
  subscribeTo(topic: ServiceTopic): void;
  runOnSchedule(expression: string): void;
}
`,
};

function compilerOptions(): ts.CompilerOptions {
  const json = ts.parseConfigFileTextToJson('tsconfig.base.json', readFileSync(path.join(REPO_ROOT, 'tsconfig.base.json'), 'utf8'));
  const { options, errors } = ts.convertCompilerOptionsFromJson((json.config as { compilerOptions: unknown }).compilerOptions, REPO_ROOT);
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]!.messageText, '\n'));
  // No @types/node in the in-memory project; a stack needs none.
  return { ...options, types: [], noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false };
}

/**
 * The errors tsc reports for `files` (project-relative path to text, e.g.
 * `infra/generated/orders-stack.ts`), as `path:line:column TScode message`; [] when there are none.
 */
export function typeErrors(files: Readonly<Record<string, string>>): string[] {
  const options = compilerOptions();
  const virtual = new Map(Object.entries({ ...STUBS, ...files }).map(([rel, text]) => [`${VIRTUAL}/${rel}`, text]));
  const dirs = new Set([...virtual.keys()].flatMap((file) => {
    const parts = file.split('/');
    return parts.slice(1, -1).map((_, i) => parts.slice(0, i + 2).join('/'));
  }));
  const host = ts.createCompilerHost(options);
  const real = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host), directoryExists: host.directoryExists?.bind(host) };
  host.getCurrentDirectory = () => VIRTUAL;
  host.fileExists = (file) => virtual.has(file) || (!file.startsWith(`${VIRTUAL}/`) && real.fileExists(file));
  host.readFile = (file) => virtual.get(file) ?? (file.startsWith(`${VIRTUAL}/`) ? undefined : real.readFile(file));
  host.directoryExists = (dir) => dirs.has(dir) || (!dir.startsWith(VIRTUAL) && (real.directoryExists?.(dir) ?? false));
  host.realpath = (p) => p;
  host.getSourceFile = (file, language, onError) => {
    const text = virtual.get(file);
    return text === undefined ? real.getSourceFile(file, language, onError) : ts.createSourceFile(file, text, language);
  };
  const roots = Object.keys(files).map((rel) => `${VIRTUAL}/${rel}`);
  const program = ts.createProgram({ rootNames: roots, options, host });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return `TS${d.code} ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.posix.relative(VIRTUAL, d.file.fileName)}:${line + 1}:${character + 1} TS${d.code} ${message}`;
  });
}
