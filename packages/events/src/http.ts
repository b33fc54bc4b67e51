/** API Gateway HTTP API (payload format 2.0) events. */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type AwsOptions, type TimeInput, accountOf, dateOf, hex, pad, regionOf } from './common.js';

/** Options of {@link httpEvent}. */
export interface HttpEventOptions extends AwsOptions {
  /** HTTP method, any case (`'post'` becomes `'POST'`). */
  method: string;
  /** Request path, e.g. `/orders/42`; a query string after `?` is parsed like `query`. */
  path: string;
  /**
   * Request body. A string is sent as is; a `Uint8Array` is base64-encoded with `isBase64Encoded: true`; anything
   * else is JSON-stringified and `content-type: application/json` is set unless a content-type header is given.
   */
  body?: unknown;
  /** Request headers, any case; they arrive lower-cased. A `cookie` header moves to `cookies`, as API Gateway does. */
  headers?: Record<string, string>;
  /** Path parameters as the route captured them, e.g. `{ id: '42' }`. */
  pathParameters?: Record<string, string>;
  /** Query parameters; repeated values are given as arrays and arrive comma-joined in `queryStringParameters`. */
  query?: Record<string, string | readonly string[]>;
  /**
   * Route template, e.g. `/orders/{id}`. Defaults to `path` with each segment equal to a path parameter's value
   * replaced by `{name}`, so `path: '/orders/42', pathParameters: { id: '42' }` gives route key `GET /orders/{id}`.
   */
  route?: string;
  /** Cookies as `name=value` strings, added to those from a `cookie` header. */
  cookies?: readonly string[];
  /** Client IP; defaults to `198.51.100.7`. */
  sourceIp?: string;
  /** Request time; defaults to now. */
  time?: TimeInput;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** API Gateway's CLF-style request time: `12/Mar/2020:19:03:58 +0000`. */
const clfTime = (d: Date): string =>
  `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;

const routeFor = (path: string, pathParameters: Record<string, string> | undefined): string => {
  if (pathParameters === undefined) return path;
  const names = new Map(Object.entries(pathParameters).map(([name, value]) => [value, name]));
  return path
    .split('/')
    .map((segment) => {
      const name = names.get(segment) ?? names.get(safeDecode(segment));
      return name === undefined ? segment : `{${name}}`;
    })
    .join('/');
};

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * An API Gateway HTTP API (payload format 2.0) event, as a Lambda proxy integration receives it.
 *
 * @example
 * const event = httpEvent({
 *   method: 'POST',
 *   path: '/orders',
 *   body: { sku: 'A-1', quantity: 2 }, // JSON-stringified, content-type: application/json
 *   headers: { Authorization: 'Bearer t0k3n' }, // arrives as `authorization`
 * });
 * event.routeKey; // 'POST /orders'
 *
 * httpEvent({ method: 'GET', path: '/orders/42', pathParameters: { id: '42' }, query: { expand: 'lines' } });
 * // routeKey 'GET /orders/{id}', rawQueryString 'expand=lines'
 */
export function httpEvent(options: HttpEventOptions): APIGatewayProxyEventV2 {
  const region = regionOf(options);
  const accountId = accountOf(options);
  const time = dateOf(options.time);
  const method = options.method.toUpperCase();

  // Path and query: `/orders?status=open` works too.
  const queryAt = options.path.indexOf('?');
  const path = queryAt === -1 ? options.path : options.path.slice(0, queryAt);
  const pairs: [string, string][] = [];
  if (queryAt !== -1) {
    for (const [name, value] of new URLSearchParams(options.path.slice(queryAt + 1))) pairs.push([name, value]);
  }
  for (const [name, value] of Object.entries(options.query ?? {})) {
    for (const one of typeof value === 'string' ? [value] : value) pairs.push([name, one]);
  }
  const rawQueryString = pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const before = queryStringParameters[name];
    queryStringParameters[name] = before === undefined ? value : `${before},${value}`;
  }

  // Body.
  let body: string | undefined;
  let isBase64Encoded = false;
  let contentType: string | undefined;
  if (options.body instanceof Uint8Array) {
    body = Buffer.from(options.body).toString('base64');
    isBase64Encoded = true;
  } else if (typeof options.body === 'string') {
    body = options.body;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    contentType = 'application/json';
  }

  // Headers: lower-cased, duplicates comma-joined, cookies split out, as API Gateway does.
  const apiId = 'a1b2c3d4e5';
  const domainName = `${apiId}.execute-api.${region}.amazonaws.com`;
  const sourceIp = options.sourceIp ?? '198.51.100.7';
  const given: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const key = name.toLowerCase();
    const before = given[key];
    given[key] = before === undefined ? value : `${before},${value}`;
  }
  const cookies = [...(options.cookies ?? [])];
  if (given['cookie'] !== undefined) {
    cookies.unshift(...given['cookie'].split(/;\s*/).filter((c) => c !== ''));
    delete given['cookie'];
  }
  const headers: Record<string, string> = {
    accept: '*/*',
    host: domainName,
    'user-agent': 'vitest',
    'x-amzn-trace-id': `Root=1-${Math.floor(time.getTime() / 1000).toString(16)}-${hex(12)}`,
    'x-forwarded-for': sourceIp,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (body !== undefined) {
    headers['content-length'] = String(isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body));
    if (contentType !== undefined) headers['content-type'] = contentType;
  }
  Object.assign(headers, given);

  const routeKey = `${method} ${options.route ?? routeFor(path, options.pathParameters)}`;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
    headers,
    requestContext: {
      accountId,
      apiId,
      domainName,
      domainPrefix: apiId,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: `${randomBytes(11).toString('base64url')}=`,
      routeKey,
      stage: '$default',
      time: clfTime(time),
      timeEpoch: time.getTime(),
    },
    isBase64Encoded,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (pairs.length > 0) event.queryStringParameters = queryStringParameters;
  if (options.pathParameters !== undefined) event.pathParameters = { ...options.pathParameters };
  if (body !== undefined) event.body = body;
  return event;
}
