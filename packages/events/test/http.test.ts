import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, httpEvent } from '../src/index.js';

describe('httpEvent', () => {
  it('builds a payload 2.0 event with the route key, raw path and request context', () => {
    const event = httpEvent({ method: 'post', path: '/orders', time: '2024-03-12T19:03:58.123Z' });

    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /orders');
    expect(event.rawPath).toBe('/orders');
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      accountId: DEFAULT_ACCOUNT_ID,
      domainName: `${event.requestContext.apiId}.execute-api.${DEFAULT_REGION}.amazonaws.com`,
      http: { method: 'POST', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
      routeKey: 'POST /orders',
      stage: '$default',
      time: '12/Mar/2024:19:03:58 +0000',
      timeEpoch: Date.parse('2024-03-12T19:03:58.123Z'),
    });
    expect(event.requestContext.requestId).toMatch(/^[\w-]{15}=$/);
    expect(event.headers['host']).toBe(event.requestContext.domainName);
  });

  it('leaves out body, query, path parameters and cookies when there are none', () => {
    const event = httpEvent({ method: 'GET', path: '/health' });

    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
    expect(event.headers).not.toHaveProperty('content-type');
  });

  it('JSON-stringifies an object body and sets content-type and content-length', () => {
    const order = { sku: 'A-1', quantity: 2, note: 'naïve' };

    const event = httpEvent({ method: 'POST', path: '/orders', body: order });

    expect(JSON.parse(event.body!)).toEqual(order);
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body!)));
  });

  it('keeps a string body as it is and a given content-type', () => {
    const event = httpEvent({
      method: 'PUT',
      path: '/notes/1',
      body: 'a=1&b=2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    expect(event.body).toBe('a=1&b=2');
    expect(event.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('base64-encodes a binary body', () => {
    const bytes = new Uint8Array([0, 1, 2, 250]);

    const event = httpEvent({ method: 'POST', path: '/upload', body: bytes });

    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(Buffer.from(bytes));
    expect(event.headers['content-length']).toBe('4');
  });

  it('lower-cases headers, joins duplicates with commas and moves cookies out', () => {
    const event = httpEvent({
      method: 'GET',
      path: '/me',
      headers: { Authorization: 'Bearer t', 'X-Tag': 'a', 'x-tag': 'b', Cookie: 'session=abc; theme=dark' },
      cookies: ['extra=1'],
    });

    expect(event.headers['authorization']).toBe('Bearer t');
    expect(event.headers['x-tag']).toBe('a,b');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['session=abc', 'theme=dark', 'extra=1']);
  });

  it('sets raw and parsed query strings, joining repeated parameters with commas', () => {
    const event = httpEvent({ method: 'GET', path: '/orders?status=open', query: { tag: ['a b', 'c'], limit: '10' } });

    expect(event.rawPath).toBe('/orders');
    expect(event.rawQueryString).toBe('status=open&tag=a%20b&tag=c&limit=10');
    expect(event.queryStringParameters).toEqual({ status: 'open', tag: 'a b,c', limit: '10' });
    expect(event.routeKey).toBe('GET /orders');
  });

  it('derives the route template from path parameters, or takes it as given', () => {
    const derived = httpEvent({ method: 'GET', path: '/orders/42/lines/7', pathParameters: { id: '42', line: '7' } });
    const given = httpEvent({ method: 'GET', path: '/files/a/b', route: '/files/{proxy+}', pathParameters: { proxy: 'a/b' } });

    expect(derived.routeKey).toBe('GET /orders/{id}/lines/{line}');
    expect(derived.requestContext.routeKey).toBe(derived.routeKey);
    expect(derived.pathParameters).toEqual({ id: '42', line: '7' });
    expect(given.routeKey).toBe('GET /files/{proxy+}');
    expect(given.rawPath).toBe('/files/a/b');
  });

  it('takes region and account from options and gives each event its own request ID', () => {
    const a = httpEvent({ method: 'GET', path: '/', region: 'us-east-1', accountId: '210987654321' });
    const b = httpEvent({ method: 'GET', path: '/' });

    expect(a.requestContext.accountId).toBe('210987654321');
    expect(a.requestContext.domainName).toContain('.us-east-1.');
    expect(a.requestContext.requestId).not.toBe(b.requestContext.requestId);
  });
});
