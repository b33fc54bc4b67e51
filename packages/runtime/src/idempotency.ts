/**
 * Idempotency on Powertools (LBP-IDEMPOTENCY): a function whose trigger can deliver the same event
 * twice runs its side effects once per key. The first call stores its result in the service's
 * idempotency table (DynamoDB); a repeat within `expiresAfterSeconds` returns the stored result
 * without running the function; a repeat while the first is still running fails with
 * `IdempotencyAlreadyInProgressError` (so the event source retries it later). A call that throws
 * stores nothing, so its retry runs again.
 *
 * The persistence layer and config are created when the entry is built, at module scope (INIT).
 * The generated entry passes the key as a JMESPath expression translated from the spec's dotted key.
 *
 * @example
 * const process = idempotent(withResources(fulfilOrder, resources), {
 *   key: 'powertools_json(body).orderId', expiresAfterSeconds: 3600, tableName, keyPrefix: 'orders.fulfilOrder',
 * });
 */
import {
  IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyKeyError, makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClient } from './clients/dynamodb.js';
import { RuntimeError } from './errors.js';
import { ConflictError } from './http-errors.js';
import type { RawHttpHandler } from './http.js';
import type { ContextHandler } from './invocation.js';

export interface IdempotencyOptions {
  /** JMESPath of the key in the input, e.g. `powertools_json(body).orderId` or `headers."idempotency-key"`. */
  readonly key: string;
  /** How long a result is remembered, in seconds. */
  readonly expiresAfterSeconds: number;
  /** The idempotency table (partition key `id`, TTL on `expiration`). */
  readonly tableName: string;
  /**
   * Prefix of the stored keys: `<service>.<function>`, so that functions share one table and a
   * function keeps its records when its deployed name changes.
   */
  readonly keyPrefix: string;
  /**
   * Fail the input when the key is missing from it. When false, an input without the key is
   * processed without idempotency (an HTTP client that sends no Idempotency-Key asks for none).
   *
   * @default true
   */
  readonly requireKey?: boolean;
}

function powertoolsOptions(options: IdempotencyOptions) {
  return {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: dynamoDbClient }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: options.key,
      expiresAfterSeconds: options.expiresAfterSeconds,
      throwOnNoIdempotencyKey: options.requireKey ?? true,
    }),
    keyPrefix: options.keyPrefix,
  };
}

/**
 * Makes an `(input, context)` function idempotent by the key in `input`. The Lambda context's
 * remaining time bounds how long an in-progress record blocks a repeat (a timed-out call does not
 * block its retry for the whole expiry).
 */
export function idempotent<TInput, TResult>(
  handler: ContextHandler<TInput, TResult>,
  options: IdempotencyOptions,
): ContextHandler<TInput, TResult> {
  const wrapped = makeIdempotent(handler, powertoolsOptions(options));
  return async (input: TInput, context: Context) => {
    try {
      return await wrapped(input, context);
    } catch (error) {
      if (error instanceof Error && error.cause instanceof IdempotencyKeyError) throw new MissingIdempotencyKeyError(options, { cause: error });
      throw error;
    }
  };
}

/**
 * The input lacks the idempotency key the spec declares, so it cannot be deduplicated and is failed
 * (it is retried, then reaches the dead-letter queue or OnFailure destination, where it can be
 * inspected). Fix the producer, or the spec's `idempotency.key`.
 */
export class MissingIdempotencyKeyError extends RuntimeError {
  constructor(options: Pick<IdempotencyOptions, 'key' | 'keyPrefix'>, errorOptions?: ErrorOptions) {
    super(`${options.keyPrefix}: the input has no idempotency key at ${options.key} (from the spec's idempotency.key); it was not processed.`, errorOptions);
    this.name = 'MissingIdempotencyKeyError';
  }
}

/**
 * Idempotency for an HTTP handler: a repeated request (same key) gets the stored response; one that
 * arrives while the first is still running gets 409 and may be retried. Only successful responses
 * are stored: `httpHandler` throws on bad input, so place this between `httpHandler` and `mapHttpErrors`.
 * The key is optional for HTTP callers (`requireKey` defaults to false here).
 */
export function idempotentHttp(inner: RawHttpHandler, options: IdempotencyOptions): RawHttpHandler {
  const wrapped = idempotent(inner, { requireKey: false, ...options });
  return async (event, context) => {
    try {
      return await wrapped(event, context);
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new ConflictError('A request with this idempotency key is still being processed; retry it shortly.', { code: 'RequestInProgress', cause: error });
      }
      throw error;
    }
  };
}
