import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Observability = typeof import('../src/observability.js');

/** Imports a fresh copy of the module, as a new execution environment would (INIT). */
async function init(env: Record<string, string | undefined> = {}): Promise<Observability> {
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'orders');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Shop');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'orders-fulfil');
  for (const name of ['POWERTOOLS_DEV', 'POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL', 'POWERTOOLS_LOGGER_LOG_EVENT', 'POWERTOOLS_LOGGER_SAMPLE_RATE']) {
    vi.stubEnv(name, undefined);
  }
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('../src/observability.js');
}

function contextFor(requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'orders-fulfil',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-fulfil',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/orders-fulfil',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

describe('observability', () => {
  let lines: Record<string, unknown>[];

  beforeEach(() => {
    lines = [];
    const capture = (chunk: unknown): boolean => {
      for (const line of String(chunk).split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const logs = (): Record<string, unknown>[] => lines.filter((line) => !('_aws' in line));
  const emf = (): Record<string, unknown>[] => lines.filter((line) => '_aws' in line);

  it('creates one logger and one metrics instance per module instance', async () => {
    const first = await init();
    const again = await import('../src/observability.js');
    expect(again.logger).toBe(first.logger);
    expect(again.metrics).toBe(first.metrics);
  });

  it('logs JSON with the service name and the Lambda context; cold_start is true on the first invocation only', async () => {
    const { logger, withObservability } = await init();
    const handler = withObservability(async (event: { id: string }) => {
      logger.info('fulfilling', { orderId: event.id });
      return event.id;
    });

    expect(await handler({ id: 'o-1' }, contextFor('req-1'))).toBe('o-1');
    expect(await handler({ id: 'o-2' }, contextFor('req-2'))).toBe('o-2');

    expect(logs()).toMatchObject([
      { level: 'INFO', message: 'fulfilling', service: 'orders', orderId: 'o-1', cold_start: true, function_request_id: 'req-1', function_name: 'orders-fulfil' },
      { level: 'INFO', message: 'fulfilling', service: 'orders', orderId: 'o-2', cold_start: false, function_request_id: 'req-2' },
    ]);
  });

  it('reports cold_start false without AWS_LAMBDA_INITIALIZATION_TYPE=on-demand (Lambda sets it; a local runner must too)', async () => {
    const { logger, withObservability } = await init({ AWS_LAMBDA_INITIALIZATION_TYPE: undefined });
    await withObservability(() => logger.info('x'))({}, contextFor('req-1'));
    expect(logs()).toMatchObject([{ cold_start: false }]);
  });

  it('publishes the stored metrics when the invocation ends, in EMF with the namespace and service', async () => {
    const { metrics, withObservability } = await init();
    let publishedDuringHandler = -1;
    const handler = withObservability(async () => {
      metrics.addMetric('ordersFulfilled', MetricUnit.Count, 2);
      await Promise.resolve();
      publishedDuringHandler = emf().length;
    });

    await handler({}, contextFor('req-1'));

    expect(publishedDuringHandler).toBe(0);
    expect(emf()).toHaveLength(1);
    expect(emf()[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Shop', Dimensions: [['service']], Metrics: [{ Name: 'ordersFulfilled', Unit: 'Count' }] }] },
      service: 'orders',
      ordersFulfilled: 2,
    });
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('publishes metrics and rethrows when the handler throws', async () => {
    const { metrics, withObservability } = await init();
    const failure = new Error('payment declined');
    const handler = withObservability(() => {
      metrics.addMetric('paymentsDeclined', MetricUnit.Count, 1);
      throw failure;
    });

    await expect(handler({}, contextFor('req-1'))).rejects.toBe(failure);
    expect(emf()).toHaveLength(1);
    expect(emf()[0]).toMatchObject({ paymentsDeclined: 1 });
  });

  it('awaits the handler before publishing: metrics added after an await are included', async () => {
    const { metrics, withObservability } = await init();
    const handler = withObservability(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      metrics.addMetric('late', MetricUnit.Count, 1);
      return 'done';
    });
    await expect(handler({}, contextFor('req-1'))).resolves.toBe('done');
    expect(emf()).toMatchObject([{ late: 1 }]);
  });

  it('publishes nothing and warns about nothing when an invocation has no metrics, and drops its dimensions', async () => {
    const { metrics, withObservability } = await init();
    const handler = withObservability((event: { withMetric: boolean }) => {
      metrics.addDimension('channel', 'web');
      if (event.withMetric) metrics.addMetric('orders', MetricUnit.Count, 1);
    });

    await handler({ withMetric: false }, contextFor('req-1'));
    expect(lines).toEqual([]);

    await handler({ withMetric: true }, contextFor('req-2'));
    metrics.addMetric('outside', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const [inside, outside] = emf();
    expect(inside).toMatchObject({ channel: 'web', orders: 1 });
    expect(outside).not.toHaveProperty('channel');
  });

  it('throws on empty metrics when asked to', async () => {
    const { withObservability } = await init();
    const handler = withObservability(() => 'ok', { throwOnEmptyMetrics: true });
    await expect(handler({}, contextFor('req-1'))).rejects.toThrow(/metrics/i);
  });

  it('emits a ColdStart metric on the first invocation only when asked to', async () => {
    const { withObservability } = await init();
    const handler = withObservability(() => undefined, { captureColdStartMetric: true });
    await handler({}, contextFor('req-1'));
    await handler({}, contextFor('req-2'));
    expect(emf()).toHaveLength(1);
    expect(emf()[0]).toMatchObject({ ColdStart: 1, function_name: 'orders-fulfil', service: 'orders' });
  });

  it('logs the event when asked to, and resets temporary keys after each invocation', async () => {
    const { logger, withObservability } = await init();
    logger.appendPersistentKeys({ team: 'shop' });
    const handler = withObservability(
      (event: { id: string }) => {
        if (event.id === 'o-1') logger.appendKeys({ orderId: event.id });
        logger.info('handled');
      },
      { logEvent: true },
    );

    await handler({ id: 'o-1' }, contextFor('req-1'));
    await handler({ id: 'o-2' }, contextFor('req-2'));

    expect(logs()).toMatchObject([
      { message: 'Lambda invocation event', event: { id: 'o-1' } },
      { message: 'handled', orderId: 'o-1', team: 'shop' },
      { message: 'Lambda invocation event', event: { id: 'o-2' } },
      { message: 'handled', team: 'shop' },
    ]);
    expect(logs()[3]).not.toHaveProperty('orderId');
  });

  it('falls back to the function name, then to a fixed name, for the service and the namespace', async () => {
    let module = await init({ POWERTOOLS_SERVICE_NAME: undefined, POWERTOOLS_METRICS_NAMESPACE: undefined });
    module.logger.info('x');
    module.metrics.addMetric('m', MetricUnit.Count, 1);
    module.metrics.publishStoredMetrics();
    expect(logs()[0]).toMatchObject({ service: 'orders-fulfil' });
    expect(emf()[0]).toMatchObject({ service: 'orders-fulfil', _aws: { CloudWatchMetrics: [{ Namespace: 'orders-fulfil' }] } });

    lines.length = 0;
    module = await init({ POWERTOOLS_SERVICE_NAME: ' ', AWS_LAMBDA_FUNCTION_NAME: undefined });
    module.logger.info('x');
    expect(logs()[0]).toMatchObject({ service: 'unknown-service' });
  });
});
