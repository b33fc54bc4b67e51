import { describe, expect, it } from 'vitest';
import { REDACTED, redactAttributes, redactBody, redactEnvironment, looksLikeSecret } from '../src/redact.js';

describe('redaction of what the MCP server shows', () => {
  it('environment: hides values by secret-sounding name or credential-looking value, keeps resource names and URLs', () => {
    expect(redactEnvironment({
      TABLE_ORDERS: 'dev-orders-OrdersTableD407578C-1XYZ0ABCDEFGHIJKL',
      QUEUE_FULFILMENT: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dev-orders-FulfilmentQueue-AbC',
      DB_PASSWORD: 'x', STRIPE_API_KEY: 'y', SESSION_SECRET: 'z', GITHUB_TOKEN: 'w',
      LEGACY: 'AKIAIOSFODNN7EXAMPLE', SIGNING: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      DATABASE_URL: 'postgres://app:s3cr3t@db.internal:5432/orders', LOG_LEVEL: 'INFO',
    })).toEqual({
      DATABASE_URL: REDACTED, DB_PASSWORD: REDACTED, GITHUB_TOKEN: REDACTED, LEGACY: REDACTED, LOG_LEVEL: 'INFO',
      QUEUE_FULFILMENT: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dev-orders-FulfilmentQueue-AbC',
      SESSION_SECRET: REDACTED, SIGNING: REDACTED, STRIPE_API_KEY: REDACTED,
      TABLE_ORDERS: 'dev-orders-OrdersTableD407578C-1XYZ0ABCDEFGHIJKL',
    });
  });

  it('bodies: JSON keeps its shape with secret fields hidden, nested JSON strings too; text loses credential runs; long bodies are cut', () => {
    const body = JSON.stringify({ orderId: 'o-1', customer: { email: 'a@b.c', password: 'hunter2' }, Message: JSON.stringify({ apiKey: 'k', total: 5 }) });
    expect(JSON.parse(redactBody(body))).toEqual({ orderId: 'o-1', customer: { email: 'a@b.c', password: REDACTED }, Message: JSON.stringify({ apiKey: REDACTED, total: 5 }) });
    expect(redactBody('token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc and key AKIAIOSFODNN7EXAMPLE')).toBe(`token=${REDACTED} and key ${REDACTED}`);
    const long = redactBody('x'.repeat(5_000), 100);
    expect(long).toMatch(/^x{100}… \(4900 more characters\)$/);
  });

  it('attributes: SQS and SNS shapes, secret names and values hidden, others as strings', () => {
    expect(redactAttributes({
      type: { DataType: 'String', StringValue: 'OrderPlaced' }, authorization: { Type: 'String', Value: 'Bearer abcdefghijklmnop' },
      trace: { dataType: 'String', stringValue: 'Root=1-abc' }, blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) },
    })).toEqual({ type: 'OrderPlaced', authorization: REDACTED, trace: 'Root=1-abc', blob: '(binary)' });
  });

  it('does not mistake names, ARNs or short IDs for secrets', () => {
    for (const value of ['orders', 'arn:aws:sqs:eu-west-1:123456789012:dev-orders-q', '3069ffaa-7184-4930-9419-bf59d50040c2', 'TEA-SENCHA']) {
      expect(looksLikeSecret(value), value).toBe(false);
    }
  });
});
