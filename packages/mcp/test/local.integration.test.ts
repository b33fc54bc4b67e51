/**
 * get_deployment_status and get_recent_failures with target "local", against a real local cloud of
 * the example (DynamoDB Local, fauxqs, the event-source-mapping engine) started by the test, whose
 * state file is kept as `npm run dev` keeps it. One good order and one poison order go through the
 * HTTP API; the poison one ends in the fulfilment DLQ after its receives run out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '@kiro-serverless/local-cloud/cloud';
import { startLocalCloud } from '@kiro-serverless/local-cloud/cloud';
import { captureState, keepStateFile } from '@kiro-serverless/local-cloud/state';
import type { LocalStatusT, RecentFailuresT } from '../src/schemas.js';
import { loadServiceModels } from '@kiro-serverless/model/check';
import type { Connected } from './support.js';
import { connect, generatedOrders, textOf } from './support.js';

let tmp: string;
let cloud: LocalCloud;
let state: { stop(): Promise<void>; flush(): Promise<void> };
let server: Connected;
/** The orders fixture, generated into a temporary folder. */
let PROJECT_ROOT = '';
const stateFile = () => path.join(tmp, 'state.json');

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'mcp-local-'));
  PROJECT_ROOT = (await generatedOrders('mcp-local-fixture')).root;
  const models = await loadServiceModels(PROJECT_ROOT);
  cloud = await startLocalCloud({ root: PROJECT_ROOT, models, stateDir: path.join(tmp, 'run') });
  state = keepStateFile(cloud, stateFile(), 60_000);
  server = await connect({ root: PROJECT_ROOT, localStateFile: stateFile() });

  const orders = cloud.services.orders;
  const post = (key: string, body: unknown) => fetch(`${orders?.httpUrl}/orders`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body),
  });
  expect((await post('mcp-good', { customerId: 'c-1', items: [{ sku: 'TEA-SENCHA', quantity: 1 }] })).status).toBe(201);
  expect((await post('mcp-poison', { customerId: 'c-2', items: [{ sku: 'TEA-SENCHA', quantity: 1 }], poison: true })).status).toBe(201);
  // A direct invocation with an event fulfilOrder cannot read: a failed invocation.
  await orders?.invoke('fulfilOrder', { Records: 'not a batch' }).catch(() => undefined);
  await cloud.waitForIdle({ timeoutMs: 60_000 });
  // Something an operator would not want shown in full: a secret in the body and in an attribute.
  const dlqUrl = orders?.resources.queues.fulfilment?.deadLetter?.url;
  await cloud.clients.sqs.send(new SendMessageCommand({
    QueueUrl: dlqUrl, MessageBody: JSON.stringify({ orderId: 'o-secret', password: 'hunter2', note: 'x'.repeat(3_000) }),
    MessageAttributes: { authToken: { DataType: 'String', StringValue: 'abc' }, type: { DataType: 'String', StringValue: 'OrderPlaced' } },
  }));
  await state.flush();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await state?.stop();
  await cloud?.stop();
  await rm(tmp, { recursive: true, force: true });
  if (PROJECT_ROOT !== '') await rm(PROJECT_ROOT, { recursive: true, force: true });
});

describe('target local, against a running local cloud', () => {
  it('get_deployment_status: up, endpoints, resources, per-function INITs and invocations, per-mapping counts, DLQ arrivals', async () => {
    const r = await server.call('get_deployment_status', { target: 'local' });
    expect(r.isError, textOf(r)).toBeFalsy();
    const local = (r.structuredContent as { local: LocalStatusT }).local;
    expect(local).toMatchObject({ running: true, stale: false, pid: process.pid, endpoints: cloud.endpoints });
    const orders = local.services.find((s) => s.service === 'orders');
    expect(orders?.httpUrl).toBe(cloud.services.orders?.httpUrl);
    expect(orders?.resources.tables.orders).toBe('orders-orders');
    expect(orders?.resources.queues.fulfilment?.deadLetterUrl).toContain('orders-fulfilment-dlq');
    const fn = (id: string) => orders?.functions.find((f) => f.id === id);
    expect(fn('createOrder')).toMatchObject({ invocations: 2, errors: 0 });
    expect(fn('createOrder')?.inits).toBeGreaterThanOrEqual(1);
    // The bad direct invocation at least; a poison batch is an error or a partial failure depending on what shares it.
    expect(fn('fulfilOrder')?.errors).toBeGreaterThanOrEqual(1);
    const fulfilMapping = orders?.mappings.find((m) => m.kind === 'sqs' && m.fn === 'fulfilOrder');
    expect(fulfilMapping?.failures).toBeGreaterThanOrEqual(5); // one per receive of the poison order (maxReceiveCount 5)
    expect(orders?.mappings.find((m) => m.kind === 'dynamodbStream' && m.fn === 'publishOrderEvents')?.batches).toBeGreaterThanOrEqual(1);
    expect(orders?.deadLetterArrivals).toEqual({ fulfilment: 1 });
    expect(textOf(r)).toMatch(/local cloud is up[\s\S]*orders/);
  });

  it('get_recent_failures: the engine\'s last failures and the DLQ messages, truncated and redacted', async () => {
    const r = await server.call('get_recent_failures', { target: 'local', service: 'orders' });
    expect(r.isError, textOf(r)).toBeFalsy();
    const f = r.structuredContent as RecentFailuresT;
    // The direct invocation with an event that is no batch, then the poison order's batches.
    expect(f.engineFailures[0]).toMatchObject({ kind: 'invocation', fn: 'fulfilOrder', errorType: 'UnexpectedBatchTypeError', message: expect.stringContaining('sync invocation failed') });
    expect(f.engineFailures.some((e) => e.kind === 'sqs-batch' && e.fn === 'fulfilOrder')).toBe(true);
    expect(f.engineFailures.some((e) => e.kind === 'dead-letter' && e.source === 'fulfilment')).toBe(true);
    const dlq = f.deadLetters.find((d) => d.label === 'fulfilment-dlq');
    expect(dlq?.depth).toBe(2);
    const [poison, planted] = dlq?.messages ?? [];
    expect(poison?.body).toContain('"poison":true');
    expect(poison?.receiveCount).toBeGreaterThanOrEqual(0);
    expect(planted?.body).toContain('"password":"[redacted]"');
    expect(planted?.body).not.toContain('hunter2');
    expect(planted?.body.length).toBeLessThan(1_100);
    expect(planted?.attributes).toEqual({ authToken: '[redacted]', type: 'OrderPlaced' });
    expect(f.deadLetters.map((d) => [d.label, d.role])).toEqual(expect.arrayContaining([['orderStreamFailures', 'on-failure'], ['notifyFailures', 'on-failure']]));
    // Reading did not consume them.
    const again = (await server.call('get_recent_failures', { target: 'local', service: 'orders' })).structuredContent as RecentFailuresT;
    expect(again.deadLetters.find((d) => d.label === 'fulfilment-dlq')?.depth).toBe(2);
  });

  it('a state file whose process is gone is reported as stale, with its last figures', async () => {
    const stale = path.join(tmp, 'stale.json');
    await writeFile(stale, JSON.stringify({ ...(await captureState(cloud, new Date())), pid: 2 ** 22 + 12_345 }));
    const other = await connect({ root: PROJECT_ROOT, localStateFile: stale });
    try {
      const local = ((await other.call('get_deployment_status', { target: 'local' })).structuredContent as { local: LocalStatusT }).local;
      expect(local).toMatchObject({ running: false, stale: true });
      expect(local.message).toMatch(/no longer running[\s\S]*npm run dev/);
      expect(local.services[0]?.functions.length).toBe(4);
    } finally {
      await other.close();
    }
  });

  it('no state file: not running, and how to start it', async () => {
    const other = await connect({ root: PROJECT_ROOT, localStateFile: path.join(tmp, 'absent.json') });
    try {
      const local = ((await other.call('get_deployment_status', { target: 'local' })).structuredContent as { local: LocalStatusT }).local;
      expect(local).toMatchObject({ running: false, stale: false, services: [] });
      expect(local.message).toContain('npm run dev');
    } finally {
      await other.close();
    }
  });
});
