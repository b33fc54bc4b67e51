import { describe, expect, it } from 'vitest';
import { checkSpecText } from '../src/check.js';
import { envSegment, functionEnvironment, resourceEnvName } from '../src/environment.js';
import { ORDERS, ORDERS_FILE } from '@kiro-serverless/fixtures';

const model = checkSpecText(ORDERS, ORDERS_FILE).model!;

describe('function environment', () => {
  it('names resource variables after their kind and ID', () => {
    expect(envSegment('orderStreamFailures')).toBe('ORDER_STREAM_FAILURES');
    expect(resourceEnvName('table', 'orders')).toBe('TABLE_ORDERS');
    expect(resourceEnvName('bucket', 'catalog')).toBe('BUCKET_CATALOG');
    expect(resourceEnvName('topic', 'orderEvents')).toBe('TOPIC_ORDER_EVENTS_ARN');
    expect(resourceEnvName('queue', 'fulfilment')).toBe('QUEUE_FULFILMENT_URL');
  });

  it('gives a function the resources of its permissions, its idempotency table, Powertools settings and its own variables', () => {
    expect(functionEnvironment(model, model.functions.createOrder!).map((v) => [v.name, v.value])).toEqual([
      ['POWERTOOLS_SERVICE_NAME', 'orders'],
      ['POWERTOOLS_METRICS_NAMESPACE', 'orders'],
      ['IDEMPOTENCY_TABLE', undefined],
      ['BUCKET_CATALOG', undefined],
      ['TABLE_ORDERS', undefined],
      ['LOG_LEVEL', 'INFO'],
    ]);
    expect(functionEnvironment(model, model.functions.publishOrderEvents!).map((v) => v.name)).toEqual([
      'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'IDEMPOTENCY_TABLE', 'TABLE_ORDERS', 'TOPIC_ORDER_EVENTS_ARN',
    ]);
  });

  it('leaves out the idempotency table when idempotency is disabled', () => {
    const disabled = { ...model.functions.notifyCustomer!, idempotency: { disabled: 'notifications may repeat' } };
    expect(functionEnvironment(model, disabled).map((v) => v.name)).not.toContain('IDEMPOTENCY_TABLE');
  });
});
