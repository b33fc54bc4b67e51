/**
 * The numbers and fixed answers of the local HTTP front, written once: API Gateway HTTP API limits,
 * the error responses it gives instead of a function's, and the content types it passes as text.
 *
 * @module
 */

/** API Gateway HTTP APIs refuse request bodies above 10 MB with 413. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/**
 * How long the front waits for a function before it answers 503, as an HTTP API's integration timeout
 * (30 s, the most it allows). It is a little above the 29 s that SPEC-HTTP-TIMEOUT allows a function,
 * so a function that times out on its own is reported as its timeout, not as the front's.
 */
export const INTEGRATION_TIMEOUT_MS = 30_000;

/** The host the front binds by default: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';

/** The API ID the local front puts in `requestContext.apiId` (deployed, a 10-character ID). */
export const LOCAL_API_ID = 'local';

/**
 * The answers API Gateway gives on its own, with the JSON body it sends. Each is one line here so
 * that changing a mapping (see `ERROR_ANSWERS`) is one edit.
 */
export const GatewayAnswer = {
  NotFound: { status: 404, message: 'Not Found' },
  PayloadTooLarge: { status: 413, message: 'Request Entity Too Large' },
  TooManyRequests: { status: 429, message: 'Too Many Requests' },
  InternalServerError: { status: 500, message: 'Internal Server Error' },
  ServiceUnavailable: { status: 503, message: 'Service Unavailable' },
} as const;
export type GatewayAnswer = (typeof GatewayAnswer)[keyof typeof GatewayAnswer];

/**
 * The `content-type` of a structured response that names none. HTTP APIs send
 * `text/plain; charset=utf-8` then, whatever the body holds.
 */
export const DEFAULT_STRUCTURED_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** The `content-type` of an inferred response (a function result without `statusCode`). */
export const INFERRED_CONTENT_TYPE = 'application/json';

/**
 * Media types whose request bodies reach the function as text; every other body (no content type,
 * form posts, multipart, images, octet streams) arrives base64-encoded with `isBase64Encoded: true`.
 */
export const TEXT_MEDIA_TYPE = /^(?:text\/[\w.+-]+|application\/(?:json|javascript|xml|[\w.-]+\+(?:json|xml)))$/i;
