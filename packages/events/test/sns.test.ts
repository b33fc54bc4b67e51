import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, snsEvent } from '../src/index.js';

describe('snsEvent', () => {
  it('builds one notification record with a JSON message', () => {
    const event = snsEvent({ orderId: '42' }, { topic: 'order-events', subject: 'OrderPlaced', time: '2024-01-02T12:45:07Z' });

    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]!;
    const topicArn = `arn:aws:sns:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:order-events`;
    expect(record).toMatchObject({ EventVersion: '1.0', EventSource: 'aws:sns' });
    expect(record.EventSubscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    expect(record.Sns).toMatchObject({
      Type: 'Notification',
      TopicArn: topicArn,
      Subject: 'OrderPlaced',
      Timestamp: '2024-01-02T12:45:07.000Z',
      SignatureVersion: '1',
      MessageAttributes: {},
    });
    expect(record.Sns.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.Sns.UnsubscribeUrl).toContain(record.EventSubscriptionArn);
    expect(JSON.parse(record.Sns.Message)).toEqual({ orderId: '42' });
  });

  it('converts message attributes to SNS’s { Type, Value } shape and leaves out a missing subject', () => {
    const sns = snsEvent('hello', {
      topic: 'arn:aws:sns:us-east-1:210987654321:alerts',
      attributes: { kind: 'placed', priority: 3, regions: ['eu', 'us'], raw: new Uint8Array([1, 2, 3]) },
    }).Records[0]!.Sns;

    expect(sns.TopicArn).toBe('arn:aws:sns:us-east-1:210987654321:alerts');
    expect(sns.Message).toBe('hello');
    expect(sns).not.toHaveProperty('Subject');
    expect(sns.MessageAttributes).toEqual({
      kind: { Type: 'String', Value: 'placed' },
      priority: { Type: 'Number', Value: '3' },
      regions: { Type: 'String.Array', Value: '["eu","us"]' },
      raw: { Type: 'Binary', Value: 'AQID' },
    });
  });
});
