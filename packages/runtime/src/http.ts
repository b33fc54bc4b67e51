/**
 * HTTP entry composition (API Gateway HTTP API, payload v2), LBP-ERR-SYNC: the caller owns retries,
 * so a bad request gets a 4xx that says what is wrong, a fault gets a 500 that reveals nothing,
 * and nothing is retried inside.
 *
 * Two layers, so that idempotency can sit between them and only successful results are stored:
 * `httpHandler` parses and validates (throwing HttpError), `mapHttpErrors` turns errors into responses.
 *
 * @example
 * export const handler = withObservability(mapHttpErrors(httpHandler(createOrder, resources)));
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { BadRequestError, HttpError } from './http-errors.js';
import type { Invocation } from './invocation.js';
import { logger } from './observability.js';

/** The request a business-logic function receives: parsed, validated, with lower-cased headers. */
export interface HttpRequest<TBody> {
  readonly method: string;
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: TBody;
  /** The raw event, for what the fields above leave out. */
  readonly event: APIGatewayProxyEventV2;
}

/** What a business-logic function returns; `body` is sent as JSON. */
export interface HttpResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A business-logic function for an http trigger, with the zod schema of its JSON body. */
export interface HttpRoute<TBody, TResources = unknown> {
  /** Schema of the JSON body. @default no body expected: `body` is undefined */
  readonly body?: z.ZodType<TBody>;
  readonly handle: (request: HttpRequest<TBody>, invocation: Invocation<TResources>) => Promise<HttpResult>;
}

/** An HTTP handler as Lambda calls it (API Gateway HTTP API, payload v2). */
export type RawHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Parses and validates the event, calls the route with its resources, and serialises its result.
 * Throws HttpError on bad input.
 */
export function httpHandler<TBody, TResources>(route: HttpRoute<TBody, TResources>, resources: TResources): RawHttpHandler {
  return async (event, context) => {
    const request: HttpRequest<TBody> = {
      method: event.requestContext.http.method,
      path: event.rawPath,
      pathParameters: compact(event.pathParameters),
      query: compact(event.queryStringParameters),
      headers: Object.fromEntries(Object.entries(compact(event.headers)).map(([k, v]) => [k.toLowerCase(), v])),
      body: parseBody(event, route.body),
      event,
    };
    return toResponse(await route.handle(request, { resources, context }));
  };
}

/** Turns HttpError into its status and message, anything else into a 500 that hides the cause (and logs it). */
export function mapHttpErrors(inner: RawHttpHandler): RawHttpHandler {
  return async (event, context) => {
    try {
      return await inner(event, context);
    } catch (error) {
      if (error instanceof HttpError) {
        return toResponse({ statusCode: error.statusCode, body: { error: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
      }
      logger.error('Unhandled error in HTTP handler', error as Error);
      return toResponse({ statusCode: 500, body: { error: 'InternalError', message: 'The request failed; try again later.', requestId: context.awsRequestId } });
    }
  };
}

function parseBody<TBody>(event: APIGatewayProxyEventV2, schema: z.ZodType<TBody> | undefined): TBody {
  if (schema === undefined) return undefined as TBody;
  const text = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let json: unknown;
  if (text !== undefined && text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      throw new BadRequestError('The body is not valid JSON.', { code: 'InvalidJson' });
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new BadRequestError(`The body is invalid: ${details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')}.`, { code: 'ValidationFailed', details });
  }
  return parsed.data;
}

function toResponse(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  const hasBody = result.body !== undefined;
  return {
    statusCode: result.statusCode,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...result.headers },
    ...(hasBody ? { body: JSON.stringify(result.body) } : {}),
  };
}

function compact(record: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
}
