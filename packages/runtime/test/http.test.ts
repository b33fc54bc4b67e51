import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { httpHandler, mapHttpErrors } from '../src/http.js';
import { ConflictError } from '../src/http-errors.js';
import { logger } from '../src/observability.js';
import { httpEvent, lambdaContext } from '@kiro-serverless/testing';

const Order = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });
const handler = mapHttpErrors(httpHandler({
  body: Order,
  async handle(request, { resources }) {
    if (request.body.sku === 'taken') throw new ConflictError('Order exists already.');
    if (request.body.sku === 'boom') throw new Error('secret connection string in here');
    return { statusCode: 201, body: { received: request.body, key: request.headers['idempotency-key'], table: resources.table } };
  },
}, { table: 'orders-test' }));
const parse = (body: string | undefined) => JSON.parse(body ?? 'null') as Record<string, unknown>;

describe('HTTP entry', () => {
  it('passes the validated body, lower-cased headers and the resources to the handler and answers in JSON', async () => {
    const response = await handler(httpEvent({ method: 'POST', path: '/orders', body: { sku: 'A-1', quantity: 2 }, headers: { 'Idempotency-Key': 'k1' } }), lambdaContext());
    expect(response.statusCode).toBe(201);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(parse(response.body)).toEqual({ received: { sku: 'A-1', quantity: 2 }, key: 'k1', table: 'orders-test' });
  });

  it('answers 400 listing every problem of an invalid body', async () => {
    const response = await handler(httpEvent({ method: 'POST', path: '/orders', body: { sku: '', quantity: 0 } }), lambdaContext());
    expect(response.statusCode).toBe(400);
    const body = parse(response.body);
    expect(body.error).toBe('ValidationFailed');
    expect((body.details as { path: string }[]).map((d) => d.path)).toEqual(['sku', 'quantity']);
  });

  it('answers 400 to a body that is not JSON, and to a missing body', async () => {
    const notJson = await handler(httpEvent({ method: 'POST', path: '/orders', body: '{oops', headers: { 'content-type': 'application/json' } }), lambdaContext());
    expect([notJson.statusCode, parse(notJson.body).error]).toEqual([400, 'InvalidJson']);
    const missing = await handler(httpEvent({ method: 'POST', path: '/orders' }), lambdaContext());
    expect([missing.statusCode, parse(missing.body).error]).toEqual([400, 'ValidationFailed']);
  });

  it('reads a base64-encoded body', async () => {
    const response = await handler(httpEvent({ method: 'POST', path: '/orders', body: new TextEncoder().encode(JSON.stringify({ sku: 'B', quantity: 1 })) }), lambdaContext());
    expect(response.statusCode).toBe(201);
  });

  it('answers an HttpError with its status and message', async () => {
    const response = await handler(httpEvent({ method: 'POST', path: '/orders', body: { sku: 'taken', quantity: 1 } }), lambdaContext());
    expect([response.statusCode, parse(response.body)]).toEqual([409, { error: 'Conflict', message: 'Order exists already.' }]);
  });

  it('answers 500 without internals to any other error, and logs it', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const context = lambdaContext();
    const response = await handler(httpEvent({ method: 'POST', path: '/orders', body: { sku: 'boom', quantity: 1 } }), context);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(parse(response.body)).toMatchObject({ error: 'InternalError', requestId: context.awsRequestId });
    expect(logged).toHaveBeenCalledOnce();
  });

  it('throws bad input from the inner layer, so that idempotency never stores it', async () => {
    const inner = httpHandler({ body: Order, handle: () => Promise.resolve({ statusCode: 200 }) }, {});
    await expect(inner(httpEvent({ method: 'POST', path: '/orders', body: {} }), lambdaContext())).rejects.toMatchObject({ statusCode: 400 });
  });
});
