/**
 * The local stand-in for the API Gateway HTTP API that the CDK stacks deploy: a node:http server
 * that selects a route per request ({@link RouteTable}), builds the payload format 2.0 event
 * ({@link requestEvent}), invokes the route's function synchronously through the {@link Invoker}
 * and writes what API Gateway would answer ({@link gatewayResponse}). Every request is traced as
 * one `http` event.
 *
 * Like a deployed HTTP API it answers 404 `{"message":"Not Found"}` for a method and path no route
 * serves (an unrouted `HEAD` or `OPTIONS` too: the spec declares no CORS), 413 for a body above
 * 10 MB, and 503 when the function has not answered within the integration timeout. It adds no
 * CORS, authorizer or stage throttling.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emit, type Invoker, type Trace } from '../types.js';
import { DEFAULT_HOST, GatewayAnswer, INTEGRATION_TIMEOUT_MS, MAX_REQUEST_BODY_BYTES } from './constants.js';
import { type GatewayResponse, gatewayAnswer, gatewayResponse } from './gateway-response.js';
import { newGatewayRequestId, requestEvent } from './request-event.js';
import { type HttpRoute, type RouteMatch, RouteTable } from './route-table.js';

/** Options of {@link startHttpFront}. */
export interface HttpFrontOptions {
  /** The routes to serve, e.g. `httpRoutesOf(model)`. Checked before the server starts. */
  readonly routes: readonly HttpRoute[];
  /** Runs the routes' functions; each request is one `sync` invocation. */
  readonly invoker: Invoker;
  /** Receives one `http` event per request, and a `note` when a function's response is malformed. */
  readonly trace: Trace;
  /**
   * Address to listen on.
   *
   * @default DEFAULT_HOST ('127.0.0.1': loopback only)
   */
  readonly host?: string;
  /**
   * Port to listen on.
   *
   * @default 0 (a free port, read back from `HttpFront.port`)
   */
  readonly port?: number;
  /**
   * Largest request body accepted; a larger one is answered 413 without invoking the function.
   *
   * @default MAX_REQUEST_BODY_BYTES (10 MB, as API Gateway)
   */
  readonly maxBodyBytes?: number;
  /**
   * How long to wait for a function before answering 503 (the invocation carries on).
   *
   * @default INTEGRATION_TIMEOUT_MS (30 s, as API Gateway)
   */
  readonly integrationTimeoutMs?: number;
  /**
   * `requestContext.accountId` of the events.
   *
   * @default DEFAULT_ACCOUNT_ID (@kiro-serverless/events)
   */
  readonly accountId?: string;
}

/** A running HTTP front. */
export interface HttpFront {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:49152`. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops listening, closes every open connection (keep-alive ones too) and resolves once the
   * server is closed. Requests still waiting for a function lose their connection; the invocations
   * carry on in the host. Calling it again returns the same promise.
   */
  stop(): Promise<void>;
}

/** Why a body was not read to the end. */
const TOO_LARGE = Symbol('too large');

/** Reads a request body to the end, or gives up once it passes `limit` bytes (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolve(TOO_LARGE);
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `::ffff:127.0.0.1` is `127.0.0.1`. */
const plainIp = (address: string | undefined): string => (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/** `host:port`, with an IPv6 host in brackets. */
const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function write(res: ServerResponse, response: GatewayResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.appendHeader(name, value);
  res.setHeader('content-length', response.body.length);
  res.setHeader('apigw-requestid', requestId);
  res.end(response.body);
}

/**
 * Starts the HTTP front and resolves once it listens.
 *
 * @throws InvalidRoutesError when a route cannot be served (before anything listens)
 * @example
 * const front = await startHttpFront({ routes: httpRoutesOf(model), invoker: host, trace });
 * const response = await fetch(`${front.url}/orders`, { method: 'POST', body: JSON.stringify(order) });
 * await front.stop();
 */
export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const table = new RouteTable(options.routes);
  const { invoker, trace } = options;
  const host = options.host ?? DEFAULT_HOST;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const integrationTimeoutMs = options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  let port = 0;

  /** Invokes the route's function and maps what it came to, or 503 once the integration timeout passes. */
  async function invoke(match: RouteMatch, event: unknown): Promise<GatewayResponse> {
    const fn = match.route.functionId;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), integrationTimeoutMs);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([invoker.invoke(fn, event, { mode: 'sync' }), timedOut]);
      if (outcome === 'timeout') {
        return gatewayAnswer(
          GatewayAnswer.ServiceUnavailable,
          `no answer within the integration timeout (${integrationTimeoutMs} ms): API Gateway answers 503 while the function carries on.`,
        );
      }
      return gatewayResponse(outcome);
    } finally {
      clearTimeout(timer);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = newGatewayRequestId();
    const time = new Date();
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const rawPath = target.split('?', 1)[0] ?? target;
    let fn: string | undefined;
    let response: GatewayResponse;
    try {
      const declaredLength = Number(req.headers['content-length'] ?? 0);
      const match = table.match(method, rawPath);
      if (declaredLength > maxBodyBytes) {
        response = gatewayAnswer(GatewayAnswer.PayloadTooLarge);
      } else if (match === undefined) {
        response = gatewayAnswer(GatewayAnswer.NotFound);
      } else {
        fn = match.route.functionId;
        const body = await readBody(req, maxBodyBytes);
        if (body === TOO_LARGE) {
          response = gatewayAnswer(GatewayAnswer.PayloadTooLarge);
        } else {
          const event = requestEvent({
            method, target, rawHeaders: req.rawHeaders, body, match, requestId, time,
            sourceIp: plainIp(req.socket.remoteAddress), httpVersion: req.httpVersion,
            domainName: hostPort(host, port), port,
            ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
          });
          response = await invoke(match, event);
        }
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      response = gatewayAnswer(GatewayAnswer.InternalServerError, `The HTTP front failed on ${method} ${rawPath}: ${why}`);
    }
    if (response.warning !== undefined) {
      emit(trace, { type: 'note', level: 'warn', text: fn === undefined ? response.warning : `${fn}: ${response.warning}` });
    }
    write(res, response, requestId);
    emit(trace, {
      type: 'http', ...(fn === undefined ? {} : { fn }), method, path: rawPath, status: response.status,
      durationMs: Math.round(performance.now() - started),
    });
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${hostPort(host, port)}`,
    port,
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
