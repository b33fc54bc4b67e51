/** The local HTTP front end to end: real requests (node's fetch) against a fake invoker. */
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpFront, type HttpFrontOptions, type HttpRoute, InvalidRoutesError, startHttpFront } from '../src/http/index.js';
import type { InvokeOptions, InvokeOutcome, Invoker, TraceEvent } from '../src/types.js';

const ROUTES: HttpRoute[] = [
  { functionId: 'createOrder', method: 'POST', path: '/orders' },
  { functionId: 'getOrder', method: 'GET', path: '/orders/{id}' },
  { functionId: 'openOrders', method: 'GET', path: '/orders/open' },
  { functionId: 'files', method: 'ANY', path: '/files/{proxy+}' },
];

interface Call {
  readonly fn: string;
  readonly event: APIGatewayProxyEventV2;
  readonly options: InvokeOptions;
}

type Answer = (fn: string, event: APIGatewayProxyEventV2) => InvokeOutcome | Promise<InvokeOutcome>;

const ok = (response: unknown): InvokeOutcome => ({ status: 'ok', response, requestId: 'lambda-1', environmentId: 'env-1', durationMs: 1 });
const failed = (kind: 'function' | 'timeout' | 'init' | 'crash'): InvokeOutcome => ({
  status: 'error', kind, error: { errorType: kind === 'timeout' ? 'Sandbox.Timedout' : 'Error', errorMessage: 'boom' }, requestId: 'lambda-1', durationMs: 1,
});
/** Echoes the event back as the inferred response. */
const echo: Answer = (_, event) => ok(event);

/** A front over a fake invoker that records its calls and the trace. */
async function start(answer: Answer = echo, options: Partial<HttpFrontOptions> = {}) {
  const calls: Call[] = [];
  const events: TraceEvent[] = [];
  const invoker: Invoker = {
    invoke: async (fn, event, invokeOptions) => {
      calls.push({ fn, event: event as APIGatewayProxyEventV2, options: invokeOptions });
      return answer(fn, event as APIGatewayProxyEventV2);
    },
  };
  const front = await startHttpFront({ routes: ROUTES, invoker, trace: (e) => events.push(e), ...options });
  fronts.push(front);
  return { front, calls, events };
}

const fronts: HttpFront[] = [];
afterEach(async () => {
  await Promise.all(fronts.splice(0).map((f) => f.stop()));
});

/** The event the function received, echoed back. */
async function eventOf(response: Response): Promise<APIGatewayProxyEventV2> {
  expect(response.status).toBe(200);
  return (await response.json()) as APIGatewayProxyEventV2;
}

/** A request with header lines exactly as given (fetch would join repeats into one line). */
function rawGet(url: string, headers: Record<string, string | string[]>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startHttpFront', () => {
  describe('routing', () => {
    it.each([
      ['GET', '/orders/open', 'openOrders', undefined, 'GET /orders/open'],
      ['GET', '/orders/42', 'getOrder', { id: '42' }, 'GET /orders/{id}'],
      ['POST', '/orders', 'createOrder', undefined, 'POST /orders'],
      ['DELETE', '/files/a/b%20c.txt', 'files', { proxy: 'a/b c.txt' }, 'ANY /files/{proxy+}'],
    ])('sends %s %s to %s', async (method, path, fn, pathParameters, routeKey) => {
      // Arrange
      const { front, calls } = await start();

      // Act
      const event = await eventOf(await fetch(`${front.url}${path}`, { method }));

      // Assert
      expect(calls.map((c) => [c.fn, c.options.mode])).toEqual([[fn, 'sync']]);
      expect(event.routeKey).toBe(routeKey);
      expect(event.requestContext.routeKey).toBe(routeKey);
      expect(event.rawPath).toBe(path);
      expect(event.pathParameters).toEqual(pathParameters);
    });

    it('decodes encoded path parameters and keeps the raw path', async () => {
      const { front } = await start();

      const event = await eventOf(await fetch(`${front.url}/orders/caf%C3%A9%2F%3F%20x`));

      expect(event.pathParameters).toEqual({ id: 'café/? x' });
      expect(event.rawPath).toBe('/orders/caf%C3%A9%2F%3F%20x');
      expect(event.requestContext.http.path).toBe('/orders/caf%C3%A9%2F%3F%20x');
    });

    it.each([
      ['GET', '/nowhere'],
      ['PUT', '/orders/42'],
      ['GET', '/orders'],
      ['HEAD', '/orders/42'],
      ['OPTIONS', '/orders'],
      ['GET', '/files'],
    ])('answers 404 for %s %s without invoking', async (method, path) => {
      // Arrange
      const { front, calls, events } = await start();

      // Act
      const response = await fetch(`${front.url}${path}`, { method });

      // Assert
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('apigw-requestid')).toMatch(/^[\w-]{15}=$/);
      if (method !== 'HEAD') expect(await response.json()).toEqual({ message: 'Not Found' });
      expect(calls).toEqual([]);
      expect(events).toEqual([{ type: 'http', method, path, status: 404, durationMs: expect.any(Number), at: expect.any(Number) }]);
    });

    it('answers HEAD on an ANY route with the headers and no body', async () => {
      const { front } = await start(() => ok({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'twelve bytes' }));

      const response = await fetch(`${front.url}/files/x`, { method: 'HEAD' });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe('12');
      expect(await response.text()).toBe('');
    });
  });

  describe('the event', () => {
    it('carries the request context of the local API', async () => {
      // Arrange
      const { front } = await start();
      const before = Date.now();

      // Act
      const response = await fetch(`${front.url}/orders/7`, { headers: { 'User-Agent': 'checker/1.0' } });
      const event = await eventOf(response);

      // Assert
      expect(event.version).toBe('2.0');
      expect(event.isBase64Encoded).toBe(false);
      expect(event).not.toHaveProperty('body');
      expect(event).not.toHaveProperty('cookies');
      expect(event).not.toHaveProperty('queryStringParameters');
      expect(event.rawQueryString).toBe('');
      expect(event.requestContext).toMatchObject({
        domainName: `127.0.0.1:${front.port}`,
        domainPrefix: '127',
        http: { method: 'GET', path: '/orders/7', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'checker/1.0' },
        stage: '$default',
      });
      expect(event.requestContext.requestId).toBe(response.headers.get('apigw-requestid'));
      expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
      expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
      expect(event.headers).toMatchObject({
        host: `127.0.0.1:${front.port}`,
        'user-agent': 'checker/1.0',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-port': String(front.port),
        'x-forwarded-proto': 'http',
      });
      expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    });

    it('comma-joins repeated query keys and decodes values, keeping the raw query string', async () => {
      const { front } = await start();

      const event = await eventOf(await fetch(`${front.url}/orders/7?status=open&status=held&q=a%20b%26c&empty=&flag`));

      expect(event.rawQueryString).toBe('status=open&status=held&q=a%20b%26c&empty=&flag');
      expect(event.queryStringParameters).toEqual({ status: 'open,held', q: 'a b&c', empty: '', flag: '' });
    });

    it('lower-cases header names and comma-joins repeated header lines', async () => {
      const { front } = await start();

      const { status, body } = await rawGet(`${front.url}/orders/7`, { 'X-Multi': ['one', 'two'], 'X-Forwarded-For': '203.0.113.9' });
      const event = JSON.parse(body) as APIGatewayProxyEventV2;

      expect(status).toBe(200);
      expect(event.headers['x-multi']).toBe('one,two');
      expect(event.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    });

    it('moves cookies out of the cookie headers', async () => {
      const { front } = await start();

      const { body } = await rawGet(`${front.url}/orders/7`, { Cookie: ['session=abc; theme=dark', 'lang=en'] });
      const event = JSON.parse(body) as APIGatewayProxyEventV2;

      expect(event.cookies).toEqual(['session=abc', 'theme=dark', 'lang=en']);
      expect(event.headers).not.toHaveProperty('cookie');
    });

    it.each([
      ['application/json', '{"sku":"A-1","note":"naïve"}'],
      ['application/json; charset=utf-8', '{"a":1}'],
      ['text/plain', 'plain words'],
      ['text/csv', 'a,b\n1,2'],
      ['application/xml', '<order/>'],
      ['application/problem+json', '{"title":"x"}'],
      ['application/javascript', 'let a = 1;'],
    ])('passes a %s body as text', async (contentType, text) => {
      const { front } = await start();

      const event = await eventOf(await fetch(`${front.url}/orders`, { method: 'POST', headers: { 'content-type': contentType }, body: text }));

      expect(event.isBase64Encoded).toBe(false);
      expect(event.body).toBe(text);
      expect(event.headers['content-type']).toBe(contentType);
    });

    it.each([
      ['application/octet-stream', Buffer.from([0, 1, 2, 253, 254, 255])],
      ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
      ['application/x-www-form-urlencoded', Buffer.from('a=1&b=two')],
      ['multipart/form-data; boundary=x', Buffer.from('--x\r\n\r\nhi\r\n--x--')],
    ])('passes a %s body base64-encoded', async (contentType, bytes) => {
      const { front } = await start();

      const event = await eventOf(await fetch(`${front.url}/orders`, { method: 'POST', headers: { 'content-type': contentType }, body: bytes }));

      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
    });

    it('base64-encodes a body without a content type', async () => {
      const { front } = await start();
      const bytes = new Uint8Array([104, 105]);

      const event = await eventOf(await fetch(`${front.url}/orders`, { method: 'POST', body: new Blob([bytes]) }));

      expect(event.headers).not.toHaveProperty('content-type');
      expect(event).toMatchObject({ isBase64Encoded: true, body: 'aGk=' });
    });
  });

  describe('the response', () => {
    it('writes a structured response: status, headers, cookies and body', async () => {
      // Arrange
      const { front } = await start(() => ok({
        statusCode: 201,
        headers: { 'Content-Type': 'application/json', Location: '/orders/42' },
        cookies: ['session=abc; HttpOnly; Path=/', 'theme=dark'],
        body: '{"id":"42"}',
      }));

      // Act
      const response = await fetch(`${front.url}/orders`, { method: 'POST', body: '{}' });

      // Assert
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('location')).toBe('/orders/42');
      expect(response.headers.getSetCookie()).toEqual(['session=abc; HttpOnly; Path=/', 'theme=dark']);
      expect(response.headers.get('apigw-requestid')).toMatch(/^[\w-]{15}=$/);
      expect(await response.text()).toBe('{"id":"42"}');
    });

    it('decodes a base64 response body', async () => {
      const bytes = Buffer.from([0, 128, 255, 10]);
      const { front } = await start(() => ok({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true }));

      const response = await fetch(`${front.url}/files/blob.bin`);

      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
      expect(response.headers.get('content-length')).toBe('4');
    });

    it.each([
      ['a plain object', { id: '42', lines: [1, 2] }, '{"id":"42","lines":[1,2]}'],
      ['a string', 'Hello from Lambda!', 'Hello from Lambda!'],
      ['a number', 7, '7'],
    ])('answers 200 application/json for %s', async (_, result, body) => {
      const { front } = await start(() => ok(result));

      const response = await fetch(`${front.url}/orders/42`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.text()).toBe(body);
    });

    it.each([
      ['a function error', () => failed('function'), 500, 'Internal Server Error'],
      ['an init failure', () => failed('init'), 500, 'Internal Server Error'],
      ['a crash', () => failed('crash'), 500, 'Internal Server Error'],
      ['an invoker that rejects', () => Promise.reject(new Error('host down')), 500, 'Internal Server Error'],
      ['a throttle', (): InvokeOutcome => ({ status: 'throttled', requestId: 'lambda-1' }), 429, 'Too Many Requests'],
      ['a function timeout', () => failed('timeout'), 500, 'Internal Server Error'],
    ])('answers %s with %i', async (_, answer: Answer, status, message) => {
      // Arrange
      const { front, events } = await start(answer);

      // Act
      const response = await fetch(`${front.url}/orders/42`);

      // Assert
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ message });
      expect(events.filter((e) => e.type === 'http')).toMatchObject([{ fn: 'getOrder', status }]);
    });

    it('answers 503 when the function outlasts the integration timeout, and says so in the trace', async () => {
      // Arrange
      const { front, events } = await start(() => new Promise(() => undefined), { integrationTimeoutMs: 50 });

      // Act
      const response = await fetch(`${front.url}/orders/42`);

      // Assert
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ message: 'Service Unavailable' });
      expect(events.map((e) => e.type)).toEqual(['note', 'http']);
      expect(events[0]).toMatchObject({ level: 'warn', text: expect.stringMatching(/^getOrder: no answer within the integration timeout \(50 ms\)/) });
    });

    it('answers 500 for a malformed structured response and warns in the trace', async () => {
      const { front, events } = await start(() => ok({ statusCode: 200, body: { id: '42' } }));

      const response = await fetch(`${front.url}/orders/42`);

      expect(response.status).toBe(500);
      expect(events[0]).toMatchObject({ type: 'note', level: 'warn', text: expect.stringMatching(/^getOrder: The function's response is malformed: body is an object/) });
    });
  });

  describe('request bodies', () => {
    it('accepts a body of exactly the limit', async () => {
      const { front, calls } = await start(() => ok('fine'), { maxBodyBytes: 1024 });

      const response = await fetch(`${front.url}/orders`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1024) });

      expect(response.status).toBe(200);
      expect(calls[0]?.event.body).toHaveLength(1024);
    });

    it('answers 413 for a body above 10 MB without invoking', async () => {
      // Arrange
      const { front, calls } = await start();

      // Act
      const response = await fetch(`${front.url}/orders`, { method: 'POST', body: new Uint8Array(10 * 1024 * 1024 + 1) });

      // Assert
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
      expect(calls).toEqual([]);
    });

    it('answers 413 for a streamed body once it passes the limit', async () => {
      // Arrange
      const { front, calls, events } = await start(echo, { maxBodyBytes: 1000 });
      const chunks = [new Uint8Array(600), new Uint8Array(600)];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      });

      // Act
      const response = await fetch(`${front.url}/orders`, { method: 'POST', body, duplex: 'half' } as RequestInit);

      // Assert
      expect(response.status).toBe(413);
      expect(calls).toEqual([]);
      expect(events).toMatchObject([{ type: 'http', fn: 'createOrder', status: 413 }]);
    });
  });

  describe('trace', () => {
    it('emits one http event per request', async () => {
      const { front, events } = await start(() => ok({ statusCode: 202 }));

      await fetch(`${front.url}/orders?x=1`, { method: 'POST' });
      await fetch(`${front.url}/orders/42`);

      expect(events).toEqual([
        { type: 'http', fn: 'createOrder', method: 'POST', path: '/orders', status: 202, durationMs: expect.any(Number), at: expect.any(Number) },
        { type: 'http', fn: 'getOrder', method: 'GET', path: '/orders/42', status: 202, durationMs: expect.any(Number), at: expect.any(Number) },
      ]);
    });
  });

  describe('lifecycle', () => {
    it('listens on a free loopback port by default and frees it on stop', async () => {
      // Arrange
      const { front } = await start(() => ok('up'));
      expect(front.port).toBeGreaterThan(0);
      expect(front.url).toBe(`http://127.0.0.1:${front.port}`);
      await fetch(`${front.url}/orders/1`); // leaves a keep-alive connection open

      // Act
      const stopping = Date.now();
      await front.stop();

      // Assert
      expect(Date.now() - stopping).toBeLessThan(1000); // did not wait for the keep-alive timeout
      await expect(fetch(`${front.url}/orders/1`)).rejects.toThrow();
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(front.port, '127.0.0.1', resolve));
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives each front its own port', async () => {
      const [a, b] = await Promise.all([start(), start()]);

      expect(a.front.port).not.toBe(b.front.port);
    });

    it('stops once, however often stop is called', async () => {
      const { front } = await start();

      await Promise.all([front.stop(), front.stop()]);
      await expect(front.stop()).resolves.toBeUndefined();
    });

    it('refuses routes it cannot serve before listening', async () => {
      const invoker: Invoker = { invoke: () => Promise.reject(new Error('not called')) };

      await expect(startHttpFront({ routes: [{ functionId: 'a', method: 'GET', path: 'no-slash' }], invoker, trace: () => undefined }))
        .rejects.toBeInstanceOf(InvalidRoutesError);
    });

    it('rejects when the port is taken', async () => {
      const { front } = await start();

      await expect(start(echo, { port: front.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    });
  });
});
