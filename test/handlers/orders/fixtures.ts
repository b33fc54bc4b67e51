/** Test data of the orders service, shared by its handler tests. */
import { randomUUID } from 'node:crypto';
import type { Order, OrderEvent } from '../../../src/handlers/orders/order.js';
import { orderKey } from '../../../src/handlers/orders/order.js';

export const TABLE = 'test-orders';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:test-orderEvents';

/** A catalog bucket name of its own per call, so that no test reads another's /tmp copy. */
export const freshBucket = (): string => `test-catalog-${randomUUID()}`;

export const CATALOG = {
  products: [
    { sku: 'TEA', name: 'Tea', priceCents: 650, available: true },
    { sku: 'MUG', name: 'Mug', priceCents: 1500, available: true },
    { sku: 'KETTLE', name: 'Kettle', priceCents: 5900, available: false },
  ],
};

export function placedOrder(overrides: Partial<Order> = {}): Order {
  const orderId = overrides.orderId ?? 'o-1';
  return {
    ...orderKey(orderId),
    orderId,
    customerId: 'c-1',
    status: 'PLACED',
    lines: [{ sku: 'TEA', quantity: 2, unitPriceCents: 650 }],
    totalCents: 1300,
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
    ...overrides,
  };
}

export function orderEvent(overrides: Partial<OrderEvent> = {}): OrderEvent {
  return {
    type: 'OrderPlaced',
    orderId: 'o-1',
    customerId: 'c-1',
    status: 'PLACED',
    totalCents: 1300,
    occurredAt: '2026-11-22T10:00:00.000Z',
    ...overrides,
  };
}
