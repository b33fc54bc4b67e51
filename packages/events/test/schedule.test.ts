import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, scheduledEvent } from '../src/index.js';

describe('scheduledEvent', () => {
  it('builds an EventBridge scheduled event for the rule at second precision', () => {
    const event = scheduledEvent({ rule: 'nightly-report', time: '2024-03-01T02:00:00.456Z' });

    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: DEFAULT_ACCOUNT_ID,
      region: DEFAULT_REGION,
      time: '2024-03-01T02:00:00Z',
      resources: [`arn:aws:events:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:rule/nightly-report`],
      detail: {},
    });
    expect(event.id).not.toBe(scheduledEvent().id);
  });
});
