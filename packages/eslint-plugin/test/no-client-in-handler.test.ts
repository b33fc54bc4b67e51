import rule from '../src/rules/no-client-in-handler.js';
import { ruleTester } from './rule-tester.js';

const imports = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\n`;
const error = (what: string, handler = 'handler', via = '') => ({ messageId: 'inHandler', data: { what, handler, via } });

ruleTester.run('lambda/no-client-in-handler', rule, {
  valid: [
    { name: 'client at module scope', code: `${imports}const client = new DynamoDBClient({});\nexport const handler = async () => client.send;` },
    { name: 'document client at module scope', code: `${imports}const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport async function handler() { return doc; }` },
    {
      name: 'client built by a module function that only INIT calls',
      code: `${imports}function makeClient() { return new DynamoDBClient({}); }\nconst client = makeClient();\nexport const handler = async () => client;`,
    },
    {
      name: 'a factory that builds a client at INIT and returns the handler',
      code: `${imports}function makeHandler() { const client = new DynamoDBClient({}); return async () => client; }\nexport const handler = makeHandler();`,
    },
    { name: 'commands are per request', code: `import { PutItemCommand } from '@aws-sdk/client-dynamodb';\nimport { client } from './clients.js';\nexport const handler = async () => client.send(new PutItemCommand({ TableName: process.env.T, Item: {} }));` },
    { name: 'lazy init with ??= of a module binding', code: `${imports}let client: DynamoDBClient | undefined;\nexport const handler = async () => { client ??= new DynamoDBClient({}); return client; };` },
    {
      name: 'lazy init guarded by if (!x), in a getter the handler calls',
      code: `${imports}let client: DynamoDBClient | undefined;\nfunction getClient() { if (!client) { client = new DynamoDBClient({}); } return client; }\nexport const handler = async () => getClient();`,
    },
    {
      name: 'a lazily called factory: client ??= makeClient()',
      code: `${imports}let client: DynamoDBClient | undefined;\nfunction makeClient() { return new DynamoDBClient({}); }\nexport const handler = async () => (client ??= makeClient());`,
    },
    {
      name: 'shadowed factory: the handler calls its own local makeClient, not the module one',
      code: `${imports}const shared = new DynamoDBClient({});\nfunction makeClient() { return new DynamoDBClient({}); }\nconst ready = makeClient();\nexport const handler = async () => { const makeClient = () => shared; return [makeClient(), ready]; };`,
    },
    {
      name: 'a class-based handler whose constructor builds the client (at INIT, once per instance)',
      code: `${imports}class Lambda {\n  client = new DynamoDBClient({});\n  constructor() { this.other = new DynamoDBClient({}); }\n  other: DynamoDBClient;\n  async handler() { return [this.client, this.other]; }\n}\nconst instance = new Lambda();\nexport const handler = instance.handler.bind(instance);`,
    },
    { name: 'a function that is not exported as a handler', code: `${imports}export function buildClient() { return new DynamoDBClient({}); }` },
    { name: 'Powertools errors are thrown per invocation', code: `import { IdempotencyKeyError } from '@aws-lambda-powertools/idempotency';\nexport const handler = async () => { throw new IdempotencyKeyError('x'); };` },
    { name: 'a wrapper whose function argument only reads the module client', code: `${imports}import middy from '@middy/core';\nconst client = new DynamoDBClient({});\nexport const handler = middy(async () => client);` },
    {
      name: 'runtime-style builder: exported but not a handler (default options)',
      code: `import { BatchProcessor, EventType } from '@aws-lambda-powertools/batch';\nexport function sqsBatchHandler() { const p = new BatchProcessor(EventType.SQS); return async () => p; }`,
    },
  ],
  invalid: [
    {
      name: 'new DynamoDBClient() in an arrow export const handler',
      code: `${imports}export const handler = async () => { const client = new DynamoDBClient({}); return client; };`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'in an exported function declaration',
      code: `${imports}export async function handler() { return new DynamoDBClient({}); }`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'in a default export',
      code: `${imports}export default async function (event: unknown) { const c = new DynamoDBClient({}); return [c, event]; }`,
      errors: [error('new DynamoDBClient()', 'default export')],
    },
    {
      name: 'in a default-exported identifier',
      code: `${imports}const main = async () => new DynamoDBClient({});\nexport default main;`,
      errors: [error('new DynamoDBClient()', 'default export')],
    },
    {
      name: 'in a nested closure inside the handler',
      code: `${imports}export const handler = async (records: string[]) => {\n  await Promise.all(records.map(async () => { const c = new DynamoDBClient({}); return c; }));\n};`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'DynamoDBDocumentClient.from() in the handler',
      code: `${imports}const base = new DynamoDBClient({});\nexport const handler = async () => DynamoDBDocumentClient.from(base);`,
      errors: [error('DynamoDBDocumentClient.from()')],
    },
    {
      name: 'via a same-file factory the handler calls: reported at the construction, naming the factory',
      code: `${imports}function makeClient() { return new DynamoDBClient({}); }\nexport const handler = async () => makeClient();`,
      errors: [error('new DynamoDBClient()', 'handler', ' (through `makeClient()`, which it calls)')],
    },
    {
      name: 'via two levels of helpers, one passed as a callback',
      code: `${imports}const connect = () => new DynamoDBClient({});\nfunction processRecord(r: string) { return [connect(), r]; }\nexport const handler = async (rs: string[]) => rs.map(processRecord);`,
      errors: [error('new DynamoDBClient()', 'handler', ' (through `processRecord()`, which it calls)')],
    },
    {
      name: 'a handler passed through wrappers: middy(fn).use(...)',
      code: `${imports}import middy from '@middy/core';\nasync function lambdaHandler() { return new DynamoDBClient({}); }\nexport const handler = middy(lambdaHandler).use({});`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'an inline arrow passed to nested wrappers',
      code: `${imports}import { withA, withB } from './wrappers.js';\nexport const handler = withA(withB(async (e: unknown) => [new DynamoDBClient({}), e]));`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'the closure returned by a same-file handler factory',
      code: `${imports}function makeHandler() { return async () => new DynamoDBClient({}); }\nexport const handler = makeHandler();`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'a class-based handler (Powertools style): the method of a module instance, bound',
      code: `${imports}class Lambda {\n  constructor() { this.ready = true; }\n  ready: boolean;\n  async handler() { return new DynamoDBClient({}); }\n}\nconst instance = new Lambda();\nexport const handler = instance.handler.bind(instance);`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'export { main as handler }',
      code: `${imports}async function main() { return new DynamoDBClient({}); }\nexport { main as handler };`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'namespace import: new ddb.DynamoDBClient()',
      code: `import * as ddb from '@aws-sdk/client-dynamodb';\nexport const handler = async () => new ddb.DynamoDBClient({});`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'Powertools Logger in the handler',
      code: `import { Logger } from '@aws-lambda-powertools/logger';\nexport const handler = async () => { const logger = new Logger(); logger.info('x'); };`,
      errors: [error('new Logger()')],
    },
    {
      name: 'a pg Pool and an imported client factory',
      code: `import { Pool } from 'pg';\nimport { createRedisClient } from './redis.js';\nexport const handler = async () => [new Pool(), createRedisClient()];`,
      errors: [error('new Pool()'), error('createRedisClient()')],
    },
    {
      name: 'a configured factory (createTmpCache) in handler code',
      code: `import { createTmpCache } from './tmp-cache.js';\nexport const handler = async () => createTmpCache().get;`,
      options: [{ factories: ['createTmpCache'] }],
      errors: [error('createTmpCache()')],
    },
    {
      name: 'exportsRunPerInvocation: a business-logic object method',
      code: `${imports}export const createOrder = { async handle() { return new DynamoDBClient({}); } };`,
      options: [{ exportsRunPerInvocation: true }],
      errors: [error('new DynamoDBClient()', 'createOrder')],
    },
    {
      name: 'a per-invocation assignment that is not lazy (plain = without a guard)',
      code: `${imports}let client: DynamoDBClient | undefined;\nexport const handler = async () => { client = new DynamoDBClient({}); return client; };`,
      errors: [error('new DynamoDBClient()')],
    },
    {
      name: 'a local lazy cache is rebuilt every invocation',
      code: `${imports}export const handler = async () => { let client: DynamoDBClient | undefined; client ??= new DynamoDBClient({}); return client; };`,
      errors: [error('new DynamoDBClient()')],
    },
  ],
});
