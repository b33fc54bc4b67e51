/** SNS notification events. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SNSEvent, SNSMessageAttribute, SNSMessageAttributes } from 'aws-lambda';
import { type AwsOptions, type TimeInput, accountOf, dateOf, hex, regionOf, toJsonText } from './common.js';

/** An SNS message attribute: a string, a number, a string list, bytes, or SNS's `{ Type, Value }`. */
export type SnsAttributeInput = string | number | readonly string[] | Uint8Array | SNSMessageAttribute;

/** Options of {@link snsEvent}. */
export interface SnsEventOptions extends AwsOptions {
  /** Topic name or ARN. */
  topic: string;
  /** Subject; left out when not given. */
  subject?: string;
  /** Message attributes: strings are `String`, numbers `Number`, arrays `String.Array`, bytes `Binary`. */
  attributes?: Record<string, SnsAttributeInput>;
  /** Publish time; defaults to now. */
  time?: TimeInput;
}

const snsAttribute = (value: SnsAttributeInput): SNSMessageAttribute => {
  if (typeof value === 'string') return { Type: 'String', Value: value };
  if (typeof value === 'number') return { Type: 'Number', Value: String(value) };
  if (value instanceof Uint8Array) return { Type: 'Binary', Value: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { Type: 'String.Array', Value: JSON.stringify(value) };
  return value as SNSMessageAttribute;
};

/**
 * An SNS event with one record (SNS invokes Lambda with one message at a time). Object messages are
 * JSON-stringified.
 *
 * @example
 * const event = snsEvent({ orderId: '42' }, { topic: 'order-events', subject: 'OrderPlaced', attributes: { kind: 'placed' } });
 * JSON.parse(event.Records[0]!.Sns.Message); // { orderId: '42' }
 */
export function snsEvent(message: unknown, options: SnsEventOptions): SNSEvent {
  const region = regionOf(options);
  const topicArn = options.topic.startsWith('arn:')
    ? options.topic
    : `arn:aws:sns:${region}:${accountOf(options)}:${options.topic}`;
  const subscriptionArn = `${topicArn}:${randomUUID()}`;
  const MessageAttributes: SNSMessageAttributes = {};
  for (const [name, value] of Object.entries(options.attributes ?? {})) MessageAttributes[name] = snsAttribute(value);

  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        EventSource: 'aws:sns',
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          ...(options.subject === undefined ? {} : { Subject: options.subject }),
          Message: toJsonText(message),
          Timestamp: dateOf(options.time).toISOString(),
          SignatureVersion: '1',
          Signature: randomBytes(256).toString('base64'),
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-${hex(16)}.pem`,
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes,
        },
      },
    ],
  };
}
