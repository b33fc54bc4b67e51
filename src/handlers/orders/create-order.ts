/**
 * createOrder: accept an order over HTTP and store it.
 *
 * Business logic only. The entry (src/generated/orders/create-order.ts) reads the configuration at
 * INIT, validates the body against `NewOrder` (400 with the problems), makes the call idempotent by
 * the `Idempotency-Key` header (a repeat gets the stored 201), and maps errors to responses.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CreateOrderRoute } from '../../generated/orders/create-order.types.js';
import { documentClient } from '@kiro-serverless/runtime/clients/dynamodb';
import { ConflictError, UnprocessableError } from '@kiro-serverless/runtime/http-errors';
import { metrics } from '@kiro-serverless/runtime/observability';
import { loadCatalog } from './catalog.js';
import type { Order } from './order.js';
import { NewOrder, orderKey } from './order.js';

/** Why a line of the order cannot be accepted. */
interface LineProblem {
  readonly sku: string;
  readonly problem: 'unknown product' | 'not available';
}

/** POST /orders: 201 with the stored order; 422 when an item is unknown or unavailable; 409 when the orderId is taken. */
export const createOrder = {
  body: NewOrder,
  async handle(request, { resources }) {
    const order = request.body;
    const catalog = await loadCatalog(resources.buckets.catalog);

    const problems: LineProblem[] = [];
    for (const { sku } of order.items) {
      const product = catalog.get(sku);
      if (product === undefined) problems.push({ sku, problem: 'unknown product' });
      else if (!product.available) problems.push({ sku, problem: 'not available' });
    }
    if (problems.length > 0) {
      throw new UnprocessableError(`${problems.length} item(s) cannot be ordered: ${problems.map((p) => `${p.sku} (${p.problem})`).join(', ')}.`, { code: 'ItemsUnavailable', details: problems });
    }

    const orderId = order.orderId ?? randomUUID();
    const now = new Date().toISOString();
    const lines = order.items.map((line) => ({ ...line, unitPriceCents: catalog.get(line.sku)?.priceCents ?? 0 }));
    const item: Order = {
      ...orderKey(orderId),
      orderId,
      customerId: order.customerId,
      status: 'PLACED',
      lines,
      totalCents: lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0),
      createdAt: now,
      updatedAt: now,
      ...(order.poison === true ? { poison: true } : {}),
    };

    try {
      await documentClient.send(new PutCommand({
        TableName: resources.tables.orders,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`Order ${orderId} exists already; choose another orderId, or send the same Idempotency-Key to repeat a request.`, { code: 'OrderExists' });
      }
      throw error;
    }

    metrics.addMetric('OrdersPlaced', 'Count', 1);
    return {
      statusCode: 201,
      headers: { location: `/orders/${orderId}` },
      body: { orderId, status: item.status, totalCents: item.totalCents, lines, createdAt: now },
    };
  },
} satisfies CreateOrderRoute<NewOrder>;
