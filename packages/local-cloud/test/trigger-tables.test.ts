/**
 * The local cloud's per-trigger tables: the mapping each trigger type starts (cloud.ts) and its
 * synthetic and test events (synthetic.ts) cover every trigger type of the model, and `npm run invoke`'s
 * factories build the event their trigger delivers.
 */
import { describe, expect, it } from 'vitest';
import { checkSpecText } from '@kiro-serverless/model/check';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { TRIGGER_KINDS } from '@kiro-serverless/model/triggers';
import { fixtureSpec } from '@kiro-serverless/fixtures';
import { MAPPINGS } from '../src/cloud.js';
import { defaultEvent, EVENT_FACTORIES, SYNTHETIC } from '../src/synthetic.js';

const { model } = checkSpecText(fixtureSpec('billing'), 'specs/billing.yaml');
if (!model) throw new Error('the billing fixture has errors');
const billing: ServiceModel = model;
const fn = (id: string): FunctionModel => {
  const f = billing.functions[id];
  if (!f) throw new Error(`no function ${id} in billing`);
  return f;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the per-trigger tables of the local cloud', () => {
  it('start a mapping for every trigger type of the model, direct included', () => {
    expect(Object.keys(MAPPINGS).sort()).toEqual([...TRIGGER_KINDS].sort());
  });

  it('send a synthetic event for every trigger type, and offer each as an `npm run invoke` factory', () => {
    expect(Object.keys(SYNTHETIC).sort()).toEqual([...TRIGGER_KINDS].sort());
    expect(EVENT_FACTORIES).toEqual(['http', 'sqs', 'sns', 'dynamodbStream', 'schedule', 'direct']);
  });
});

describe('defaultEvent', () => {
  it('http: a request on the function\'s route, its path parameters filled in', () => {
    const event = defaultEvent('http', billing, fn('getInvoice')) as { routeKey: string; rawPath: string; pathParameters: Record<string, string> };
    expect(event.routeKey).toBe('GET /invoices/{invoiceId}');
    expect(event.rawPath).toBe('/invoices/example-invoiceId');
    expect(event.pathParameters).toEqual({ invoiceId: 'example-invoiceId' });
  });

  it('sqs: one message of the function\'s queue, the idempotency key in its body', () => {
    const event = defaultEvent('sqs', billing, fn('applyPayment')) as { Records: { eventSourceARN: string; body: string }[] };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]!.eventSourceARN).toMatch(/:billing-payments$/);
    expect(JSON.parse(event.Records[0]!.body)).toEqual({ paymentId: expect.stringMatching(UUID) });
  });

  it('sns: one message of the function\'s topic, the idempotency key in the message', () => {
    const event = defaultEvent('sns', billing, fn('archiveInvoiceEvent')) as { Records: { Sns: { TopicArn: string; Message: string } }[] };
    expect(event.Records[0]!.Sns.TopicArn).toMatch(/:billing-invoiceEvents$/);
    expect(JSON.parse(event.Records[0]!.Sns.Message)).toEqual({ eventId: expect.stringMatching(UUID) });
  });

  it('dynamodbStream: an insert into the function\'s table, with its key attributes', () => {
    const event = defaultEvent('dynamodbStream', billing, fn('projectLedger')) as { Records: { eventName: string; eventSourceARN: string; dynamodb: { Keys: Record<string, unknown> } }[] };
    expect(event.Records[0]!.eventName).toBe('INSERT');
    expect(event.Records[0]!.eventSourceARN).toContain('table/billing-ledger/');
    expect(Object.keys(event.Records[0]!.dynamodb.Keys).sort()).toEqual(['accountNo', 'entryNo']);
  });

  it('schedule: an EventBridge scheduled event', () => {
    const event = defaultEvent('schedule', billing, fn('sendReminders')) as { source: string; 'detail-type': string };
    expect(event.source).toBe('aws.events');
    expect(event['detail-type']).toBe('Scheduled Event');
  });

  it('direct: the caller\'s payload, with the idempotency key where the spec puts it', () => {
    expect(defaultEvent('direct', billing, fn('renderInvoicePdf'))).toEqual({ invoiceId: expect.stringMatching(UUID) });
    expect(defaultEvent('direct', billing, fn('quoteTax'))).toEqual({});
  });

  it('builds the event a factory names for any function, and nothing for an unknown name', () => {
    const event = defaultEvent('sqs', billing, fn('getInvoice')) as { Records: { eventSourceARN: string }[] };
    expect(event.Records[0]!.eventSourceARN).toMatch(/:billing-queue$/);
    expect(defaultEvent('kinesis', billing, fn('getInvoice'))).toBeUndefined();
    expect(defaultEvent('toString', billing, fn('getInvoice'))).toBeUndefined();
  });
});
