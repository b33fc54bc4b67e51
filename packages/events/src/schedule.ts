/** EventBridge scheduled events. */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { type AwsOptions, type TimeInput, accountOf, dateOf, regionOf } from './common.js';

/** Options of {@link scheduledEvent}. */
export interface ScheduledEventOptions extends AwsOptions {
  /** Rule name or ARN; defaults to `test-schedule`. */
  rule?: string;
  /** Scheduled time; defaults to now. Sent with second precision, as EventBridge does. */
  time?: TimeInput;
}

/**
 * An EventBridge scheduled event (`source: 'aws.events'`, `detail-type: 'Scheduled Event'`, `detail: {}`).
 *
 * @example
 * const event = scheduledEvent({ rule: 'nightly-report', time: '2024-03-01T02:00:00Z' });
 * event.resources; // ['arn:aws:events:eu-west-1:123456789012:rule/nightly-report']
 */
export function scheduledEvent(options: ScheduledEventOptions = {}): ScheduledEvent<Record<string, never>> {
  const region = regionOf(options);
  const accountId = accountOf(options);
  const rule = options.rule ?? 'test-schedule';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: dateOf(options.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [rule.startsWith('arn:') ? rule : `arn:aws:events:${region}:${accountId}:rule/${rule}`],
    detail: {},
  };
}
