/**
 * `src/generated/<service>/<function>.ts`: the Lambda entry (`export const handler`). At INIT it reads
 * and validates the environment, binds the business logic to its resources and composes the
 * wrappers of its trigger (batching, HTTP mapping, idempotency, logging and metrics). Per invocation
 * it only runs them.
 */
import { IDEMPOTENCY_TABLE_ENV } from '@kiro-serverless/model/environment';
import { entryPath, handlerPath, importSpecifier as importPath, KIT_PACKAGES, typesPath } from '@kiro-serverless/model/layout';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { tsHeader } from '../header.js';
import { keyJmesPath } from './idempotency-key.js';
import { idempotencyKeyOf, resourceGroups } from './resources.js';
import { rendererOf, TRIGGER_RENDERERS } from './triggers/trigger-renderers.js';
import { importSpecifier, key, localName, sentence, str } from './ts.js';
import { typeNames } from './types.js';

const RUNTIME_PACKAGE = KIT_PACKAGES.runtime;

/** Every name an entry declares or imports besides the business logic (its trigger's wrappers included). */
const ENTRY_NAMES: ReadonlySet<string> = new Set([
  'config', 'resources', 'handler', 'withObservability', 'loadConfig', 'envString', 'envArn', 'envUrl', 'envValue',
  'idempotent', 'withResources', ...Object.values(TRIGGER_RENDERERS).flatMap((r) => r.entryNames),
]);

/** The entry's name for the business-logic function (renamed on import if it clashes with the entry's own names). */
function logicName(fn: FunctionModel): string {
  return localName(fn.id, ENTRY_NAMES, 'Logic');
}

/** Runtime imports, by module, collected while composing. */
class Imports {
  readonly #byModule = new Map<string, Set<string>>();
  add(module: string, ...names: string[]): void {
    const set = this.#byModule.get(module) ?? new Set<string>();
    for (const n of names) set.add(n);
    this.#byModule.set(module, set);
  }
  render(): string {
    return [...this.#byModule].sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([module, names]) => `import { ${[...names].sort().join(', ')} } from '${module}';`).join('\n');
  }
}

function configBlock(model: ServiceModel, fn: FunctionModel, imports: Imports): string {
  const lines: string[] = [];
  const helpers = new Set<string>();
  if (idempotencyKeyOf(fn)) {
    lines.push(`  ${IDEMPOTENCY_TABLE_ENV}: envString('the name of the idempotency table'),`);
    helpers.add('envString');
  }
  for (const group of resourceGroups(model, fn)) {
    for (const e of group.entries) {
      lines.push(`  ${key(e.variable.name)}: ${e.schema}(${str(e.description)}),`);
      helpers.add(e.schema);
    }
  }
  if (lines.length === 0) return '';
  imports.add(`${RUNTIME_PACKAGE}/config`, 'loadConfig', ...helpers);
  return `/** Read and validated once, at INIT: a missing or malformed variable fails the cold start and is named. */\nconst config = loadConfig({\n${lines.join('\n')}\n});\n`;
}

function resourcesBlock(model: ServiceModel, fn: FunctionModel): string {
  const { resources } = typeNames(fn);
  const groups = resourceGroups(model, fn);
  const body = groups.map((g) => {
    const entries = g.entries.map((e) => `${key(e.property)}: config.${e.variable.name}`).join(', ');
    return `  ${g.name}: { ${entries} },`;
  });
  return `const resources: ${resources} = ${groups.length === 0 ? '{}' : `{\n${body.join('\n')}\n}`};\n`;
}

function idempotencyOptions(model: ServiceModel, fn: FunctionModel): string | undefined {
  const idem = idempotencyKeyOf(fn);
  if (!idem) return undefined;
  return `{\n  key: ${str(keyJmesPath(fn.trigger, idem.key))},\n  expiresAfterSeconds: ${idem.expiresAfterSeconds},\n  tableName: config.${IDEMPOTENCY_TABLE_ENV},\n  keyPrefix: ${str(`${model.service}.${fn.id}`)},\n}`;
}

/** The wrapped handler expression, innermost first: the trigger's wrappers around the business logic. */
function composition(model: ServiceModel, fn: FunctionModel, imports: Imports): string {
  const logic = logicName(fn);
  const idempotency = idempotencyOptions(model, fn);
  return rendererOf(fn.trigger).compose(fn.trigger, {
    model, fn, logic, idempotency,
    importRuntime: (module, ...names) => imports.add(`${RUNTIME_PACKAGE}/${module}`, ...names),
    perInput() {
      imports.add(`${RUNTIME_PACKAGE}/invocation`, 'withResources');
      const bound = `withResources(${logic}, resources)`;
      if (!idempotency) return bound;
      imports.add(`${RUNTIME_PACKAGE}/idempotency`, 'idempotent');
      return `idempotent(${bound}, ${idempotency})`;
    },
  });
}

function describeIdempotency(fn: FunctionModel): string {
  const idem = fn.idempotency;
  if (idem === undefined) return 'Not idempotent (its trigger does not redeliver).';
  if ('disabled' in idem) return `Idempotency disabled: ${idem.disabled}.`;
  return `Idempotent by ${idem.key} for ${idem.expiresAfterSeconds} s.`;
}

export function renderEntry(model: ServiceModel, fn: FunctionModel): string {
  const imports = new Imports();
  imports.add(`${RUNTIME_PACKAGE}/observability`, 'withObservability');
  const config = configBlock(model, fn, imports);
  const wrapped = composition(model, fn, imports);
  const { resources } = typeNames(fn);
  const entry = entryPath(model, fn);
  const summary = [fn.description, describeIdempotency(fn)].filter((s) => s !== undefined).map(sentence).join(' ');
  const parts = [
    `${tsHeader(model.sourceFile)}${imports.render()}\nimport { ${importSpecifier(fn.id, logicName(fn))} } from '${importPath(entry, handlerPath(model, fn))}';\nimport type { ${resources} } from '${importPath(entry, typesPath(model, fn))}';`,
    config,
    resourcesBlock(model, fn),
    `/** The Lambda handler of ${fn.id}. ${summary} */\nexport const handler = withObservability(\n  ${wrapped.split('\n').join('\n  ')},\n);\n`,
  ];
  return `${parts.map((p) => p.trim()).filter((p) => p !== '').join('\n\n')}\n`;
}
