/** What the local HTTP front answers for an invocation's outcome (payload format 2.0 response rules). */
import { describe, expect, it } from 'vitest';
import { GatewayAnswer, functionResponse, gatewayResponse, type GatewayResponse } from '../src/http/index.js';
import type { InvokeOutcome } from '../src/types.js';

const ok = (response: unknown): InvokeOutcome => ({ status: 'ok', response, requestId: 'r-1', environmentId: 'e-1', durationMs: 3 });
const failed = (kind: 'function' | 'timeout' | 'init' | 'crash'): InvokeOutcome => ({
  status: 'error', kind, error: { errorType: 'Error', errorMessage: 'boom' }, requestId: 'r-1', durationMs: 3,
});
const header = (response: GatewayResponse, name: string): string[] =>
  response.headers.filter(([n]) => n === name).map(([, v]) => v);

describe('functionResponse', () => {
  it('uses a structured response as it stands', () => {
    // Act
    const response = functionResponse({
      statusCode: 201,
      headers: { Location: '/orders/42', 'X-Count': 3, 'X-Cached': false },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: '{"id":"42"}',
    });

    // Assert
    expect(response.status).toBe(201);
    expect(response.body.toString()).toBe('{"id":"42"}');
    expect(header(response, 'location')).toEqual(['/orders/42']);
    expect(header(response, 'x-count')).toEqual(['3']);
    expect(header(response, 'x-cached')).toEqual(['false']);
    expect(header(response, 'set-cookie')).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(response.warning).toBeUndefined();
  });

  it('decodes a base64 body', () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255]);

    const response = functionResponse({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true });

    expect(response.body).toEqual(bytes);
    expect(header(response, 'content-type')).toEqual(['image/png']);
  });

  it('sends text/plain when a structured response names no content type, and an empty body without one', () => {
    const response = functionResponse({ statusCode: 204 });

    expect(header(response, 'content-type')).toEqual(['text/plain; charset=utf-8']);
    expect(response.body.length).toBe(0);
  });

  it('drops the headers API Gateway sets itself', () => {
    const response = functionResponse({ statusCode: 200, headers: { 'Content-Length': '999', Connection: 'close', 'x-a': 'b' }, body: 'hi' });

    expect(response.headers.map(([n]) => n)).toEqual(['content-type', 'x-a']);
  });

  it.each([
    ['an object', { message: 'hello' }, '{"message":"hello"}'],
    ['an array', [1, 'two'], '[1,"two"]'],
    ['a number', 42, '42'],
    ['a boolean', true, 'true'],
    ['null', null, 'null'],
    ['nothing', undefined, 'null'],
    ['a string', 'Hello from Lambda!', 'Hello from Lambda!'],
    ['a string of JSON', '{"statusCode":418}', '{"statusCode":418}'],
    ['an object with a body but no statusCode', { body: 'x', headers: { a: 'b' } }, '{"body":"x","headers":{"a":"b"}}'],
  ])('infers 200 application/json for %s', (_, result, body) => {
    // Act
    const response = functionResponse(result);

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers).toEqual([['content-type', 'application/json']]);
    expect(response.body.toString()).toBe(body);
  });

  it.each([
    ['statusCode is a string', { statusCode: '200' }, /statusCode "200" is not an integer from 100 to 599/],
    ['statusCode is out of range', { statusCode: 99 }, /statusCode 99 is not an integer/],
    ['body is an object', { statusCode: 200, body: { a: 1 } }, /body is an object, not a string \(JSON.stringify it\)/],
    ['a header value is an object', { statusCode: 200, headers: { a: { b: 1 } } }, /the header "a" is not a string/],
    ['a header value has a newline', { statusCode: 200, headers: { a: 'x\r\ny: z' } }, /the header "a" has a name or value/],
    ['cookies is not a list of strings', { statusCode: 200, cookies: 'a=1' }, /cookies is not an array of strings/],
    ['isBase64Encoded is a string', { statusCode: 200, isBase64Encoded: 'true' }, /isBase64Encoded is not a boolean/],
  ])('answers 500 with a warning when %s', (_, result, warning) => {
    const response = functionResponse(result);

    expect(response.status).toBe(500);
    expect(response.body.toString()).toBe('{"message":"Internal Server Error"}');
    expect(response.warning).toMatch(warning);
  });

  it('answers 500 for a result JSON cannot hold', () => {
    expect(functionResponse(10n).warning).toMatch(/cannot be serialised as JSON/);
  });

  it('ignores multiValueHeaders, with a warning', () => {
    const response = functionResponse({ statusCode: 200, multiValueHeaders: { a: ['1', '2'] }, body: 'x' });

    expect(response.status).toBe(200);
    expect(header(response, 'a')).toEqual([]);
    expect(response.warning).toMatch(/multiValueHeaders, which payload format 2.0 ignores/);
  });
});

describe('gatewayResponse', () => {
  it.each([
    ['a function error', failed('function'), GatewayAnswer.InternalServerError],
    ['an init failure', failed('init'), GatewayAnswer.InternalServerError],
    ['a crash', failed('crash'), GatewayAnswer.InternalServerError],
    ['a function timeout', failed('timeout'), GatewayAnswer.InternalServerError],
    ['a throttle', { status: 'throttled', requestId: 'r-1' } as InvokeOutcome, GatewayAnswer.TooManyRequests],
  ])('answers %s on the function\'s behalf', (_, outcome, answer) => {
    const response = gatewayResponse(outcome);

    expect(response.status).toBe(answer.status);
    expect(response.headers).toEqual([['content-type', 'application/json']]);
    expect(JSON.parse(response.body.toString())).toEqual({ message: answer.message });
  });

  it('maps a result through functionResponse', () => {
    expect(gatewayResponse(ok({ statusCode: 202, body: 'queued' })).status).toBe(202);
  });
});
