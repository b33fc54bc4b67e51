/**
 * Builders for the events Lambda hands to a handler, shaped as Lambda delivers them, for handler tests.
 *
 * Every builder takes an options object; `region` and `accountId` default to {@link DEFAULT_REGION} and
 * {@link DEFAULT_ACCOUNT_ID}. IDs (request IDs, message IDs, event IDs) are random but unique. Times default to
 * `Date.now()`, so `vi.useFakeTimers()` / `vi.setSystemTime()` make them fixed; every builder also takes `time`.
 *
 * @example
 * const event = httpEvent({ method: 'POST', path: '/orders', body: { sku: 'A-1', quantity: 2 } });
 * const response = await handler(event, lambdaContext());
 */
export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type AwsOptions, type TimeInput } from './common.js';
export { httpEvent, type HttpEventOptions } from './http.js';
export {
  streamEvent,
  streamRecords,
  type StreamRecordBuilder,
  type StreamRecordsOptions,
  type StreamViewType,
} from './dynamodb-stream.js';
export {
  md5OfMessageAttributes,
  sqsEvent,
  sqsRecord,
  type SqsAttributeInput,
  type SqsRecordOptions,
} from './sqs.js';
export { snsEvent, type SnsAttributeInput, type SnsEventOptions } from './sns.js';
export { scheduledEvent, type ScheduledEventOptions } from './schedule.js';
export { lambdaContext, type LambdaContextOptions } from './context.js';
