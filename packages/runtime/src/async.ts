/**
 * Entry composition for asynchronously invoked triggers (SNS, schedules, direct Event invocations),
 * LBP-ERR-ASYNC: an error is rethrown, never swallowed, so that Lambda retries the event (up to the
 * function's maximum retry attempts) and then sends it to its OnFailure destination.
 *
 * @example
 * export const handler = withObservability(snsHandler(withResources(notifyCustomer, resources)));
 */
import type { Context, SNSEvent, SNSEventRecord } from 'aws-lambda';
import type { ContextHandler } from './invocation.js';

/**
 * Runs `handle` on each record of an SNS event, in order (SNS delivers one record per invocation).
 * The first error fails the invocation.
 */
export function snsHandler(handle: ContextHandler<SNSEventRecord, void>): (event: SNSEvent, context: Context) => Promise<void> {
  return async (event, context) => {
    for (const record of event.Records) await handle(record, context);
  };
}
