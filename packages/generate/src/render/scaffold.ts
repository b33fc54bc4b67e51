/**
 * Scaffolds, written once when absent and then the user's: the business-logic file
 * `src/handlers/<service>/<function>.ts` (typed, with a TODO; it compiles and passes its test) and
 * its test `test/handlers/<service>/<function>.test.ts`.
 */
import { entryPath, handlerPath, handlerTestPath, importSpecifier as importPath, KIT_PACKAGES, typesPath } from '@kiro-serverless/model/layout';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { resourceGroups } from './resources.js';
import { rendererOf, TRIGGER_RENDERERS } from './triggers/trigger-renderers.js';
import type { TestCall } from './triggers/trigger-renderer.js';
import { doc, importSpecifier, indent, key, localName, sentence, str } from './ts.js';
import { typeNames } from './types.js';

function resourceList(model: ServiceModel, fn: FunctionModel): string {
  const names = resourceGroups(model, fn).flatMap((g) => g.entries.map((e) => `${g.name}.${e.property}`));
  return names.length === 0 ? 'nothing' : names.join(', ');
}

function preamble(model: ServiceModel, fn: FunctionModel): string {
  const { handler } = typeNames(fn);
  return `/**
 * ${fn.id}${fn.description === undefined ? '' : `: ${sentence(fn.description)}`}
 *
 * Business logic only. The entry (${entryPath(model, fn)}) reads the
 * configuration at INIT and wraps this function with its trigger's error handling, idempotency,
 * logging and metrics. SDK clients come from ${KIT_PACKAGES.runtime}/clients/*, created once at module scope.
 */
import type { ${handler} } from '${importPath(handlerPath(model, fn), typesPath(model, fn))}';`;
}

export function renderHandlerScaffold(model: ServiceModel, fn: FunctionModel): string {
  const { handler } = typeNames(fn);
  const renderer = rendererOf(fn.trigger);
  const describe = doc(renderer.describe(fn.trigger));
  const todo = `// TODO: the business logic. The second parameter's \`resources\` holds ${resourceList(model, fn)}.`;
  const pre = preamble(model, fn);
  return renderer.handlerScaffold(fn.trigger, {
    fn, handler, describe, todo, preamble: pre,
    inputHandler({ logged, signature = handler, returns = 'Promise.resolve()' }) {
      const logger = localName('logger', new Set([fn.id]), 'Instance');
      return `${pre.replace('import type', `import { ${importSpecifier('logger', logger)} } from '${KIT_PACKAGES.runtime}/observability';\nimport type`)}

/** ${describe} */
export const ${fn.id}: ${signature} = (input) => {
  ${todo}
  ${logger}.info('${fn.id} called', ${logged});
  return ${returns};
};
`;
    },
  });
}

/** Every name a scaffolded test declares or imports besides the business logic (its trigger's helpers included). */
const TEST_NAMES: ReadonlySet<string> = new Set([
  'describe', 'expect', 'it', 'resources', 'lambdaContext', ...Object.values(TRIGGER_RENDERERS).flatMap((r) => r.testNames),
]);

/** The test's input and call, per trigger. */
function testCall(model: ServiceModel, fn: FunctionModel): TestCall {
  const logic = localName(fn.id, TEST_NAMES, 'Logic');
  return rendererOf(fn.trigger).testCall(fn.trigger, { model, logic, invocation: '{ resources, context: lambdaContext() }' });
}

function sampleResources(model: ServiceModel, fn: FunctionModel): string {
  const groups = resourceGroups(model, fn);
  if (groups.length === 0) return '{}';
  const lines = groups.map((g) => `  ${g.name}: { ${g.entries.map((e) => `${key(e.property)}: ${str(e.sample)}`).join(', ')} },`);
  return `{\n${lines.join('\n')}\n}`;
}

export function renderTestScaffold(model: ServiceModel, fn: FunctionModel): string {
  const { resources } = typeNames(fn);
  const c = testCall(model, fn);
  const test = handlerTestPath(model, fn);
  return `import { describe, expect, it } from 'vitest';
import type { ${resources} } from '${importPath(test, typesPath(model, fn))}';
import { ${importSpecifier(fn.id, localName(fn.id, TEST_NAMES, 'Logic'))} } from '${importPath(test, handlerPath(model, fn))}';
${c.runtimeImport}import { ${c.events.sort().join(', ')} } from '${KIT_PACKAGES.testing}';

/** Stand-ins for the names the infrastructure sets; the business logic only passes them to the SDK. */
const resources: ${resources} = ${sampleResources(model, fn)};
${c.prelude ? `${c.prelude}` : ''}
describe(${str(fn.id)}, () => {
  it('handles its input', async () => {
${indent(`await expect(${c.call})${c.expectation};`, 4)}
  });

  it.todo('fails an input it cannot handle, with the error its trigger expects');
});
`;
}
