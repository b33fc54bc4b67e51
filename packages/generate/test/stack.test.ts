/**
 * The stack renderer (packages/generate/src/render/stack.ts) alone: class names, the construct of each
 * resource, least-privilege grants per permission kind, the environment each function gets (the
 * contract of packages/model/src/environment.ts as construct tokens), each trigger's call with the spec's
 * settings, imports, and the STACKS index. That the stacks compile against the real constructs and
 * CDK is generated-project.test.ts; what they synthesize is test/infra/.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tsHeader } from '../src/header.js';
import { FileKind } from '../src/plan.js';
import { stackFile, stacksIndex } from '../src/renderers.js';
import { STACKS_INDEX, stackPath } from '@kiro-serverless/model/layout';
import { renderStack, renderStacksIndex, stackClassName } from '../src/render/stack.js';
import { functionEnvironment } from '@kiro-serverless/model/environment';
import type { ServiceModel } from '@kiro-serverless/model/model';
import { FIXTURE_SPECS, fixtureSpec } from '@kiro-serverless/fixtures';
import { CLASHES, CLASHES_FILE, billingModel, modelOf, ordersModel } from './helpers/project.js';
import { typeErrors } from './helpers/typecheck.js';

const SHOP_FILE = 'specs/shop-front.yaml';
const shop = modelOf(fixtureSpec('shop-front'), SHOP_FILE);
const billing = billingModel();
const orders = ordersModel();
const clashes = modelOf(CLASHES, CLASHES_FILE);
/** A function and nothing else: no resource, no route, no idempotency key. */
const bare = modelOf('service: bare\nfunctions:\n  ping:\n    invocation: sync\n', 'specs/bare.yaml');
/** No functions at all. */
const empty = modelOf('service: empty\n', 'specs/empty.yaml');
/** Resources and no functions. */
const storage = modelOf(`service: storage
tables:
  things: { partitionKey: { name: id, type: string } }
buckets:
  files: {}
queues:
  inbox: { deadLetter: { maxReceiveCount: 5 } }
topics:
  outbox: {}
`, 'specs/storage.yaml');

const stack = (model: ServiceModel) => renderStack(model);

/** The lines of `text` with their indentation removed, from `from` (exclusive) up to `to` (exclusive). */
function between(lines: readonly string[], from: number, to: number): string[] {
  return lines.slice(from + 1, to).map((l) => l.trim());
}

/**
 * One function's part of a stack, found by its comment (`// <id>` or `// <id>: <description>`): the
 * line that creates its construct, the construct's props (one per line, nested lines as they are),
 * and the statements after it (grants, then the trigger), each statement as one string.
 */
function functionPart(model: ServiceModel, id: string): { construct: string; props: string[]; grants: string[]; trigger: string[] } {
  const lines = stack(model).split('\n');
  const comment = lines.findIndex((l) => l === `    // ${id}` || l.startsWith(`    // ${id}: `));
  // A long description continues the comment on further lines.
  let start = comment + 1;
  while (comment !== -1 && lines[start]?.startsWith('    // ')) start++;
  if (comment === -1 || !/^ {4}(?:const \w+ = )?new ServiceFunction\(this, '\w+', \{$/.test(lines[start] ?? '')) {
    throw new Error(`no ServiceFunction for ${id} in the ${model.service} stack`);
  }
  const close = lines.indexOf('    });', start);
  let end = close + 1;
  while (end < lines.length && lines[end] !== '' && lines[end] !== '  }') end++;
  const statements = lines.slice(close + 1, end).join('\n').split(/;\n/).map((s) => s.replace(/;$/, '').replace(/^ {4}/, '').replace(/\n {4}/g, '\n'));
  return {
    construct: lines[start]!.trim(),
    props: between(lines, start, close),
    grants: statements.filter((s) => /\.grant\w*\(/.test(s)),
    trigger: statements.filter((s) => s !== '' && !/\.grant\w*\(/.test(s)),
  };
}

/** The `environment: { ... }` entries of a function's props, as `NAME: value`. */
function environmentOf(model: ServiceModel, id: string): string[] {
  const { props } = functionPart(model, id);
  const start = props.indexOf('environment: {');
  return between(props, start, props.indexOf('},', start)).map((l) => l.replace(/,$/, ''));
}

/**
 * The statements of the constructor before the first function (resources, subscriptions, shared
 * constructs), each as one string: a statement laid out over several lines keeps its line breaks and
 * its indentation relative to its first line.
 */
function preamble(model: ServiceModel): string[] {
  const lines = stack(model).split('\n');
  const start = lines.findIndex((l) => l.startsWith('    super(scope, id, props);'));
  const end = lines.findIndex((l, i) => i > start && (l === '' || l === '  }'));
  return lines.slice(start + 1, end).map((l) => l.replace(/^ {4}/, '')).join('\n').split(/(?<=;)\n/);
}

/** The IDs of the constructs the stack creates directly (`new X(this, 'Id'`), in order. */
function constructIds(model: ServiceModel): string[] {
  return [...stack(model).matchAll(/\bnew \w+\(this, '([^']+)'/g)].map(([, id = '']) => id);
}

/** The named imports of `text`, by module (an import list on one line, or one name per line). */
function importsOf(text: string): Record<string, string[]> {
  const imports: Record<string, string[]> = {};
  for (const [, names = '', module = ''] of text.matchAll(/^import (?:type )?\{\s+([^}]+?),?\s+\} from '([^']+)';$/gm)) {
    imports[module] = [...(imports[module] ?? []), ...names.split(/,\s+/)];
  }
  return imports;
}

describe('renderStack', () => {
  it.each([
    ['orders', 'OrdersStack'],
    ['orders-v2', 'OrdersV2Stack'],
    ['shop-front', 'ShopFrontStack'],
    ['a-b-c', 'ABCStack'],
    ['eu2-west1', 'Eu2West1Stack'],
    ['orders-2', 'Orders_2Stack'],
    ['v1-2-3', 'V1_2_3Stack'],
  ])('names the stack of %s %s, at infra/generated/<service>-stack.ts, with projectRoot in its props', (service, className) => {
    const model = modelOf(`service: ${service}\nfunctions:\n  ping:\n    invocation: sync\n`, `specs/${service}.yaml`);
    const text = stack(model);

    expect(stackClassName(model)).toBe(className);
    expect(stackPath(model)).toBe(`infra/generated/${service}-stack.ts`);
    expect(text.startsWith(tsHeader(`specs/${service}.yaml`))).toBe(true);
    expect(text).toContain(`
export interface ${className}Props extends StackProps {
  /** The project root, against which function entries resolve. */
  readonly projectRoot: string;
}
`);
    expect(text).toContain(`export class ${className} extends Stack {
  constructor(scope: Construct, id: string, props: ${className}Props) {
    super(scope, id, props);
`);
    expect(text).toMatch(/\n {2}\}\n\}\n$/);
  });

  it('is the file stackFile plans for the service: generated, from its spec', () => {
    expect(stackFile(shop)).toEqual([{ path: 'infra/generated/shop-front-stack.ts', kind: FileKind.Generated, content: stack(shop), source: SHOP_FILE }]);
  });

  it('creates each resource once with its spec settings, then the queue subscriptions, the idempotency table and the API', () => {
    expect(preamble(shop)).toEqual([
      // Props that would make the line longer than 120 characters: one per line.
      `const ordersTable = new ServiceTable(this, 'OrdersTable', {
  partitionKey: { name: 'pk', type: 'string' },
  sortKey: { name: 'sk', type: 'number' },
  stream: 'newAndOldImages',
  timeToLiveAttribute: 'expiresAt',
});`,
      `const stockTable = new ServiceTable(this, 'StockTable', { partitionKey: { name: 'sku', type: 'string' } });`,
      `const imagesBucket = new ServiceBucket(this, 'ImagesBucket');`,
      `const jobsQueue = new ServiceQueue(this, 'JobsQueue', {
  fifo: false,
  visibilityTimeoutSeconds: 90,
  deadLetter: { maxReceiveCount: 5 },
});`,
      `const orderedJobsQueue = new ServiceQueue(this, 'OrderedJobsQueue', {
  fifo: true,
  visibilityTimeoutSeconds: 30,
  deadLetter: { maxReceiveCount: 6 },
});`,
      `const newsTopic = new ServiceTopic(this, 'NewsTopic', { fifo: false });`,
      `const alertsTopic = new ServiceTopic(this, 'AlertsTopic', { fifo: false });`,
      'newsTopic.subscribeQueue(jobsQueue);',
      'alertsTopic.subscribeQueue(jobsQueue);',
      `const idempotency = new IdempotencyTable(this, 'Idempotency');`,
      `const api = new ServiceHttpApi(this, 'HttpApi');`,
      // Outputs (the API's URL), if any, come last; what they are is test/infra's to assert.
      ...preamble(shop).filter((s) => s.startsWith('new CfnOutput(')),
    ]);
  });

  it('names a resource\'s construct only when something refers to it (noUnusedLocals)', () => {
    expect(preamble(storage)).toEqual([
      `new ServiceTable(this, 'ThingsTable', { partitionKey: { name: 'id', type: 'string' } });`,
      `new ServiceBucket(this, 'FilesBucket');`,
      `new ServiceQueue(this, 'InboxQueue', {
  fifo: false,
  visibilityTimeoutSeconds: 30,
  deadLetter: { maxReceiveCount: 5 },
});`,
      `new ServiceTopic(this, 'OutboxTopic', { fifo: false });`,
    ]);
  });

  it('subscribes a queue to each topic it names, and nothing else', () => {
    const subscriptions = (model: ServiceModel) => preamble(model).filter((s) => s.includes('.subscribeQueue('));
    expect(subscriptions(shop)).toEqual(['newsTopic.subscribeQueue(jobsQueue);', 'alertsTopic.subscribeQueue(jobsQueue);']);
    expect(subscriptions(orders)).toEqual(['orderEventsTopic.subscribeQueue(fulfilmentQueue);']);
    expect(subscriptions(billing)).toEqual([]);
    expect(stack(billing)).not.toContain('subscribeQueue');
  });

  it('declares each function with its spec settings', () => {
    expect(functionPart(shop, 'everything').props).toEqual([
      `entry: 'src/generated/shop-front/everything.ts',`,
      `description: 'Touches every kind of resource',`,
      'memoryMb: 1024,',
      'timeoutSeconds: 12,',
      `architecture: 'x86_64',`,
      `runtime: 'nodejs24.x',`,
      `deployment: 'linear10PercentEvery1Minute',`,
      'reservedConcurrency: 5,',
      'provisionedConcurrency: 1,',
      'environment: {',
      ...environmentOf(shop, 'everything').map((e) => `${e},`),
      '},',
      'projectRoot: props.projectRoot,',
    ]);
    expect(functionPart(shop, 'readOrders').props).toEqual([
      `entry: 'src/generated/shop-front/read-orders.ts',`,
      'memoryMb: 256,',
      'timeoutSeconds: 5,',
      `architecture: 'arm64',`,
      `runtime: 'nodejs22.x',`,
      `deployment: 'allAtOnce',`,
      'environment: {',
      `POWERTOOLS_SERVICE_NAME: 'shop-front',`,
      `POWERTOOLS_METRICS_NAMESPACE: 'shop-front',`,
      'TABLE_ORDERS: ordersTable.table.tableName,',
      '},',
      'projectRoot: props.projectRoot,',
    ]);
    expect(stack(shop)).toContain(`    // everything: Touches every kind of resource\n    const everythingFn = new ServiceFunction(this, 'EverythingFunction', {\n`);
    expect(stack(shop)).toContain(`    // readOrders\n    const readOrdersFn = new ServiceFunction(this, 'ReadOrdersFunction', {\n`);
  });

  it('names a function\'s construct only when a grant or a trigger refers to it (noUnusedLocals)', () => {
    expect(functionPart(shop, 'readOrders').construct).toBe(`const readOrdersFn = new ServiceFunction(this, 'ReadOrdersFunction', {`);
    expect(functionPart(billing, 'quoteTax').construct).toBe(`new ServiceFunction(this, 'QuoteTaxFunction', {`);
    expect(functionPart(bare, 'ping').construct).toBe(`new ServiceFunction(this, 'PingFunction', {`);
    expect(functionPart(clashes, 'config').construct).toBe(`new ServiceFunction(this, 'ConfigFunction', {`);
    expect(stack(billing)).not.toContain('quoteTaxFn');
  });

  describe('grants exactly what the spec\'s permissions name (least privilege)', () => {
    it.each([
      ['readOrders', ['ordersTable.table.grantReadData(readOrdersFn.function)']],
      ['writeOrders', ['ordersTable.table.grantWriteData(writeOrdersFn.function)']],
      ['readWriteOrders', ['ordersTable.table.grantReadWriteData(readWriteOrdersFn.function)']],
      // Buckets: the construct's own grants, narrower than aws-cdk-lib's; read and write are one each.
      ['readImages', ['imagesBucket.grantRead(readImagesFn)']],
      ['writeImages', ['imagesBucket.grantWrite(writeImagesFn)']],
      ['readWriteImages', ['imagesBucket.grantRead(readWriteImagesFn)', 'imagesBucket.grantWrite(readWriteImagesFn)']],
      ['publishNews', ['newsTopic.topic.grantPublish(publishNewsFn.function)']],
      ['sendJobs', ['jobsQueue.queue.grantSendMessages(sendJobsFn.function)']],
      // A disabled idempotency: no idempotency table to grant.
      ['watchOrders', ['ordersTable.table.grantReadData(watchOrdersFn.function)']],
      // A key and nothing else: the idempotency table only.
      ['runOrderedJobs', ['idempotency.table.grantReadWriteData(runOrderedJobsFn.function)']],
    ])('%s: %j', (id, grants) => {
      expect(functionPart(shop, id).grants).toEqual(grants);
    });

    it('grants per resource in the order read, then write names them, then publish, send and the idempotency table', () => {
      expect(functionPart(shop, 'everything').grants).toEqual([
        'stockTable.table.grantReadWriteData(everythingFn.function)',
        'imagesBucket.grantRead(everythingFn)',
        'ordersTable.table.grantWriteData(everythingFn.function)',
        'newsTopic.topic.grantPublish(everythingFn.function)',
        'jobsQueue.queue.grantSendMessages(everythingFn.function)',
        'idempotency.table.grantReadWriteData(everythingFn.function)',
      ]);
    });

    it('grants the idempotency table to the functions with a key, and to no other', () => {
      for (const model of [billing, orders, clashes, shop]) {
        for (const f of Object.values(model.functions)) {
          const hasKey = f.idempotency !== undefined && 'key' in f.idempotency;
          expect(functionPart(model, f.id).grants.includes(`idempotency.table.grantReadWriteData(${f.id}Fn.function)`), `${model.service}.${f.id}`).toBe(hasKey);
        }
      }
      // Neither a disabled idempotency nor none at all.
      expect(functionPart(billing, 'projectLedger').grants).toEqual([
        'ledgerTable.table.grantReadData(projectLedgerFn.function)',
        'invoicesTable.table.grantWriteData(projectLedgerFn.function)',
      ]);
      expect(functionPart(billing, 'quoteTax').grants).toEqual([]);
    });

    it('creates no idempotency table when no function has a key', () => {
      const text = stack(bare);
      expect(text).not.toMatch(/IdempotencyTable|idempotency\./);
      expect(functionPart(bare, 'ping')).toMatchObject({ grants: [], trigger: [] });
    });
  });

  describe('the environment: the variables of packages/model/src/environment.ts, in its order, as construct tokens', () => {
    it('maps each kind of variable to its token, and user values to escaped literals', () => {
      expect(environmentOf(shop, 'everything')).toEqual([
        `POWERTOOLS_SERVICE_NAME: 'shop-front'`,
        `POWERTOOLS_METRICS_NAMESPACE: 'shop-front'`,
        'IDEMPOTENCY_TABLE: idempotency.table.tableName',
        'BUCKET_IMAGES: imagesBucket.bucket.bucketName',
        'QUEUE_JOBS_URL: jobsQueue.queue.queueUrl',
        'TABLE_ORDERS: ordersTable.table.tableName',
        'TABLE_STOCK: stockTable.table.tableName',
        'TOPIC_NEWS_ARN: newsTopic.topic.topicArn',
        `LOG_LEVEL: 'DEBUG'`,
        String.raw`GREETING: 'it\'s \\ here'`,
      ]);
      expect(environmentOf(billing, 'quoteTax')).toEqual([
        `POWERTOOLS_SERVICE_NAME: 'billing'`, `POWERTOOLS_METRICS_NAMESPACE: 'billing'`, `TAX_REGION: 'EU'`, `DEFAULT_RATE: '0.2'`,
      ]);
      expect(environmentOf(billing, 'projectLedger')).not.toContain('IDEMPOTENCY_TABLE: idempotency.table.tableName');
    });

    it('sets, for every function, exactly the variables its entry reads', () => {
      for (const model of [billing, orders, clashes, shop, bare]) {
        for (const f of Object.values(model.functions)) {
          expect(environmentOf(model, f.id).map((e) => e.slice(0, e.indexOf(':'))), `${model.service}.${f.id}`)
            .toEqual(functionEnvironment(model, f).map((v) => v.name));
        }
      }
    });
  });

  describe('triggers: one call with the spec\'s settings', () => {
    it('http: a route on the service\'s API', () => {
      expect(functionPart(billing, 'getInvoice').trigger).toEqual([`api.addRoute('GET', '/invoices/{invoiceId}', getInvoiceFn)`]);
      expect(functionPart(shop, 'everything').trigger).toEqual([`api.addRoute('PATCH', '/everything/{id}', everythingFn)`]);
      expect(functionPart(clashes, 'http').trigger).toEqual([`api.addRoute('ANY', '/http/{proxy+}', httpFn)`]);
    });

    it('dynamodbStream: every setting, the filter as JSON and the onFailure destination\'s variable', () => {
      expect(functionPart(shop, 'watchOrders').trigger).toEqual([`watchOrdersFn.consumeStream(ordersTable, {
  startingPosition: 'latest',
  batchSize: 25,
  batchingWindowSeconds: 2,
  bisectOnError: true,
  maxRetries: 7,
  maxRecordAgeSeconds: 600,
  parallelization: 4,
  reportBatchItemFailures: true,
  filter: {"eventName":["INSERT"],"dynamodb":{"NewImage":{"sk":{"N":["1"]}}}},
  onFailure: alertsTopic,
})`]);
      // No filter in the spec: no filter line.
      expect(functionPart(billing, 'projectLedger').trigger).toEqual([`projectLedgerFn.consumeStream(ledgerTable, {
  startingPosition: 'trimHorizon',
  batchSize: 50,
  batchingWindowSeconds: 0,
  bisectOnError: true,
  maxRetries: 3,
  maxRecordAgeSeconds: 3600,
  parallelization: 1,
  reportBatchItemFailures: true,
  onFailure: billingFailuresQueue,
})`]);
    });

    it('sqs: the batch settings (maxConcurrency only when set); a FIFO queue is created FIFO', () => {
      expect(functionPart(shop, 'runJobs').trigger).toEqual([`runJobsFn.consumeQueue(jobsQueue, {
  batchSize: 20,
  batchingWindowSeconds: 1,
  maxConcurrency: 3,
  reportBatchItemFailures: true,
})`]);
      expect(functionPart(shop, 'runOrderedJobs').trigger).toEqual([`runOrderedJobsFn.consumeQueue(orderedJobsQueue, {
  batchSize: 5,
  batchingWindowSeconds: 0,
  reportBatchItemFailures: true,
})`]);
      expect(functionPart(billing, 'applyPayment').trigger).toEqual([`applyPaymentFn.consumeQueue(paymentsQueue, {
  batchSize: 10,
  batchingWindowSeconds: 0,
  reportBatchItemFailures: true,
})`]);
      expect(preamble(billing)).toContain(`const paymentsQueue = new ServiceQueue(this, 'PaymentsQueue', {
  fifo: true,
  visibilityTimeoutSeconds: 120,
  deadLetter: { maxReceiveCount: 5 },
});`);
    });

    it.each([
      ['sns', ['archiveInvoiceEventFn.subscribeTo(invoiceEventsTopic)'], billing, 'archiveInvoiceEvent', 'async: { maxRetries: 2, maxEventAgeSeconds: 21600, onFailure: billingFailuresQueue },'],
      ['schedule (cron)', [`sendRemindersFn.runOnSchedule('cron(0 8 * * ? *)')`], billing, 'sendReminders', 'async: { maxRetries: 1, maxEventAgeSeconds: 3600, onFailure: billingFailuresQueue },'],
      ['schedule (rate)', [`describeFn.runOnSchedule('rate(1 hour)')`], clashes, 'describe', 'async: { maxRetries: 2, maxEventAgeSeconds: 21600, onFailure: failuresQueue },'],
      ['direct async', [], billing, 'renderInvoicePdf', 'async: { maxRetries: 2, maxEventAgeSeconds: 3600, onFailure: billingFailuresQueue },'],
    ] as const)('%s: the async block with the retries, event age and onFailure destination of the spec, then %j', (_, trigger, model, id, asyncLine) => {
      const part = functionPart(model, id);
      expect(part.props.filter((p) => p.startsWith('async:'))).toEqual([asyncLine]);
      expect(part.trigger).toEqual(trigger);
    });

    it('synchronous and poll triggers: no async block; direct sync: no trigger call at all', () => {
      for (const [model, id] of [[billing, 'getInvoice'], [billing, 'applyPayment'], [billing, 'projectLedger'], [billing, 'quoteTax'], [shop, 'readOrders']] as const) {
        expect(functionPart(model, id).props.filter((p) => p.startsWith('async')), id).toEqual([]);
      }
      expect(functionPart(billing, 'quoteTax').trigger).toEqual([]);
      expect(functionPart(clashes, 'config').trigger).toEqual([]);
    });
  });

  describe('imports', () => {
    const ALL = ['IdempotencyTable', 'ServiceBucket', 'ServiceFunction', 'ServiceHttpApi', 'ServiceQueue', 'ServiceTable', 'ServiceTopic'];

    it.each([
      ['billing', billing, ALL],
      ['shop-front', shop, ALL],
      ['clashes (no bucket)', clashes, ['IdempotencyTable', 'ServiceFunction', 'ServiceHttpApi', 'ServiceQueue', 'ServiceTable', 'ServiceTopic']],
      ['bare (one sync function)', bare, ['ServiceFunction']],
      ['storage (resources, no function)', storage, ['ServiceBucket', 'ServiceQueue', 'ServiceTable', 'ServiceTopic']],
    ])('%s: only the constructs it uses, sorted, in one import', (_, model, constructs) => {
      const text = stack(model);
      expect(importsOf(text)['@kiro-serverless/constructs']).toEqual(constructs);
      expect(text.match(/from '@kiro-serverless\/constructs'/g)).toHaveLength(1);
    });

    it('uses every name it imports, and imports every construct it creates', () => {
      for (const model of [billing, orders, clashes, shop, bare, empty, storage]) {
        const text = stack(model);
        const body = text.slice(text.indexOf('\nexport '));
        const imported = Object.values(importsOf(text)).flat();
        for (const name of imported) expect(body, `${model.service} imports ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
        for (const [, name = ''] of body.matchAll(/\bnew ([A-Z]\w*)\(/g)) expect(imported, `${model.service} creates ${name}`).toContain(name);
      }
    });

    it('imports nothing from packages/constructs for a spec with no resources and no functions', () => {
      expect(importsOf(stack(empty))['@kiro-serverless/constructs']).toBeUndefined();
    });
  });

  describe('is well-formed TypeScript (strict; stand-ins for CDK and the constructs)', () => {
    it('a spec with no functions: the empty stack class', () => {
      const text = stack(empty);
      expect(typeErrors({ 'infra/generated/empty-stack.ts': text })).toEqual([]);
      expect(text).toContain('export class EmptyStack extends Stack {');
      expect(text).not.toContain('ServiceFunction');
    });

    it('specs whose every function and resource is used by a grant or a trigger', () => {
      const files = Object.fromEntries([orders, shop, empty].map((m) => [stackPath(m), stack(m)]));
      expect(typeErrors({ ...files, [STACKS_INDEX]: renderStacksIndex([orders, shop, empty], 'specs/*.yaml') })).toEqual([]);
    });

    it('gives every construct of a stack its own ID', () => {
      for (const model of [billing, orders, clashes, shop, bare, storage]) {
        const ids = constructIds(model);
        expect(ids.length, model.service).toBeGreaterThan(0);
        expect(ids, model.service).toEqual([...new Set(ids)]);
      }
    });

    it('every stack parses, whatever the spec', () => {
      for (const model of [billing, orders, clashes, shop, bare, empty, storage]) {
        const { diagnostics = [] } = ts.transpileModule(stack(model), { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
        expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), model.service).toEqual([]);
      }
    });

    // Construct IDs end in their kind (`OrdersTable`, `OrdersTableFunction`); the stack's own end otherwise.
    it('gives every construct its own ID, even for function IDs that end like a resource\'s construct ID or name the stack\'s own', () => {
      const collide = modelOf(`service: collide
tables:
  orders: { partitionKey: { name: id, type: string } }
functions:
  ordersTable:
    invocation: sync
    permissions: { read: [orders] }
  httpApi:
    trigger:
      http: { method: GET, path: /x }
  idempotencyTable:
    idempotency: { key: id }
    trigger:
      schedule: { rate: 1 hour, onFailure: failures }
queues:
  failures: {}
`, 'specs/collide.yaml');
      expect(constructIds(collide)).toEqual([...new Set(constructIds(collide))]);
    });

    // A function with no grant and no trigger (billing.quoteTax, clashes.config) and a resource nothing
    // refers to (storage) are created without a `const`, which noUnusedLocals would refuse.
    it('specs with a construct nothing refers to (billing, clashes, storage, bare) compile under noUnusedLocals', () => {
      const files = Object.fromEntries([billing, clashes, storage, bare].map((m) => [stackPath(m), stack(m)]));
      expect(typeErrors(files)).toEqual([]);
    });

    it('does not count a description or setting that spells a local name as a use of it', () => {
      const spelled = modelOf(`service: spelled
functions:
  ping:
    description: ping answers pingFn
    invocation: sync
    environment: { NOTE: "pingFn" }
`, 'specs/spelled.yaml');
      const text = stack(spelled);
      expect(text).not.toContain('const pingFn');
      expect(typeErrors({ [stackPath(spelled)]: text })).toEqual([]);
    });
  });
});

describe('the line width: 120 columns, as in the rest of the repository', () => {
  /** The lines of a stack longer than 120 characters. */
  const longLines = (model: ServiceModel) => stack(model).split('\n').filter((l) => l.length > 120);

  it.each([...FIXTURE_SPECS.map((name) => [name, modelOf(fixtureSpec(name), `specs/${name}.yaml`)] as const), ['orders', orders] as const])(
    '%s: no line of the generated stack is longer than 120 characters',
    (_name, model) => {
      expect(longLines(model)).toEqual([]);
    },
  );

  it('lists the constructs one per line, with a trailing comma, when the import would be longer', () => {
    expect(stack(billing)).toContain(`import {
  IdempotencyTable,
  ServiceBucket,
  ServiceFunction,
  ServiceHttpApi,
  ServiceQueue,
  ServiceTable,
  ServiceTopic,
} from '@kiro-serverless/constructs';
`);
    expect(stack(bare)).toContain(`import { ServiceFunction } from '@kiro-serverless/constructs';\n`);
  });

  it('breaks only the nested object that does not fit, and wraps long descriptions into comments', () => {
    // Arrange: a long service description, a long key attribute name, a long function ID and description.
    const attribute = 'documentIdentifierAsIssuedByTheArchiveServiceOfTheLegalDepartmentOfTheGroup';
    const long = modelOf(`service: long
description: A service that handles a great many things for a great many callers, every one of them described at length
tables:
  documents: { partitionKey: { name: ${attribute}, type: string } }
functions:
  renderQuarterlyReportsForAnyone:
    description: Render the quarterly reports of every department for anyone who asks for them politely
    invocation: sync
    permissions: { read: [documents] }
`, 'specs/long.yaml');

    // Act
    const text = stack(long);

    // Assert
    expect(longLines(long)).toEqual([]);
    expect(text).toContain(`/**
 * The long service (specs/long.yaml): A service that handles a great many things for a great many callers, every one of
 * them described at length.
 */
export class LongStack extends Stack {`);
    expect(text).toContain(`
    const documentsTable = new ServiceTable(this, 'DocumentsTable', {
      partitionKey: {
        name: '${attribute}',
        type: 'string',
      },
    });
`);
    expect(text).toContain(`
    // renderQuarterlyReportsForAnyone: Render the quarterly reports of every department for anyone who asks for them
    // politely
    const renderQuarterlyReportsForAnyoneFn = new ServiceFunction(this, 'RenderQuarterlyReportsForAnyoneFunction', {
`);
    expect(functionPart(long, 'renderQuarterlyReportsForAnyone').grants).toEqual([
      'documentsTable.table.grantReadData(renderQuarterlyReportsForAnyoneFn.function)',
    ]);
    expect(typeErrors({ [stackPath(long)]: text })).toEqual([]);
  });
});

describe('renderStacksIndex: STACKS, every stack class by service', () => {
  const named = (service: string) => modelOf(`service: ${service}\n`, `specs/${service}.yaml`);

  it('imports each stack once and lists it under its service name, sorted by service', () => {
    const models = [named('orders-v2'), billing, named('orders'), named('a-b'), named('orders2')];
    const text = renderStacksIndex(models, 'specs/*.yaml');

    expect(text.startsWith(tsHeader('specs/*.yaml'))).toBe(true);
    expect(text.split('\n').filter((l) => l.startsWith('import '))).toEqual([
      `import { ABStack } from './a-b-stack.js';`,
      `import { BillingStack } from './billing-stack.js';`,
      `import { OrdersStack } from './orders-stack.js';`,
      `import { OrdersV2Stack } from './orders-v2-stack.js';`,
      `import { Orders2Stack } from './orders2-stack.js';`,
    ]);
    expect(text).toContain(`export const STACKS = {
  'a-b': ABStack,
  'billing': BillingStack,
  'orders': OrdersStack,
  'orders-v2': OrdersV2Stack,
  'orders2': Orders2Stack,
} as const;
`);
    expect(renderStacksIndex([...models].reverse(), 'specs/*.yaml')).toBe(text);
  });

  // Digits have no case: `orders-2` and `orders2` would both be `Orders2Stack` without the underscore.
  it('gives services whose names differ only by a dash before a digit their own classes', () => {
    const models = [named('orders-2'), named('orders2')];
    expect(models.map(stackClassName)).toEqual(['Orders_2Stack', 'Orders2Stack']);
    const files = Object.fromEntries(models.map((m) => [stackPath(m), stack(m)]));
    expect(typeErrors({ ...files, [STACKS_INDEX]: renderStacksIndex(models, 'specs/*.yaml') })).toEqual([]);
  });

  it('is an empty STACKS without imports when there is no spec, and still compiles', () => {
    const text = renderStacksIndex([], 'specs/*.yaml');
    expect(text).not.toMatch(/^import /m);
    expect(text).toMatch(/\nexport const STACKS = \{\s*\} as const;\n$/);
    expect(typeErrors({ [STACKS_INDEX]: text })).toEqual([]);
  });

  it('is the one project file stacksIndex plans, generated from specs/*.yaml', () => {
    expect(stacksIndex([billing, orders])).toEqual([
      { path: 'infra/generated/stacks.ts', kind: FileKind.Generated, content: renderStacksIndex([billing, orders], 'specs/*.yaml'), source: 'specs/*.yaml' },
    ]);
  });
});
