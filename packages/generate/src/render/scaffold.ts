/**
 * Scaffolds, written once when absent and then the user's: the business-logic file
 * `src/handlers/<service>/<function>.ts` (typed, with a TODO; it compiles and passes its test) and
 * its test `test/handlers/<service>/<function>.test.ts`.
 */
import { entryPath, handlerPath, handlerTestPath, importSpecifier as importPath, KIT_PACKAGES, typesPath } from '@kiro-serverless/model/layout';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { resourceGroups } from './resources.js';
import { triggerShape } from './trigger.js';
import { doc, importSpecifier, indent, key, localName, sentence, str } from './ts.js';
import { typeNames } from './types.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

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
  const shape = triggerShape(fn);
  const todo = `// TODO: the business logic. The second parameter's \`resources\` holds ${resourceList(model, fn)}.`;
  const t = fn.trigger;
  if (t.type === 'http') {
    const hasBody = BODY_METHODS.has(t.method);
    const z = localName('z', new Set([fn.id]), 'od');
    // A namespace import: esbuild keeps only the members used; `import { z }` keeps all of zod (every locale).
    const imports = hasBody ? `import * as ${z} from 'zod';\n` : '';
    const body = hasBody ? `\n/** The JSON body of ${t.method} ${t.path}. TODO: describe its fields. */\nconst Body = ${z}.object({});\n` : '';
    return `${preamble(model, fn).replace('import type', `${imports}import type`)}
${body}
/** ${doc(shape.describe)} */
export const ${fn.id} = {
${hasBody ? '  body: Body,\n' : ''}  handle(request) {
    ${todo}
    return Promise.resolve({ statusCode: 200, body: { ${hasBody ? 'received: request.body' : 'path: request.path'} } });
  },
} satisfies ${handler}${hasBody ? `<${z}.infer<typeof Body>>` : ''};
`;
  }
  const logged = {
    sqs: `{ messageId: input.messageId }`,
    dynamodbStream: `{ eventID: input.eventID, eventName: input.eventName }`,
    sns: `{ messageId: input.Sns.MessageId }`,
    schedule: `{ time: input.time }`,
    direct: `{ fields: Object.keys(input) }`,
  }[t.type];
  const returns = t.type === 'direct' && t.invocation === 'sync' ? 'Promise.resolve({ ok: true })' : 'Promise.resolve()';
  const signature = t.type === 'direct' ? `${handler}<Record<string, unknown>${t.invocation === 'sync' ? ', { ok: boolean }' : ''}>` : handler;
  const logger = localName('logger', new Set([fn.id]), 'Instance');
  return `${preamble(model, fn).replace('import type', `import { ${importSpecifier('logger', logger)} } from '${KIT_PACKAGES.runtime}/observability';\nimport type`)}

/** ${doc(shape.describe)} */
export const ${fn.id}: ${signature} = (input) => {
  ${todo}
  ${logger}.info('${fn.id} called', ${logged});
  return ${returns};
};
`;
}

/** Every name a scaffolded test declares or imports besides the business logic. */
const TEST_NAMES: ReadonlySet<string> = new Set([
  'describe', 'expect', 'it', 'resources', 'handler', 'records', 'httpHandler', 'mapHttpErrors',
  'httpEvent', 'lambdaContext', 'sqsRecord', 'streamRecords', 'snsEvent', 'scheduledEvent',
]);

const STREAM_VIEW: Record<string, string> = { keysOnly: 'KEYS_ONLY', newImage: 'NEW_IMAGE', oldImage: 'OLD_IMAGE', newAndOldImages: 'NEW_AND_OLD_IMAGES' };

function sampleKeyValue(type: string): string {
  return type === 'number' ? '1' : type === 'binary' ? 'new Uint8Array([1])' : `'key-1'`;
}

/** The test's input and call, per trigger. */
function testCall(model: ServiceModel, fn: FunctionModel): { events: string[]; prelude: string; call: string; expectation: string } {
  const t = fn.trigger;
  const logic = localName(fn.id, TEST_NAMES, 'Logic');
  const invocation = '{ resources, context: lambdaContext() }';
  switch (t.type) {
    case 'http': {
      const params = [...t.path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\+?\}/g)].map((m) => m[1] ?? '');
      const path = t.path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\+?\}/g, '$1-1');
      const body = BODY_METHODS.has(t.method) ? ', body: {}' : '';
      const pathParameters = params.length > 0 ? `, pathParameters: { ${params.map((p) => `${key(p)}: ${str(`${p}-1`)}`).join(', ')} }` : '';
      return {
        events: ['httpEvent', 'lambdaContext'],
        prelude: `const handler = mapHttpErrors(httpHandler(${logic}, resources));\n`,
        call: `handler(httpEvent({ method: ${str(t.method)}, path: ${str(path)}${pathParameters}${body} }), lambdaContext())`,
        expectation: `.resolves.toMatchObject({ statusCode: 200 })`,
      };
    }
    case 'sqs':
      return { events: ['lambdaContext', 'sqsRecord'], prelude: '', call: `${logic}(sqsRecord({ id: 'id-1' }, { queue: ${str(t.queue)}${model.queues[t.queue]?.fifo ? `, fifo: { groupId: 'group-1' }` : ''} }), ${invocation})`, expectation: '.resolves.toBeUndefined()' };
    case 'dynamodbStream': {
      const table = model.tables[t.table];
      const keys = table === undefined ? [] : [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
      const item = keys.map((k) => `${key(k.name)}: ${sampleKeyValue(k.type)}`).join(', ');
      const view = table?.stream === undefined || table.stream === 'newAndOldImages' ? '' : `, viewType: '${STREAM_VIEW[table.stream]}'`;
      return {
        events: ['lambdaContext', 'streamRecords'],
        prelude: `const records = streamRecords({ table: ${str(t.table)}, keys: [${keys.map((k) => str(k.name)).join(', ')}]${view} });\n`,
        call: `${logic}(records.insert({ ${item} }), ${invocation})`,
        expectation: '.resolves.toBeUndefined()',
      };
    }
    case 'sns':
      return { events: ['lambdaContext', 'snsEvent'], prelude: '', call: `${logic}(snsEvent({ id: 'id-1' }, { topic: ${str(t.topic)} }).Records[0]!, ${invocation})`, expectation: '.resolves.toBeUndefined()' };
    case 'schedule':
      return { events: ['lambdaContext', 'scheduledEvent'], prelude: '', call: `${logic}(scheduledEvent(), ${invocation})`, expectation: '.resolves.toBeUndefined()' };
    case 'direct':
      return { events: ['lambdaContext'], prelude: '', call: `${logic}({ id: 'id-1' }, ${invocation})`, expectation: t.invocation === 'sync' ? '.resolves.toEqual({ ok: true })' : '.resolves.toBeUndefined()' };
  }
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
  const runtimeImport = fn.trigger.type === 'http' ? `import { httpHandler, mapHttpErrors } from '${KIT_PACKAGES.runtime}/http';\n` : '';
  const test = handlerTestPath(model, fn);
  return `import { describe, expect, it } from 'vitest';
import type { ${resources} } from '${importPath(test, typesPath(model, fn))}';
import { ${importSpecifier(fn.id, localName(fn.id, TEST_NAMES, 'Logic'))} } from '${importPath(test, handlerPath(model, fn))}';
${runtimeImport}import { ${c.events.sort().join(', ')} } from '${KIT_PACKAGES.testing}';

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
