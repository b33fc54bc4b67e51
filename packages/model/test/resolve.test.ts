import { describe, expect, it } from 'vitest';
import { checkSpecText } from '../src/check.js';
import { DEFAULTS } from '../src/constants.js';
import type { ServiceModel } from '../src/model.js';
import { consumersOf, invocationKind, isRetried, kebabCase, ServiceModelSchema } from '../src/model.js';
import { edit, ORDERS, ORDERS_FILE } from '@kiro-serverless/fixtures';

function modelOf(text: string): ServiceModel {
  const { model, findings } = checkSpecText(text, ORDERS_FILE);
  if (!model) throw new Error(JSON.stringify(findings, null, 1));
  return model;
}

const MINIMAL = `service: orders
tables:
  orders: { partitionKey: { name: pk, type: string }, stream: newImage }
queues:
  work: { deadLetter: { maxReceiveCount: 5 } }
  failures: {}
functions:
  consume:
    timeoutSeconds: 20
    idempotency: { key: body.id }
    trigger: { sqs: { queue: work } }
  stream:
    idempotency: { key: dynamodb.Keys.pk.S }
    trigger: { dynamodbStream: { table: orders, onFailure: failures } }
  background:
    idempotency: { disabled: "recomputes a cache" }
    async: { onFailure: failures }
  lookup:
    invocation: sync
`;

describe('defaults', () => {
  it('gives a consumed queue a visibility timeout of 6x its consumer timeout, others 30 s', () => {
    const model = modelOf(MINIMAL);
    expect(model.queues.work?.visibilityTimeoutSeconds).toBe(120);
    expect(model.queues.failures?.visibilityTimeoutSeconds).toBe(30);
    expect(modelOf(ORDERS).queues.fulfilment?.visibilityTimeoutSeconds).toBe(60);
  });

  it('keeps an explicit visibility timeout', () => {
    const model = modelOf(MINIMAL.replace('work: { deadLetter', 'work: { visibilityTimeoutSeconds: 300, deadLetter'));
    expect(model.queues.work?.visibilityTimeoutSeconds).toBe(300);
  });

  it('applies defaults.function, then the project defaults, and lets a function override them', () => {
    const model = modelOf(MINIMAL.replace('service: orders\n', 'service: orders\ndefaults: { function: { memoryMb: 1024 } }\n'));
    expect(model.functions.consume).toMatchObject({ memoryMb: 1024, timeoutSeconds: 20, architecture: 'arm64', runtime: 'nodejs22.x', deployment: 'allAtOnce' });
    expect(model.functions.stream?.timeoutSeconds).toBe(DEFAULTS.function.timeoutSeconds);
  });

  it('fills stream and sqs trigger defaults with bounded, failure-reporting settings', () => {
    const model = modelOf(MINIMAL);
    expect(model.functions.stream?.trigger).toEqual({
      type: 'dynamodbStream', table: 'orders', onFailure: 'failures', startingPosition: 'trimHorizon', batchSize: 100,
      batchingWindowSeconds: 0, bisectOnError: true, maxRetries: 3, maxRecordAgeSeconds: 3600, parallelization: 1, reportBatchItemFailures: true,
    });
    expect(model.functions.consume?.trigger).toEqual({ type: 'sqs', queue: 'work', batchSize: 10, batchingWindowSeconds: 0, reportBatchItemFailures: true });
  });

  it('treats a function with no trigger as asynchronous unless it says sync', () => {
    const model = modelOf(MINIMAL);
    expect(model.functions.background?.trigger).toEqual({ type: 'direct', invocation: 'async', async: { maxRetries: 2, maxEventAgeSeconds: 21600, onFailure: 'failures' } });
    expect(model.functions.lookup?.trigger).toEqual({ type: 'direct', invocation: 'sync' });
    expect(invocationKind(model.functions.lookup!.trigger)).toBe('sync');
    expect(isRetried(model.functions.background!.trigger)).toBe(true);
    expect(isRetried(model.functions.lookup!.trigger)).toBe(false);
  });

  it('gives every function empty permission lists, an idempotency expiry and a kebab-case file name', () => {
    const model = modelOf(MINIMAL);
    expect(model.functions.lookup?.permissions).toEqual({ read: [], write: [], publish: [], send: [], connect: [] });
    expect(model.functions.consume?.idempotency).toEqual({ key: 'body.id', expiresAfterSeconds: 3600 });
    expect(model.functions.background?.idempotency).toEqual({ disabled: 'recomputes a cache' });
    expect(modelOf(ORDERS).functions.publishOrderEvents?.fileName).toBe('publish-order-events');
  });

  it('turns a schedule into an EventBridge expression', () => {
    const model = modelOf(MINIMAL.replace('  lookup:\n    invocation: sync\n',
      '  nightly:\n    idempotency: { key: id }\n    trigger: { schedule: { cron: "0 2 * * ? *", maxRetries: 0, onFailure: failures } }\n'));
    expect(model.functions.nightly?.trigger).toEqual({ type: 'schedule', expression: 'cron(0 2 * * ? *)', async: { maxRetries: 0, maxEventAgeSeconds: 21600, onFailure: 'failures' } });
  });

  it('produces a plain-data model that its own schema accepts', () => {
    const model = modelOf(ORDERS);
    const roundTripped: unknown = JSON.parse(JSON.stringify(model));
    expect(ServiceModelSchema.parse(roundTripped)).toEqual(model);
    expect(consumersOf(model, 'fulfilment').map((f) => f.id)).toEqual(['fulfilOrder']);
  });

  it('defaults bisectOnError to true: the example means the same without the line', () => {
    expect(modelOf(edit(ORDERS, [['        bisectOnError: true\n', '']]))).toEqual(modelOf(ORDERS));
  });
});

describe('kebabCase', () => {
  it.each([
    ['createOrder', 'create-order'],
    ['publishOrderEvents', 'publish-order-events'],
    ['s3Sync', 's3-sync'],
    ['getHTTPStatus', 'get-http-status'],
    ['a', 'a'],
  ])('turns %s into %s', (input, output) => {
    expect(kebabCase(input)).toBe(output);
  });
});
