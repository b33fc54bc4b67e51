/**
 * The orders domain shared by the service's functions: how an order is stored, the events that
 * announce its changes, and the errors of its business rules.
 *
 * Storage (table `orders`): one item per order, `pk = ORDER#<orderId>`, `sk = ORDER`; each customer
 * notification is an item of the same partition, `sk = NOTIFICATION#<messageId>`.
 */
import * as z from 'zod';

/** The sort key of an order item (the stream filter of publishOrderEvents matches it). */
export const ORDER_SK = 'ORDER';

export function orderKey(orderId: string): { pk: string; sk: typeof ORDER_SK } {
  return { pk: `ORDER#${orderId}`, sk: ORDER_SK };
}

export function notificationKey(orderId: string, messageId: string): { pk: string; sk: string } {
  return { pk: `ORDER#${orderId}`, sk: `NOTIFICATION#${messageId}` };
}

const OrderId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'letters, digits, `_` and `-`, at most 64' });

export const OrderLine = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(1000),
});

/** The body of `POST /orders`. */
export const NewOrder = z.strictObject({
  /** Chosen by the client to make retries safe; generated when absent. */
  orderId: OrderId.optional(),
  customerId: z.string().min(1).max(128),
  items: z.array(OrderLine).min(1).max(50),
  /**
   * Demo switch: fulfilment of this order always fails, so that retries, partial batch failures
   * and the dead-letter queue can be watched in the local cloud.
   */
  poison: z.boolean().optional(),
});
export type NewOrder = z.infer<typeof NewOrder>;

export const OrderStatus = z.enum(['PLACED', 'FULFILLED']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** An order as stored. */
export const Order = z.object({
  pk: z.string(),
  sk: z.literal(ORDER_SK),
  orderId: OrderId,
  customerId: z.string(),
  status: OrderStatus,
  lines: z.array(OrderLine.extend({ unitPriceCents: z.number().int().nonnegative() })),
  totalCents: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  fulfilledAt: z.iso.datetime().optional(),
  poison: z.boolean().optional(),
});
export type Order = z.infer<typeof Order>;

/** What the service tells the world about an order (topic `orderEvents`, and the fulfilment queue). */
export const OrderEvent = z.object({
  type: z.enum(['OrderPlaced', 'OrderFulfilled']),
  orderId: OrderId,
  customerId: z.string(),
  status: OrderStatus,
  totalCents: z.number().int().nonnegative(),
  occurredAt: z.iso.datetime(),
  poison: z.boolean().optional(),
});
export type OrderEvent = z.infer<typeof OrderEvent>;

/** Reads an order event from JSON text (a queue message body, an SNS message). */
export function parseOrderEvent(text: string): OrderEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedEventError('the message is not JSON', { cause: error });
  }
  const parsed = OrderEvent.safeParse(json);
  if (!parsed.success) throw new MalformedEventError(z.prettifyError(parsed.error), { cause: parsed.error });
  return parsed.data;
}

/** A message or record that is not an order event: retrying cannot fix it (it ends in the DLQ or OnFailure). */
export class MalformedEventError extends Error {
  constructor(problem: string, options?: ErrorOptions) {
    super(`Not an order event: ${problem}`, options);
    this.name = 'MalformedEventError';
  }
}

/** The order is flagged `poison` (a demo switch): its fulfilment always fails. */
export class PoisonOrderError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} is flagged as poison; its fulfilment fails on purpose.`);
    this.name = 'PoisonOrderError';
  }
}

/** The order cannot be fulfilled in its current state (absent, or not PLACED); retried until the DLQ. */
export class OrderNotPlacedError extends Error {
  constructor(readonly orderId: string, readonly status: string | undefined) {
    super(status === undefined ? `Order ${orderId} does not exist.` : `Order ${orderId} is ${status}, not PLACED.`);
    this.name = 'OrderNotPlacedError';
  }
}
