/** Route selection of the local HTTP front: precedence, parameters, methods, and routes it refuses. */
import { describe, expect, it } from 'vitest';
import { InvalidRoutesError, RouteTable, httpRoutesOf, type HttpRoute } from '../src/http/index.js';
import type { ServiceModel } from '@kiro-serverless/model/model';

const ROUTES: HttpRoute[] = [
  { functionId: 'anyFile', method: 'ANY', path: '/files/{proxy+}' },
  { functionId: 'getOrder', method: 'GET', path: '/orders/{id}' },
  { functionId: 'openOrders', method: 'GET', path: '/orders/open' },
  { functionId: 'createOrder', method: 'POST', path: '/orders' },
  { functionId: 'anyOrder', method: 'ANY', path: '/orders/{id}' },
  { functionId: 'orderLine', method: 'GET', path: '/orders/{id}/lines/{line}' },
  { functionId: 'catchAll', method: 'ANY', path: '/{proxy+}' },
  { functionId: 'root', method: 'GET', path: '/' },
];

describe('RouteTable', () => {
  const table = new RouteTable(ROUTES);

  it.each([
    ['GET', '/orders/open', 'openOrders', {}],
    ['GET', '/orders/42', 'getOrder', { id: '42' }],
    ['DELETE', '/orders/42', 'anyOrder', { id: '42' }],
    ['POST', '/orders', 'createOrder', {}],
    ['GET', '/orders', 'catchAll', { proxy: 'orders' }],
    ['GET', '/orders/42/lines/3', 'orderLine', { id: '42', line: '3' }],
    ['PUT', '/orders/42/lines/3', 'catchAll', { proxy: 'orders/42/lines/3' }],
    ['GET', '/files/a/b/c.txt', 'anyFile', { proxy: 'a/b/c.txt' }],
    ['GET', '/', 'root', {}],
  ])('routes %s %s to %s', (method, path, functionId, pathParameters) => {
    // Act
    const match = table.match(method, path);

    // Assert
    expect(match?.route.functionId).toBe(functionId);
    expect(match?.pathParameters).toEqual(pathParameters);
  });

  it('writes the route key with the route template and its declared method', () => {
    expect(table.match('PATCH', '/orders/7')?.routeKey).toBe('ANY /orders/{id}');
    expect(table.match('GET', '/orders/7')?.routeKey).toBe('GET /orders/{id}');
  });

  it('decodes percent-encoded parameter values, slashes included', () => {
    expect(table.match('GET', '/orders/a%20b%2Fc%C3%A9')?.pathParameters).toEqual({ id: 'a b/cé' });
    expect(table.match('GET', '/files/dir%20one/x%2By.txt')?.pathParameters).toEqual({ proxy: 'dir one/x+y.txt' });
  });

  it('keeps a malformed percent escape as sent', () => {
    expect(table.match('GET', '/orders/100%')?.pathParameters).toEqual({ id: '100%' });
  });

  it('matches a literal segment sent percent-encoded', () => {
    expect(table.match('GET', '/orders/%6Fpen')?.route.functionId).toBe('openOrders');
  });

  it('prefers a parameter to a greedy parameter and a literal to both', () => {
    // Arrange
    const routes = new RouteTable([
      { functionId: 'greedy', method: 'GET', path: '/a/{rest+}' },
      { functionId: 'param', method: 'GET', path: '/a/{x}/c' },
      { functionId: 'literal', method: 'GET', path: '/a/b/{y}' },
    ]);

    // Act and assert
    expect(routes.match('GET', '/a/b/c')?.route.functionId).toBe('literal');
    expect(routes.match('GET', '/a/z/c')?.route.functionId).toBe('param');
    expect(routes.match('GET', '/a/z/d')?.route.functionId).toBe('greedy');
  });

  describe('without a match', () => {
    const narrow = new RouteTable([
      { functionId: 'getOrder', method: 'GET', path: '/orders/{id}' },
      { functionId: 'files', method: 'GET', path: '/files/{proxy+}' },
      { functionId: 'list', method: 'GET', path: '/orders' },
    ]);

    it.each([
      ['POST', '/orders/42', 'the method differs'],
      ['HEAD', '/orders/42', 'HEAD is not GET'],
      ['OPTIONS', '/orders', 'no CORS preflight route'],
      ['GET', '/orders/', 'an empty segment is no parameter value'],
      ['GET', '/orders/42/extra', 'a parameter takes one segment'],
      ['GET', '/files', 'a greedy parameter needs a segment'],
      ['GET', '/files/', 'a greedy parameter needs a non-empty value'],
      ['GET', '/nothing', 'no route has the path'],
      ['get', '/orders', 'methods are case-sensitive'],
    ])('finds none for %s %s (%s)', (method, path) => {
      expect(narrow.match(method, path)).toBeUndefined();
    });
  });

  it('refuses routes it cannot serve, listing each', () => {
    // Arrange
    const routes: HttpRoute[] = [
      { functionId: 'a', method: 'GET', path: '/orders/{id}' },
      { functionId: 'b', method: 'GET', path: '/orders/{orderId}' },
      { functionId: 'c', method: 'FETCH' as HttpRoute['method'], path: '/x' },
      { functionId: 'd', method: 'GET', path: '/files/{proxy+}/meta' },
      { functionId: 'e', method: 'GET', path: 'orders' },
      { functionId: 'f', method: 'GET', path: '/a b' },
    ];

    // Act
    const thrown = (() => {
      try {
        new RouteTable(routes);
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    // Assert
    expect(thrown).toBeInstanceOf(InvalidRoutesError);
    const issues = (thrown as InvalidRoutesError).issues;
    expect(issues.map((i) => i.functionId)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(issues[0]?.message).toBe('the same requests already go to a');
    expect(issues[2]?.message).toBe('the greedy parameter {proxy+} is not the last segment');
    expect((thrown as Error).message).toMatch(/^5 HTTP route\(s\) cannot be served:\n {2}- GET \/orders\/\{orderId\} \(b\)/);
  });

  it('serves the same path under different methods', () => {
    expect(() => new RouteTable([
      { functionId: 'a', method: 'GET', path: '/orders/{id}' },
      { functionId: 'b', method: 'DELETE', path: '/orders/{orderId}' },
      { functionId: 'c', method: 'ANY', path: '/orders/{id}' },
    ])).not.toThrow();
  });
});

describe('httpRoutesOf', () => {
  it('lists one route per function with an http trigger', () => {
    // Arrange
    const model = {
      functions: {
        createOrder: { trigger: { type: 'http', method: 'POST', path: '/orders' } },
        fulfil: { trigger: { type: 'sqs', queue: 'orders' } },
        getOrder: { trigger: { type: 'http', method: 'GET', path: '/orders/{id}' } },
      },
    } as unknown as Pick<ServiceModel, 'functions'>;

    // Act and assert
    expect(httpRoutesOf(model)).toEqual([
      { functionId: 'createOrder', method: 'POST', path: '/orders' },
      { functionId: 'getOrder', method: 'GET', path: '/orders/{id}' },
    ]);
  });
});
