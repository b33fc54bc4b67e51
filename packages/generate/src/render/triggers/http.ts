/** An API Gateway HTTP API route: the business logic is a route object; errors become HTTP answers. */
import { KIT_PACKAGES } from '@kiro-serverless/model/layout';
import { TRIGGERS, whatErrorDoes } from '@kiro-serverless/model/triggers';
import { importSpecifier, key, localName, str } from '../ts.js';
import type { TriggerRenderer } from './trigger-renderer.js';

/** Methods whose requests carry a JSON body. */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
/** A path parameter of an HTTP API route: `{id}` or the greedy `{proxy+}`. */
const PATH_PARAMETER = /\{([A-Za-z_][A-Za-z0-9_]*)\+?\}/g;

export const http: TriggerRenderer<'http'> = {
  handlerSuffix: 'Route',
  needsHttpApi: true,
  entryNames: ['httpHandler', 'mapHttpErrors', 'idempotentHttp'],
  testNames: ['handler', 'httpHandler', 'mapHttpErrors', 'httpEvent'],

  describe: (t) => `${t.method} ${t.path} (${TRIGGERS.http.source}). ${whatErrorDoes(t)}`,

  compose(_t, c) {
    c.importRuntime('http', 'httpHandler', 'mapHttpErrors');
    let inner = `httpHandler(${c.logic}, resources)`;
    if (c.idempotency) {
      c.importRuntime('idempotency', 'idempotentHttp');
      inner = `idempotentHttp(${inner}, ${c.idempotency})`;
    }
    return `mapHttpErrors(${inner})`;
  },

  wire: (t, c) => [`api.addRoute(${str(t.method)}, ${str(t.path)}, ${c.fn});`],

  handlerType(_t, c) {
    // A function called `http` gives a type named like the runtime's: import that one renamed.
    const route = c.handler === 'HttpRoute' ? 'RuntimeHttpRoute' : 'HttpRoute';
    return {
      imports: [],
      runtimeImport: `import type { ${importSpecifier('HttpRoute', route)} } from '${KIT_PACKAGES.runtime}/http';`,
      declaration: `${c.comment}\nexport type ${c.handler}<TBody = undefined> = ${route}<TBody, ${c.resources}>;\n`,
    };
  },

  handlerScaffold(t, c) {
    const hasBody = BODY_METHODS.has(t.method);
    const z = localName('z', new Set([c.fn.id]), 'od');
    // A namespace import: esbuild keeps only the members used; `import { z }` keeps all of zod (every locale).
    const imports = hasBody ? `import * as ${z} from 'zod';\n` : '';
    const body = hasBody ? `\n/** The JSON body of ${t.method} ${t.path}. TODO: describe its fields. */\nconst Body = ${z}.object({});\n` : '';
    return `${c.preamble.replace('import type', `${imports}import type`)}
${body}
/** ${c.describe} */
export const ${c.fn.id} = {
${hasBody ? '  body: Body,\n' : ''}  handle(request) {
    ${c.todo}
    return Promise.resolve({ statusCode: 200, body: { ${hasBody ? 'received: request.body' : 'path: request.path'} } });
  },
} satisfies ${c.handler}${hasBody ? `<${z}.infer<typeof Body>>` : ''};
`;
  },

  testCall(t, c) {
    const params = [...t.path.matchAll(PATH_PARAMETER)].map((m) => m[1] ?? '');
    const path = t.path.replace(PATH_PARAMETER, '$1-1');
    const body = BODY_METHODS.has(t.method) ? ', body: {}' : '';
    const pathParameters = params.length > 0 ? `, pathParameters: { ${params.map((p) => `${key(p)}: ${str(`${p}-1`)}`).join(', ')} }` : '';
    return {
      events: ['httpEvent', 'lambdaContext'],
      runtimeImport: `import { httpHandler, mapHttpErrors } from '${KIT_PACKAGES.runtime}/http';\n`,
      prelude: `const handler = mapHttpErrors(httpHandler(${c.logic}, resources));\n`,
      call: `handler(httpEvent({ method: ${str(t.method)}, path: ${str(path)}${pathParameters}${body} }), lambdaContext())`,
      expectation: `.resolves.toMatchObject({ statusCode: 200 })`,
    };
  },
};
