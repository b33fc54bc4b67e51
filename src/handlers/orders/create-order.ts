/**
 * createOrder: Accept an order over HTTP and store it.
 *
 * Business logic only. The entry (src/generated/orders/create-order.ts) reads the
 * configuration at INIT and wraps this function with its trigger's error handling, idempotency,
 * logging and metrics. SDK clients come from src/runtime/clients, created once at module scope.
 */
import { z } from 'zod';
import type { CreateOrderRoute } from '../../generated/orders/create-order.types.js';

/** The JSON body of POST /orders. TODO: describe its fields. */
const Body = z.object({});

/** POST /orders (API Gateway HTTP API). Throw an HttpError (400, 404, 409, 422) to answer the caller; any other error answers 500 and is logged. */
export const createOrder = {
  body: Body,
  handle(request) {
    // TODO: the business logic. The second parameter's `resources` holds tables.orders, buckets.catalog, settings.LOG_LEVEL.
    return Promise.resolve({ statusCode: 200, body: { received: request.body } });
  },
} satisfies CreateOrderRoute<z.infer<typeof Body>>;
