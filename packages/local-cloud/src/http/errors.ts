/**
 * Errors of the local HTTP front: one base class, one subclass per failure.
 *
 * @module
 */

/** Base of every error the HTTP front throws. */
export class HttpFrontError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpFrontError';
  }
}

/** One problem with one route given to the front. */
export interface RouteIssue {
  /** The function the route belongs to. */
  readonly functionId: string;
  /** The route as given, e.g. `GET /orders/{id}`. */
  readonly route: string;
  readonly message: string;
}

/**
 * The routes given to `startHttpFront` (or `RouteTable`) cannot be served: a method API Gateway does
 * not know, a path it would not accept, or two routes for the same requests. Every issue is listed.
 */
export class InvalidRoutesError extends HttpFrontError {
  constructor(readonly issues: readonly RouteIssue[], options?: ErrorOptions) {
    super(
      `${issues.length} HTTP route(s) cannot be served:\n` +
        issues.map((i) => `  - ${i.route} (${i.functionId}): ${i.message}`).join('\n') +
        '\nFix the `trigger.http` of these functions in the spec, then run `npm run spec:check`.',
      options,
    );
    this.name = 'InvalidRoutesError';
  }
}
