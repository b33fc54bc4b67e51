/**
 * What an HTTP API answers for one invocation (payload format 2.0).
 *
 * A function result that is an object with `statusCode` is a structured response: its `statusCode`,
 * `headers`, `cookies` (one `set-cookie` each) and `body` (base64-decoded when `isBase64Encoded`)
 * make the HTTP response, and a malformed one (no integer status, a body that is not a string, ...)
 * becomes a 500, as API Gateway does. Any other result is inferred as API Gateway documents it: 200,
 * `content-type: application/json`, and the result's JSON as the body, except that a string result
 * is the body as is (Lambda hands API Gateway the string as a JSON string, and API Gateway unquotes
 * it). `multiValueHeaders` belongs to payload format 1.0 and is ignored, with a warning.
 *
 * When the invocation did not return, the front answers on the function's behalf
 * ({@link ERROR_ANSWERS}):
 * - a function error (thrown, init failure, crash): 500 `Internal Server Error`, as deployed;
 * - a throttled invocation: 429 `Too Many Requests`. Deployed, API Gateway turns Lambda's throttle
 *   into a 500; locally it stays a 429 so the throttle shows for what it is (the deployed stage's own
 *   rate limit also answers 429, so clients handle it either way);
 * - a function timeout: 500, like any function error (API Gateway's own 503 is for its integration timeout).
 *
 * @module
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { InvokeOutcome } from '../types.js';
import { DEFAULT_STRUCTURED_CONTENT_TYPE, GatewayAnswer, INFERRED_CONTENT_TYPE } from './constants.js';

/** An HTTP response ready to write. */
export interface GatewayResponse {
  readonly status: number;
  /** Name and value pairs in order; a name may repeat (`set-cookie`). */
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly body: Buffer;
  /** Why the function's result was not used as it stands, for the trace; absent when it was. */
  readonly warning?: string;
}

/** The answer the front gives for each way an invocation can fail to return a result. */
export const ERROR_ANSWERS: Readonly<Record<'throttled' | Extract<InvokeOutcome, { status: 'error' }>['kind'], GatewayAnswer>> = {
  function: GatewayAnswer.InternalServerError,
  init: GatewayAnswer.InternalServerError,
  crash: GatewayAnswer.InternalServerError,
  // A function stopped by its own timeout is a function error to API Gateway: 500. (503 is for its 30 s integration timeout.)
  timeout: GatewayAnswer.InternalServerError,
  throttled: GatewayAnswer.TooManyRequests,
};

/** Headers API Gateway sets itself: a function's values for them are dropped. */
const GATEWAY_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'apigw-requestid']);

/** One of API Gateway's own answers: its status and `{"message": ...}` as JSON. */
export function gatewayAnswer(answer: GatewayAnswer, warning?: string): GatewayResponse {
  return {
    status: answer.status,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify({ message: answer.message })),
    ...(warning === undefined ? {} : { warning }),
  };
}

/**
 * The response to a request whose invocation came to `outcome`.
 *
 * @example
 * gatewayResponse({ status: 'ok', response: { statusCode: 201, body: '{"id":"42"}' }, ... }).status; // 201
 * gatewayResponse({ status: 'throttled', requestId }).status; // 429
 */
export function gatewayResponse(outcome: InvokeOutcome): GatewayResponse {
  switch (outcome.status) {
    case 'ok':
      return functionResponse(outcome.response);
    case 'throttled':
      return gatewayAnswer(ERROR_ANSWERS.throttled);
    case 'error':
      return gatewayAnswer(ERROR_ANSWERS[outcome.kind]);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A malformed structured response: API Gateway answers 500 and logs why. */
const malformed = (why: string): GatewayResponse =>
  gatewayAnswer(GatewayAnswer.InternalServerError, `The function's response is malformed: ${why}. API Gateway answers 500.`);

/** The response a function's result makes (payload format 2.0 rules). */
export function functionResponse(result: unknown): GatewayResponse {
  if (isRecord(result) && Object.hasOwn(result, 'statusCode')) return structuredResponse(result);
  let text: string | undefined;
  try {
    // A function that returns nothing hands Lambda `null`.
    text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  } catch (error) {
    return malformed(`it cannot be serialised as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (text === undefined) return malformed('it cannot be serialised as JSON');
  return { status: 200, headers: [['content-type', INFERRED_CONTENT_TYPE]], body: Buffer.from(text) };
}

function structuredResponse(result: Record<string, unknown>): GatewayResponse {
  const { statusCode, headers, cookies, body, isBase64Encoded, multiValueHeaders } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return malformed(`statusCode ${JSON.stringify(statusCode) ?? String(statusCode)} is not an integer from 100 to 599`);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    const kind = Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'an object' : `a ${typeof body}`;
    return malformed(`body is ${kind}, not a string (JSON.stringify it)`);
  }
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean') {
    return malformed('isBase64Encoded is not a boolean');
  }

  const pairs: [string, string][] = [];
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return malformed('headers is not an object of names and values');
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        return malformed(`the header "${name}" is not a string, number or boolean`);
      }
      pairs.push([name.toLowerCase(), String(value)]);
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c): c is string => typeof c === 'string')) {
      return malformed('cookies is not an array of strings');
    }
    for (const cookie of cookies) pairs.push(['set-cookie', cookie]);
  }
  for (const [name, value] of pairs) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      return malformed(`the header "${name}" has a name or value HTTP does not allow`);
    }
  }

  const kept = pairs.filter(([name]) => !GATEWAY_HEADERS.has(name));
  if (!kept.some(([name]) => name === 'content-type')) kept.unshift(['content-type', DEFAULT_STRUCTURED_CONTENT_TYPE]);
  const text = typeof body === 'string' ? body : '';
  return {
    status: statusCode,
    headers: kept,
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text),
    ...(multiValueHeaders === undefined
      ? {}
      : { warning: 'The function\'s response has multiValueHeaders, which payload format 2.0 ignores: give repeated values comma-joined in headers, and cookies in cookies.' }),
  };
}
