/**
 * The orders example's scenario (`npm start`): a few dozen orders over HTTP, one malformed, one sent
 * twice with the same Idempotency-Key, and one poison order that fulfilOrder always fails. Every
 * order must end fulfilled or in the fulfilment dead-letter queue, and every order event must be
 * notified or in notifyFailures: none lost.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { defineScenario } from '@kiro-serverless/local-cloud/scenario';
import type { ScenarioContext } from '@kiro-serverless/local-cloud/scenario';

/** Good orders sent; one poison order, one malformed request and one replay come on top. */
const GOOD_ORDERS = 30;
/** Requests in flight at once, as a handful of browser sessions would send them. */
const CLIENT_CONCURRENCY = 4;

interface Product { readonly sku: string; readonly available: boolean }
interface Created { readonly orderId: string; readonly createdAt: string }

export default defineScenario({
  description: `${GOOD_ORDERS} orders, 1 malformed, 1 replayed Idempotency-Key, 1 poison order`,

  async run(context) {
    const url = context.httpUrl;
    if (!url) throw new Error('the orders service has no HTTP API');
    const skus = await availableSkus(context);
    const post = async (key: string, body: unknown): Promise<{ status: number; json: unknown }> => {
      const response = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, json: await response.json().catch(() => undefined) };
    };
    const order = (i: number, poison = false) => ({
      customerId: `customer-${i % 7}`,
      items: [{ sku: skus[i % skus.length], quantity: 1 + (i % 3) }],
      ...(poison ? { poison: true } : {}),
    });

    // The good orders and the poison one, a few at a time.
    const requests = [...Array.from({ length: GOOD_ORDERS }, (_, i) => () => post(`order-${i}`, order(i))), () => post('order-poison', order(99, true))];
    const results = await inBatches(requests, CLIENT_CONCURRENCY);
    const created = results.filter((r) => r.status === 201).map((r) => r.json as Created);

    // A client that did not see the answer sends the same request again: it must get the same order back.
    const replay = await post('order-0', order(0));
    const original = created.find((c) => c.orderId === (replay.json as Created | undefined)?.orderId);
    const answeredFromStore = replay.status === 201 && original !== undefined && original.createdAt === (replay.json as Created).createdAt ? 1 : 0;

    // Not an order at all: the function answers 400 and stores nothing.
    const malformed = await post('order-malformed', '{"customerId": 42, "items": "none"}');

    context.note(`scenario: ${requests.length + 2} requests sent; waiting for streams, queues and retries to settle`);
    await context.waitForIdle({ timeoutMs: 90_000 });

    const items = await scanAll(context);
    const orders = items.filter((item) => item.sk?.S === 'ORDER');
    const fulfilled = orders.filter((item) => item.status?.S === 'FULFILLED').length;
    const notifications = items.filter((item) => item.sk?.S?.startsWith('NOTIFICATION#')).length;
    const inFulfilmentDlq = await depth(context, context.resources.queues['fulfilment']?.deadLetter?.url);
    const notifyFailures = await depth(context, context.resources.queues['notifyFailures']?.url);
    const streamFailures = await depth(context, context.resources.queues['orderStreamFailures']?.url);

    // Each order announces OrderPlaced, and OrderFulfilled once fulfilled.
    const eventsPublished = orders.length + fulfilled;
    const lostOrders = orders.length - fulfilled - inFulfilmentDlq;
    const lostEvents = eventsPublished - notifications - notifyFailures;
    return {
      lost: Math.max(0, lostOrders) + Math.max(0, lostEvents) + streamFailures,
      checks: [
        { label: 'orders accepted (201)', expected: GOOD_ORDERS + 1, actual: created.length },
        { label: 'rejected with 400', expected: 1, actual: malformed.status === 400 ? 1 : 0 },
        { label: 'duplicates answered from idempotency', expected: 1, actual: answeredFromStore },
        { label: 'orders stored', expected: GOOD_ORDERS + 1, actual: orders.length },
        { label: 'orders processed (fulfilled)', expected: GOOD_ORDERS, actual: fulfilled },
        { label: 'in the fulfilment DLQ', expected: 1, actual: inFulfilmentDlq },
        { label: 'customers notified', expected: 2 * GOOD_ORDERS + 1, actual: notifications },
        { label: 'stream OnFailure records', expected: 0, actual: streamFailures },
        { label: 'notify OnFailure records', expected: 0, actual: notifyFailures },
      ],
    };
  },
});

async function availableSkus(context: ScenarioContext): Promise<string[]> {
  const bucket = context.resources.buckets['catalog']?.name;
  const object = await context.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'catalog.json' }));
  const catalog = JSON.parse(await object.Body?.transformToString() ?? '{}') as { products?: Product[] };
  const skus = (catalog.products ?? []).filter((p) => p.available).map((p) => p.sku);
  if (skus.length === 0) throw new Error('the catalog seed (specs/fixtures/orders/catalog/catalog.json) has no available product');
  return skus;
}

async function inBatches<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task) results[index] = await task();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

async function scanAll(context: ScenarioContext): Promise<Record<string, { S?: string }>[]> {
  const items: Record<string, { S?: string }>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await context.clients.dynamoDb.send(new ScanCommand({ TableName: context.resources.tables['orders']?.name, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []) as Record<string, { S?: string }>[]);
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return items;
}

async function depth(context: ScenarioContext, queueUrl: string | undefined): Promise<number> {
  if (!queueUrl) return 0;
  const { Attributes } = await context.clients.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
