/**
 * The renderers one by one: the idempotency key as JMESPath, the resource groups, and the
 * composition of each trigger type's entry (the stack renderer: stack.test.ts). The project-level
 * proof that the output compiles and runs is generated-project.test.ts.
 */
import { search } from '@aws-lambda-powertools/jmespath';
import { PowertoolsFunctions } from '@aws-lambda-powertools/jmespath/functions';
import { describe, expect, it } from 'vitest';
import { tsHeader } from '../src/header.js';
import { entryPath, handlerPath as handlerModule, handlerTestPath as testPath, typesPath } from '@kiro-serverless/model/layout';
import { renderEntry } from '../src/render/entry.js';
import { keyJmesPath } from '../src/render/idempotency-key.js';
import { resourceGroups } from '../src/render/resources.js';
import { renderHandlerScaffold, renderTestScaffold } from '../src/render/scaffold.js';
import { renderTypes } from '../src/render/types.js';
import type { FunctionModel, ServiceModel, TriggerModel } from '@kiro-serverless/model/model';
import { httpEvent, scheduledEvent, snsEvent, sqsRecord, streamRecords } from '@kiro-serverless/testing';
import { billingModel, modelOf, ordersModel } from './helpers/project.js';

const billing = billingModel();
const orders = ordersModel();

function fn(model: ServiceModel, id: string): FunctionModel {
  const f = model.functions[id];
  if (!f) throw new Error(`no function ${id} in ${model.service}`);
  return f;
}

/** One trigger of each type (and both direct invocations), from the two specs. */
const TRIGGERS = {
  http: fn(billing, 'getInvoice').trigger,
  sqs: fn(billing, 'applyPayment').trigger,
  dynamodbStream: fn(billing, 'projectLedger').trigger,
  sns: fn(billing, 'archiveInvoiceEvent').trigger,
  schedule: fn(billing, 'sendReminders').trigger,
  directAsync: fn(billing, 'renderInvoicePdf').trigger,
  directSync: fn(billing, 'quoteTax').trigger,
} satisfies Record<string, TriggerModel>;

const jmes = (expression: string, data: unknown): unknown =>
  search(expression, data as Parameters<typeof search>[1], { customFunctions: new PowertoolsFunctions() });

describe('keyJmesPath', () => {
  it.each<[keyof typeof TRIGGERS, string, string]>([
    // http: the body is JSON text; header names are quoted when they are not identifiers.
    ['http', 'headers.idempotency-key', 'headers."idempotency-key"'],
    ['http', 'headers.x-request-id', 'headers."x-request-id"'],
    // API Gateway delivers header names in lower case, whatever the client or the spec wrote.
    ['http', 'headers.Idempotency-Key', 'headers."idempotency-key"'],
    ['http', 'headers.X_Trace', 'headers.x_trace'],
    ['http', 'queryStringParameters.Page', 'queryStringParameters.Page'],
    ['http', 'body.Headers.X', 'powertools_json(body).Headers.X'],
    ['http', 'body.orderId', 'powertools_json(body).orderId'],
    ['http', 'body.order.lines', 'powertools_json(body).order.lines'],
    ['http', 'body.order-id', 'powertools_json(body)."order-id"'],
    ['http', 'body', 'body'],
    ['http', 'pathParameters.invoiceId', 'pathParameters.invoiceId'],
    ['http', 'queryStringParameters.page_token', 'queryStringParameters.page_token'],
    ['http', 'requestContext.requestId', 'requestContext.requestId'],
    // A segment that starts with a digit is not a JMESPath identifier: quoted, never an index.
    ['http', 'body.2fa', 'powertools_json(body)."2fa"'],
    ['http', 'body.items.0', 'powertools_json(body).items."0"'],
    ['http', 'headers.2nd-factor', 'headers."2nd-factor"'],
    // sqs: the body is JSON text, the rest is structured.
    ['sqs', 'body.paymentId', 'powertools_json(body).paymentId'],
    ['sqs', 'body.payment-id', 'powertools_json(body)."payment-id"'],
    ['sqs', 'messageId', 'messageId'],
    ['sqs', 'attributes.MessageDeduplicationId', 'attributes.MessageDeduplicationId'],
    ['sqs', 'messageAttributes.tenant.stringValue', 'messageAttributes.tenant.stringValue'],
    // sns: only Sns.Message is JSON text, matched segment by segment (Sns.MessageId is not inside it).
    ['sns', 'Sns.Message.eventId', 'powertools_json(Sns.Message).eventId'],
    ['sns', 'Sns.Message.event-id', 'powertools_json(Sns.Message)."event-id"'],
    ['sns', 'Sns.Message.1st', 'powertools_json(Sns.Message)."1st"'],
    ['sns', 'Sns.MessageId', 'Sns.MessageId'],
    ['sns', 'Sns.Message', 'Sns.Message'],
    // dynamodbStream: records are structured; nothing is parsed.
    ['dynamodbStream', 'eventID', 'eventID'],
    ['dynamodbStream', 'dynamodb.NewImage.pk.S', 'dynamodb.NewImage.pk.S'],
    ['dynamodbStream', 'dynamodb.Keys.account-no.N', 'dynamodb.Keys."account-no".N'],
    ['dynamodbStream', 'dynamodb.SequenceNumber', 'dynamodb.SequenceNumber'],
    // schedule: an EventBridge event; detail is an object, not text.
    ['schedule', 'id', 'id'],
    ['schedule', 'detail.run-id', 'detail."run-id"'],
    ['schedule', 'detail.body.x', 'detail.body.x'],
    // direct: the payload is the caller's object, whatever its fields are called.
    ['directAsync', 'invoiceId', 'invoiceId'],
    ['directAsync', 'body.x', 'body.x'],
    ['directAsync', '1st.key', '"1st".key'],
    ['directSync', 'request.id', 'request.id'],
  ])('%s: %s -> %s', (trigger, key, expected) => {
    expect(keyJmesPath(TRIGGERS[trigger], key)).toBe(expected);
  });

  it('finds the key in the inputs each trigger delivers', () => {
    const payment = sqsRecord({ paymentId: 'pay-1', 'payment-id': 'pay-2' }, { queue: 'payments', fifo: { groupId: 'acct-1' } });
    const message = snsEvent({ eventId: 'evt-1' }, { topic: 'invoiceEvents' }).Records[0]!;
    const request = httpEvent({ method: 'PUT', path: '/invoices/inv-1', pathParameters: { invoiceId: 'inv-1' }, headers: { 'x-request-id': 'req-1' }, body: { '2fa': 'otp-1' } });
    const change = streamRecords({ table: 'ledger', keys: ['accountNo', 'entryNo'], viewType: 'KEYS_ONLY' }).insert({ accountNo: 7, entryNo: 1 });
    const tick = scheduledEvent();

    expect(jmes(keyJmesPath(TRIGGERS.sqs, 'body.paymentId'), payment)).toBe('pay-1');
    expect(jmes(keyJmesPath(TRIGGERS.sqs, 'body.payment-id'), payment)).toBe('pay-2');
    expect(jmes(keyJmesPath(TRIGGERS.sqs, 'attributes.MessageGroupId'), payment)).toBe('acct-1');
    expect(jmes(keyJmesPath(TRIGGERS.sns, 'Sns.Message.eventId'), message)).toBe('evt-1');
    expect(jmes(keyJmesPath(TRIGGERS.sns, 'Sns.MessageId'), message)).toBe(message.Sns.MessageId);
    expect(jmes(keyJmesPath(TRIGGERS.http, 'headers.x-request-id'), request)).toBe('req-1');
    expect(jmes(keyJmesPath(TRIGGERS.http, 'headers.Idempotency-Key'), httpEvent({ method: 'POST', path: '/x', headers: { 'Idempotency-Key': 'idem-1' } }))).toBe('idem-1');
    expect(jmes(keyJmesPath(TRIGGERS.http, 'pathParameters.invoiceId'), request)).toBe('inv-1');
    expect(jmes(keyJmesPath(TRIGGERS.http, 'body.2fa'), request)).toBe('otp-1');
    expect(jmes(keyJmesPath(TRIGGERS.dynamodbStream, 'eventID'), change)).toBe(change.eventID);
    expect(jmes(keyJmesPath(TRIGGERS.dynamodbStream, 'dynamodb.Keys.accountNo.N'), change)).toBe('7');
    expect(jmes(keyJmesPath(TRIGGERS.schedule, 'id'), tick)).toBe(tick.id);
    expect(jmes(keyJmesPath(TRIGGERS.directAsync, '1st.key'), { '1st': { key: 'k-1' } })).toBe('k-1');
  });
});

describe('resourceGroups', () => {
  const shop = modelOf(`service: shop
tables:
  zebras: { partitionKey: { name: id, type: string } }
  apples: { partitionKey: { name: id, type: string } }
buckets:
  images: {}
topics:
  news: {}
queues:
  outbox: { deadLetter: { maxReceiveCount: 5 } }
  jobQueue: { deadLetter: { maxReceiveCount: 5 } }
functions:
  everything:
    invocation: sync
    permissions: { send: [outbox, jobQueue], publish: [news], read: [zebras, images, apples], write: [zebras] }
    environment: { LOG_LEVEL: DEBUG, A_FLAG: 'on' }
  nothing:
    invocation: sync
`, 'specs/shop.yaml');

  it('groups tables, buckets, topics, queues, settings in that order, each sorted by variable, with samples of the right shape', () => {
    const groups = resourceGroups(shop, fn(shop, 'everything'));

    expect(groups.map((g) => g.name)).toEqual(['tables', 'buckets', 'topics', 'queues', 'settings']);
    expect(groups.map((g) => g.entries.map((e) => [e.property, e.variable.name, e.schema, e.sample, e.description]))).toEqual([
      [
        ['apples', 'TABLE_APPLES', 'envString', 'test-apples', 'the name of table apples (read)'],
        ['zebras', 'TABLE_ZEBRAS', 'envString', 'test-zebras', 'the name of table zebras (read, write)'],
      ],
      [['images', 'BUCKET_IMAGES', 'envString', 'test-images', 'the name of bucket images (read)']],
      [['news', 'TOPIC_NEWS_ARN', 'envArn', 'arn:aws:sns:eu-west-1:123456789012:shop-news', 'the ARN of topic news (publish)']],
      [
        ['jobQueue', 'QUEUE_JOB_QUEUE_URL', 'envUrl', 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-jobQueue', 'the URL of queue jobQueue (send)'],
        ['outbox', 'QUEUE_OUTBOX_URL', 'envUrl', 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-outbox', 'the URL of queue outbox (send)'],
      ],
      [
        ['LOG_LEVEL', 'LOG_LEVEL', 'envValue', 'DEBUG', 'LOG_LEVEL, set in the spec'],
        ['A_FLAG', 'A_FLAG', 'envValue', 'on', 'A_FLAG, set in the spec'],
      ],
    ]);
  });

  it('leaves out empty groups, the idempotency table and the Powertools settings', () => {
    const names = (model: ServiceModel, id: string) => resourceGroups(model, fn(model, id)).map((g) => [g.name, g.entries.map((e) => e.property)]);
    expect(names(shop, 'nothing')).toEqual([]);
    expect(names(billing, 'archiveInvoiceEvent')).toEqual([['buckets', ['invoicePdfs']]]);
    expect(names(billing, 'quoteTax')).toEqual([['settings', ['TAX_REGION', 'DEFAULT_RATE']]]);
    expect(names(billing, 'voidInvoice')).toEqual([['tables', ['invoices']], ['topics', ['invoiceEvents']]]);
  });
});

describe('the entry of each trigger type', () => {
  const entry = (model: ServiceModel, id: string) => renderEntry(model, fn(model, id));

  it('starts with the header naming its spec, and exports the handler wrapped in observability', () => {
    for (const model of [billing, orders]) {
      for (const f of Object.values(model.functions)) {
        const text = renderEntry(model, f);
        expect(text.startsWith(tsHeader(model.sourceFile)), f.id).toBe(true);
        expect(text, f.id).toContain(`import { ${f.id} } from '../../handlers/${model.service}/${f.fileName}.js';`);
        expect(text, f.id).toMatch(/\nexport const handler = withObservability\(\n[\s\S]*\n\);\n$/);
        expect(entryPath(model, f)).toBe(`src/generated/${model.service}/${f.fileName}.ts`);
        expect(typesPath(model, f)).toBe(`src/generated/${model.service}/${f.fileName}.types.ts`);
        expect(handlerModule(model, f)).toBe(`src/handlers/${model.service}/${f.fileName}.ts`);
        expect(testPath(model, f)).toBe(`test/handlers/${model.service}/${f.fileName}.test.ts`);
      }
    }
  });

  it('http without idempotency: the route and error mapping only, no idempotency table', () => {
    const text = entry(billing, 'getInvoice');
    expect(text).toContain('  mapHttpErrors(httpHandler(getInvoice, resources)),\n');
    expect(text).not.toMatch(/idempotent(Http)?\(|runtime\/idempotency\.js|IDEMPOTENCY_TABLE/);
    expect(text).toContain('Not idempotent (its trigger does not redeliver).');
    expect(text).toContain('  tables: { invoices: config.TABLE_INVOICES },\n  buckets: { invoicePdfs: config.BUCKET_INVOICE_PDFS },\n');
  });

  it('http with a key: idempotentHttp between the route and the error mapping, the header quoted', () => {
    expect(entry(billing, 'updateInvoice')).toContain(`  mapHttpErrors(idempotentHttp(httpHandler(updateInvoice, resources), {
    key: 'headers."x-request-id"',
    expiresAfterSeconds: 600,
    tableName: config.IDEMPOTENCY_TABLE,
    keyPrefix: 'billing.updateInvoice',
  })),
`);
    expect(entry(orders, 'createOrder')).toContain(`key: 'headers."idempotency-key"',`);
  });

  it('sqs: a batch handler told whether the queue is FIFO, around the idempotent record handler', () => {
    expect(entry(billing, 'applyPayment')).toContain(`  sqsBatchHandler(idempotent(withResources(applyPayment, resources), {
    key: 'powertools_json(body).paymentId',
    expiresAfterSeconds: 3600,
    tableName: config.IDEMPOTENCY_TABLE,
    keyPrefix: 'billing.applyPayment',
  }), { fifo: true }),
`);
    expect(entry(orders, 'fulfilOrder')).toContain('}), { fifo: false }),\n');
  });

  it('dynamodbStream with idempotency disabled: the batch handler around the plain record handler, the reason in the doc', () => {
    const text = entry(billing, 'projectLedger');
    expect(text).toContain('  streamBatchHandler(withResources(projectLedger, resources)),\n');
    expect(text).not.toMatch(/idempotent(Http)?\(|runtime\/idempotency\.js|IDEMPOTENCY_TABLE/);
    expect(text).toContain('Idempotency disabled: the balance is recomputed from the ledger and overwritten, so a repeat is harmless.');
    expect(entry(orders, 'publishOrderEvents')).toContain(`streamBatchHandler(idempotent(withResources(publishOrderEvents, resources), {\n    key: 'eventID',`);
  });

  it('sns: the SNS handler around the idempotent message handler, keyed inside the parsed message', () => {
    expect(entry(billing, 'archiveInvoiceEvent')).toContain(`  snsHandler(idempotent(withResources(archiveInvoiceEvent, resources), {
    key: 'powertools_json(Sns.Message).eventId',
    expiresAfterSeconds: 3600,
    tableName: config.IDEMPOTENCY_TABLE,
    keyPrefix: 'billing.archiveInvoiceEvent',
  })),
`);
  });

  it('schedule and direct async: the idempotent handler itself, no batch or SNS wrapper', () => {
    const reminders = entry(billing, 'sendReminders');
    const pdf = entry(billing, 'renderInvoicePdf');
    expect(reminders).toContain(`withObservability(\n  idempotent(withResources(sendReminders, resources), {\n    key: 'id',\n    expiresAfterSeconds: 3600,`);
    expect(reminders).toContain(`keyPrefix: 'billing.sendReminders',`);
    expect(reminders).toContain(`  QUEUE_REMINDERS_URL: envUrl('the URL of queue reminders (send)'),\n  REMINDER_AFTER_DAYS: envValue('REMINDER_AFTER_DAYS, set in the spec'),\n`);
    expect(reminders).toContain('  queues: { reminders: config.QUEUE_REMINDERS_URL },\n  settings: { REMINDER_AFTER_DAYS: config.REMINDER_AFTER_DAYS },\n');
    expect(pdf).toContain(`withObservability(\n  idempotent(withResources(renderInvoicePdf, resources), {\n    key: 'invoiceId',\n    expiresAfterSeconds: 86400,`);
    expect(pdf).toContain(`keyPrefix: 'billing.renderInvoicePdf',`);
    for (const text of [reminders, pdf]) {
      expect(text).not.toMatch(/sqsBatchHandler|streamBatchHandler|snsHandler|mapHttpErrors/);
    }
  });

  it('direct sync without idempotency: the bound handler only, its settings validated at INIT', () => {
    const text = entry(billing, 'quoteTax');
    expect(text).toContain('withObservability(\n  withResources(quoteTax, resources),\n);\n');
    expect(text).not.toMatch(/idempotent(Http)?\(|runtime\/idempotency\.js|IDEMPOTENCY_TABLE/);
    expect(text).toContain(`import { envValue, loadConfig } from '@kiro-serverless/runtime/config';`);
    expect(text).toContain(`  TAX_REGION: envValue('TAX_REGION, set in the spec'),\n  DEFAULT_RATE: envValue('DEFAULT_RATE, set in the spec'),\n`);
  });

  it('reads only the idempotency table when that is all it needs, and has no config at all when it needs nothing', () => {
    const bare = modelOf(`service: bare
queues:
  failures: {}
functions:
  ping:
    invocation: sync
  pong:
    idempotency: { key: pingId }
    async: { onFailure: failures }
`, 'specs/bare.yaml');
    const ping = renderEntry(bare, fn(bare, 'ping'));
    const pong = renderEntry(bare, fn(bare, 'pong'));
    expect(ping).not.toContain('config');
    expect(ping).toContain('const resources: PingResources = {};');
    expect(pong).toContain(`const config = loadConfig({\n  IDEMPOTENCY_TABLE: envString('the name of the idempotency table'),\n});`);
    expect(pong).toContain('const resources: PongResources = {};');
  });

  it('imports only what it uses, sorted by module', () => {
    for (const model of [billing, orders]) {
      for (const f of Object.values(model.functions)) {
        const text = renderEntry(model, f);
        const runtime = [...text.matchAll(/^import \{ ([^}]+) \} from '(\.\.\/\.\.\/runtime\/[^']+)';$/gm)];
        expect(runtime.map((m) => m[2]), f.id).toEqual(runtime.map((m) => m[2]).sort());
        const body = text.slice(text.indexOf('\n\n'));
        for (const name of runtime.flatMap((m) => m[1]!.split(', '))) {
          expect(body, `${f.id} imports ${name}`).toContain(`${name}(`);
        }
      }
    }
  });
});

describe('types and scaffolds per trigger type', () => {
  it('types the input of each event-source trigger, and lets direct and http callers name theirs', () => {
    const declarations = Object.fromEntries(Object.values(billing.functions).map((f) => [f.id, renderTypes(billing, f).split('\n').at(-2)]));
    expect(declarations).toEqual({
      getInvoice: 'export type GetInvoiceRoute<TBody = undefined> = HttpRoute<TBody, GetInvoiceResources>;',
      updateInvoice: 'export type UpdateInvoiceRoute<TBody = undefined> = HttpRoute<TBody, UpdateInvoiceResources>;',
      voidInvoice: 'export type VoidInvoiceRoute<TBody = undefined> = HttpRoute<TBody, VoidInvoiceResources>;',
      sendReminders: 'export type SendRemindersHandler = EventHandler<ScheduledEvent, SendRemindersResources>;',
      renderInvoicePdf: 'export type RenderInvoicePdfHandler<TEvent = unknown> = EventHandler<TEvent, RenderInvoicePdfResources>;',
      quoteTax: 'export type QuoteTaxHandler<TEvent = unknown, TResult = unknown> = EventHandler<TEvent, QuoteTaxResources, TResult>;',
      applyPayment: 'export type ApplyPaymentHandler = EventHandler<SQSRecord, ApplyPaymentResources>;',
      projectLedger: 'export type ProjectLedgerHandler = EventHandler<DynamoDBRecord, ProjectLedgerResources>;',
      archiveInvoiceEvent: 'export type ArchiveInvoiceEventHandler = EventHandler<SNSEventRecord, ArchiveInvoiceEventResources>;',
    });
  });

  it('scaffolds a body schema only for methods with a body', () => {
    expect(renderHandlerScaffold(billing, fn(billing, 'updateInvoice'))).toContain('} satisfies UpdateInvoiceRoute<z.infer<typeof Body>>;');
    for (const id of ['getInvoice', 'voidInvoice']) {
      const text = renderHandlerScaffold(billing, fn(billing, id));
      expect(text, id).not.toContain('zod');
      expect(text, id).toMatch(/\} satisfies \w+Route;\n$/);
    }
  });

  it('scaffolds tests that fill path parameters, number keys and direct results from the spec', () => {
    expect(renderTestScaffold(billing, fn(billing, 'getInvoice')))
      .toContain(`httpEvent({ method: 'GET', path: '/invoices/invoiceId-1', pathParameters: { invoiceId: 'invoiceId-1' } })`);
    expect(renderTestScaffold(billing, fn(billing, 'updateInvoice'))).toContain(`pathParameters: { invoiceId: 'invoiceId-1' }, body: {} })`);
    const ledger = renderTestScaffold(billing, fn(billing, 'projectLedger'));
    expect(ledger).toContain(`streamRecords({ table: 'ledger', keys: ['accountNo', 'entryNo'], viewType: 'KEYS_ONLY' })`);
    expect(ledger).toContain('records.insert({ accountNo: 1, entryNo: 1 })');
    expect(renderTestScaffold(billing, fn(billing, 'applyPayment'))).toMatch(/sqsRecord\(\{ id: 'id-1' \}, \{ queue: 'payments', fifo: \{ groupId: '[^']+' \} \}\)/);
    expect(renderTestScaffold(orders, fn(orders, 'fulfilOrder'))).toContain(`sqsRecord({ id: 'id-1' }, { queue: 'fulfilment' })`);
    expect(renderTestScaffold(billing, fn(billing, 'quoteTax'))).toContain('.resolves.toEqual({ ok: true });');
    expect(renderTestScaffold(billing, fn(billing, 'renderInvoicePdf'))).toContain('.resolves.toBeUndefined();');
    expect(renderTestScaffold(billing, fn(billing, 'sendReminders')))
      .toContain(`const resources: SendRemindersResources = {\n  tables: { invoices: 'test-invoices' },\n  queues: { reminders: 'https://sqs.eu-west-1.amazonaws.com/123456789012/billing-reminders' },\n  settings: { REMINDER_AFTER_DAYS: '14' },\n};`);
  });
});
