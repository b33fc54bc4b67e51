/** Errors a business-logic function throws to answer an HTTP request with a 4xx (LBP-ERR-SYNC). */
import { RuntimeError } from './errors.js';

export interface HttpErrorOptions extends ErrorOptions {
  /** Machine-readable code in the response body. @default the class's code */
  readonly code?: string;
  /** Extra data for the caller (e.g. validation problems). @default none */
  readonly details?: unknown;
}

/** An answer to the caller; its message is sent to them, so it must not hold secrets. */
export class HttpError extends RuntimeError {
  readonly code: string;
  readonly details: unknown;
  constructor(readonly statusCode: number, message: string, defaultCode: string, options: HttpErrorOptions = {}) {
    super(message, options);
    this.name = 'HttpError';
    this.code = options.code ?? defaultCode;
    this.details = options.details;
  }
}

/** 400: the request is malformed or invalid; retrying it unchanged cannot help. */
export class BadRequestError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(400, message, 'BadRequest', options);
    this.name = 'BadRequestError';
  }
}

/** 404: what the request names does not exist. */
export class NotFoundError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(404, message, 'NotFound', options);
    this.name = 'NotFoundError';
  }
}

/** 409: the request conflicts with the current state (e.g. the order exists already). */
export class ConflictError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(409, message, 'Conflict', options);
    this.name = 'ConflictError';
  }
}

/** 422: the request is well-formed but breaks a business rule (e.g. an unknown product). */
export class UnprocessableError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(422, message, 'Unprocessable', options);
    this.name = 'UnprocessableError';
  }
}
