/**
 * What a business-logic function receives besides its input: the resources it may touch (names,
 * ARNs and URLs, read from the environment once at INIT by the generated entry) and the Lambda
 * context. Tests pass their own resources; no environment variables needed.
 */
import type { Context } from 'aws-lambda';

export interface Invocation<TResources> {
  /** The resources the spec lets this function touch, e.g. `resources.tables.orders` (a table name). */
  readonly resources: TResources;
  /** The Lambda context: request id, remaining time, function name. */
  readonly context: Context;
}

/** A business-logic function for one input (a record, a message, an event). */
export type EventHandler<TInput, TResources, TResult = void> = (input: TInput, invocation: Invocation<TResources>) => Promise<TResult>;

/** The shape the Lambda runtime and the runtime wrappers call: `(input, context)`. */
export type ContextHandler<TInput, TResult> = (input: TInput, context: Context) => Promise<TResult>;

/**
 * Binds a business-logic function to its resources, giving the `(input, context)` shape the
 * wrappers call. Done once at INIT by the generated entry.
 */
export function withResources<TInput, TResources, TResult>(
  handler: EventHandler<TInput, TResources, TResult>,
  resources: TResources,
): ContextHandler<TInput, TResult> {
  return (input, context) => handler(input, { resources, context });
}
