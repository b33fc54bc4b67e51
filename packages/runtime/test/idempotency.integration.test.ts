/**
 * Idempotency against DynamoDB Local: the real persistence layer, conditional writes and all.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { z } from 'zod';
import { stubAwsEnv } from '@kiro-serverless/testing';
import { createIdempotencyTable, localClient } from '@kiro-serverless/testing/dynamodb';
import { httpEvent, lambdaContext, sqsEvent, sqsRecord } from '@kiro-serverless/testing';

const endpoint = inject('dynamoDbEndpoint');
const client = localClient(endpoint);
type Runtime = {
  idempotency: typeof import('../src/idempotency.js');
  http: typeof import('../src/http.js');
  batch: typeof import('../src/batch.js');
};
let rt: Runtime;
let tableName: string;

/** A latch: `wait()` resolves when `open()` is called. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { open, wait: () => opened };
}

beforeAll(async () => {
  stubAwsEnv();
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.resetModules();
  rt = {
    idempotency: await import('../src/idempotency.js'),
    http: await import('../src/http.js'),
    batch: await import('../src/batch.js'),
  };
  tableName = await createIdempotencyTable(client);
});
afterAll(() => {
  vi.unstubAllEnvs();
  client.destroy();
});

/** Waits until a record of `keyPrefix` is INPROGRESS in the table (the first call has claimed its key). */
async function claimed(keyPrefix: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const items = (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    if (items.some((i) => i.id?.S?.startsWith(`${keyPrefix}#`) && i.status?.S === 'INPROGRESS')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no INPROGRESS record of ${keyPrefix} after 5 s`);
}

const options = (keyPrefix: string) => ({ key: 'powertools_json(body).orderId', expiresAfterSeconds: 60, tableName, keyPrefix });
const delivery = (orderId: string) => sqsRecord({ orderId }, { queue: 'fulfilment' });

describe('idempotent (records of a queue)', () => {
  it('runs a repeated delivery (a new messageId, the same key) once, and returns the stored result', async () => {
    // Arrange
    let effects = 0;
    const fn = rt.idempotency.idempotent(async (record: SQSRecord) => {
      effects++;
      return { charged: (JSON.parse(record.body) as { orderId: string }).orderId, at: effects };
    }, options('test.repeat'));
    // Act
    const first = await fn(delivery('o-1'), lambdaContext());
    const second = await fn(delivery('o-1'), lambdaContext());
    const other = await fn(delivery('o-2'), lambdaContext());
    // Assert
    expect(effects).toBe(2);
    expect(second).toEqual(first);
    expect(other).toEqual({ charged: 'o-2', at: 2 });
  });

  it('stores records under <service>.<function> and marks them COMPLETED with an expiry', async () => {
    const fn = rt.idempotency.idempotent(async () => 'done', options('orders.fulfilOrder'));
    await fn(delivery('o-stored'), lambdaContext());
    const items = (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    const mine = items.filter((i) => i.id?.S?.startsWith('orders.fulfilOrder#'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: { S: 'COMPLETED' } });
    expect(Number(mine[0]!.expiration?.N)).toBeGreaterThan(Date.now() / 1000);
  });

  it('stores nothing for a call that throws, so that its retry runs again', async () => {
    let calls = 0;
    const fn = rt.idempotency.idempotent(async () => {
      calls++;
      if (calls === 1) throw new Error('transient');
      return 'ok';
    }, options('test.retry'));
    await expect(fn(delivery('o-3'), lambdaContext())).rejects.toThrow('transient');
    await expect(fn(delivery('o-3'), lambdaContext())).resolves.toBe('ok');
    expect(calls).toBe(2);
  });

  it('refuses a concurrent duplicate while the first is in progress, then serves the stored result', async () => {
    // Arrange
    const gate = latch();
    let effects = 0;
    const fn = rt.idempotency.idempotent(async () => {
      effects++;
      await gate.wait();
      return effects;
    }, options('test.concurrent'));
    // Act
    const first = fn(delivery('o-4'), lambdaContext());
    await claimed('test.concurrent');
    const duplicate = fn(delivery('o-4'), lambdaContext());
    await expect(duplicate).rejects.toBeInstanceOf(IdempotencyAlreadyInProgressError);
    gate.open();
    // Assert
    await expect(first).resolves.toBe(1);
    await expect(fn(delivery('o-4'), lambdaContext())).resolves.toBe(1);
    expect(effects).toBe(1);
  });

  it('fails a record without the key (the spec declared it)', async () => {
    const fn = rt.idempotency.idempotent(async () => 'ok', options('test.nokey'));
    const failure = fn(sqsRecord({ other: 1 }), lambdaContext());
    await expect(failure).rejects.toBeInstanceOf(rt.idempotency.MissingIdempotencyKeyError);
    await expect(failure).rejects.toThrow('test.nokey: the input has no idempotency key at powertools_json(body).orderId');
  });

  it('in an SQS batch, fails the duplicate of a record that is still in progress and runs the key once', async () => {
    // Arrange: the same order twice in one batch (Lambda may deliver a message twice)
    let effects = 0;
    const fn = rt.idempotency.idempotent(async () => {
      effects++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }, options('test.batch'));
    const handler = rt.batch.sqsBatchHandler(fn);
    const records = [delivery('o-5'), delivery('o-5'), delivery('o-6')];
    // Act
    const response = await handler(sqsEvent(records), lambdaContext());
    // Assert: one of the twins is reported and comes back later; its retry is served from the store
    expect(response.batchItemFailures).toHaveLength(1);
    expect([records[0]!.messageId, records[1]!.messageId]).toContain(response.batchItemFailures[0]!.itemIdentifier);
    expect(effects).toBe(2);
    const retried = records.find((r) => r.messageId === response.batchItemFailures[0]!.itemIdentifier)!;
    expect(await handler(sqsEvent([retried]), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(effects).toBe(2);
  });
});

describe('idempotentHttp', () => {
  const httpOptions = (keyPrefix: string) => ({ key: 'headers."idempotency-key"', expiresAfterSeconds: 60, tableName, keyPrefix });
  const post = (key: string | undefined, body: unknown = { sku: 'TEA' }) =>
    httpEvent({ method: 'POST', path: '/orders', body, ...(key === undefined ? {} : { headers: { 'Idempotency-Key': key } }) });

  function counter(keyPrefix: string, handle?: () => Promise<void>) {
    const state = { calls: 0 };
    const route = {
      body: undefined,
      async handle() {
        state.calls++;
        await handle?.();
        return { statusCode: 201, body: { orderId: `order-${state.calls}` } };
      },
    };
    const handler = rt.http.mapHttpErrors(rt.idempotency.idempotentHttp(rt.http.httpHandler(route, {}), httpOptions(keyPrefix)));
    return { state, handler };
  }

  it('answers a repeated request with the stored response, without running it again', async () => {
    const { state, handler } = counter('test.http-repeat');
    const first = await handler(post('key-1'), lambdaContext());
    const second = await handler(post('key-1'), lambdaContext());
    expect(first.statusCode).toBe(201);
    expect(second).toEqual(first);
    expect(state.calls).toBe(1);
  });

  it('runs every request that has no Idempotency-Key', async () => {
    const { state, handler } = counter('test.http-nokey');
    await handler(post(undefined), lambdaContext());
    await handler(post(undefined), lambdaContext());
    expect(state.calls).toBe(2);
  });

  it('answers 409 RequestInProgress to a duplicate that arrives while the first runs', async () => {
    const gate = latch();
    const { state, handler } = counter('test.http-concurrent', () => gate.wait());
    const first = handler(post('key-2'), lambdaContext());
    await claimed('test.http-concurrent');
    const duplicate = await handler(post('key-2'), lambdaContext());
    gate.open();
    expect([duplicate.statusCode, (JSON.parse(duplicate.body ?? '{}') as { error: string }).error]).toEqual([409, 'RequestInProgress']);
    expect((await first).statusCode).toBe(201);
    expect(state.calls).toBe(1);
  });

  it('does not store an error answer: a corrected request with the same key runs', async () => {
    let calls = 0;
    const route = {
      body: z.object({ sku: z.string() }),
      handle() {
        calls++;
        return Promise.resolve({ statusCode: 201 });
      },
    };
    const handler = rt.http.mapHttpErrors(rt.idempotency.idempotentHttp(rt.http.httpHandler(route, {}), httpOptions('test.http-error')));
    expect((await handler(post('key-3', { sku: 7 }), lambdaContext())).statusCode).toBe(400);
    expect((await handler(post('key-3', { sku: 'TEA' }), lambdaContext())).statusCode).toBe(201);
    expect(calls).toBe(1);
  });
});
