import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ACCOUNT_ID, lambdaContext } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('lambdaContext', () => {
  it('counts remaining time down from the timeout and stops at zero', () => {
    vi.useFakeTimers();
    const context = lambdaContext({ timeoutMs: 1000 });

    expect(context.getRemainingTimeInMillis()).toBe(1000);
    vi.advanceTimersByTime(400);
    expect(context.getRemainingTimeInMillis()).toBe(600);
    vi.advanceTimersByTime(5000);
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('describes the function, with a request ID unique per call and the callback methods present', () => {
    const context = lambdaContext({ functionName: 'orders-api', memoryMb: 512, region: 'us-east-1' });

    expect(context).toMatchObject({
      functionName: 'orders-api',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${DEFAULT_ACCOUNT_ID}:function:orders-api`,
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/orders-api',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.awsRequestId).not.toBe(lambdaContext().awsRequestId);
    expect(lambdaContext().getRemainingTimeInMillis()).toBeLessThanOrEqual(3000);
    expect(() => {
      context.done();
      context.fail('x');
      context.succeed('ok');
    }).not.toThrow();
  });
});
