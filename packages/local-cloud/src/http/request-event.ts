/**
 * The payload format 2.0 event of a real HTTP request, shaped as `httpEvent` (@kiro-serverless/events)
 * shapes test events and as API Gateway builds them: headers lower-cased with repeats comma-joined,
 * cookies split out of the `cookie` header, repeated query keys comma-joined, text bodies as text
 * and every other body base64-encoded, the `$default` stage, a fresh request ID and the request time.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { accountOf, hex } from '@kiro-serverless/events/common';
import { LOCAL_API_ID, TEXT_MEDIA_TYPE } from './constants.js';
import type { RouteMatch } from './route-table.js';

/** What {@link requestEvent} needs to know of one request. */
export interface RequestEventInput {
  /** The method as sent, e.g. `POST`. */
  readonly method: string;
  /** The request target as sent: path and query string, e.g. `/orders/a%20b?expand=lines`. */
  readonly target: string;
  /** Header names and values in the order sent, as node's `IncomingMessage.rawHeaders` lists them. */
  readonly rawHeaders: readonly string[];
  /** The whole body; empty when there is none. */
  readonly body: Buffer;
  /** The route the request selected. */
  readonly match: RouteMatch;
  /** The client's address (`socket.remoteAddress`); an IPv4-mapped IPv6 address is given as IPv4. */
  readonly sourceIp: string;
  /** `IncomingMessage.httpVersion`, e.g. `1.1`. */
  readonly httpVersion: string;
  /** `host:port` the front listens on; it is `requestContext.domainName`. */
  readonly domainName: string;
  /** The port the front listens on, sent as `x-forwarded-port`. */
  readonly port: number;
  /** API Gateway's request ID; `apigw-requestid` of the response. @default a new ID */
  readonly requestId?: string;
  /** When the request arrived. @default now */
  readonly time?: Date;
  /** `requestContext.accountId`. @default DEFAULT_ACCOUNT_ID (@kiro-serverless/events) */
  readonly accountId?: string;
}

/** A request ID shaped as an HTTP API's: 15 base64url characters and `=`. */
export const newGatewayRequestId = (): string => `${randomBytes(11).toString('base64url')}=`;

/** API Gateway's CLF-style request time: `12/Mar/2020:19:03:58 +0000`. */
const clfTime = (time: Date): string => {
  const [, day, month, year, clock] = time.toUTCString().split(' '); // `Thu, 12 Mar 2020 19:03:58 GMT`
  return `${day ?? ''}/${month ?? ''}/${year ?? ''}:${clock ?? ''} +0000`;
};

/** Whether a body of this `content-type` reaches the function as text (else base64). */
export const isTextContentType = (contentType: string | undefined): boolean =>
  contentType !== undefined && TEXT_MEDIA_TYPE.test(contentType.split(';')[0]?.trim() ?? '');

/**
 * The APIGatewayProxyEventV2 a Lambda proxy integration (payload format 2.0) receives for a request.
 *
 * @example
 * const event = requestEvent({
 *   method: req.method, target: req.url, rawHeaders: req.rawHeaders, body, match,
 *   sourceIp: '127.0.0.1', httpVersion: req.httpVersion, domainName: '127.0.0.1:3000', port: 3000,
 * });
 */
export function requestEvent(input: RequestEventInput): APIGatewayProxyEventV2 {
  const time = input.time ?? new Date();
  const queryAt = input.target.indexOf('?');
  const rawPath = queryAt === -1 ? input.target : input.target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : input.target.slice(queryAt + 1);

  // Query: values decoded, repeated keys comma-joined.
  const queryStringParameters: Record<string, string> = {};
  let hasQuery = false;
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const before = queryStringParameters[name];
    queryStringParameters[name] = before === undefined ? value : `${before},${value}`;
    hasQuery = true;
  }

  // Headers: lower-cased, repeats comma-joined; cookies split out into `cookies`.
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) {
    const name = (input.rawHeaders[i] ?? '').toLowerCase();
    const value = input.rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(...value.split(/;\s*/).filter((c) => c !== ''));
      continue;
    }
    const before = headers[name];
    headers[name] = before === undefined ? value : `${before},${value}`;
  }
  // What API Gateway adds on the way in.
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor === undefined ? input.sourceIp : `${forwardedFor}, ${input.sourceIp}`;
  headers['x-forwarded-port'] = String(input.port);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(time.getTime() / 1000).toString(16)}-${hex(12)}`;

  // Body: text as text, anything else as base64.
  let body: string | undefined;
  let isBase64Encoded = false;
  if (input.body.length > 0) {
    isBase64Encoded = !isTextContentType(headers['content-type']);
    body = input.body.toString(isBase64Encoded ? 'base64' : 'utf8');
  }

  const { routeKey } = input.match;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: accountOf(input),
      apiId: LOCAL_API_ID,
      domainName: input.domainName,
      domainPrefix: input.domainName.split('.')[0] ?? input.domainName,
      http: {
        method: input.method,
        path: rawPath,
        protocol: `HTTP/${input.httpVersion}`,
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId ?? newGatewayRequestId(),
      routeKey,
      stage: '$default',
      time: clfTime(time),
      timeEpoch: time.getTime(),
    },
    isBase64Encoded,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (hasQuery) event.queryStringParameters = queryStringParameters;
  if (Object.keys(input.match.pathParameters).length > 0) event.pathParameters = { ...input.match.pathParameters };
  if (body !== undefined) event.body = body;
  return event;
}
