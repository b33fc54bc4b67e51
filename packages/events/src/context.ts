/** The Lambda `Context` of one invocation. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type AwsOptions, accountOf, hex, pad, regionOf } from './common.js';

/** Options of {@link lambdaContext}. */
export interface LambdaContextOptions extends AwsOptions {
  /** Function name; defaults to `test-function`. */
  functionName?: string;
  /** Function timeout in milliseconds; defaults to 3000, Lambda's default. */
  timeoutMs?: number;
  /** Memory size in MB; defaults to 128, Lambda's default. */
  memoryMb?: number;
  /** Function version; defaults to `$LATEST`. */
  functionVersion?: string;
}

/**
 * A Lambda `Context` for one invocation. `getRemainingTimeInMillis()` counts down from `timeoutMs` starting when the
 * context is made, by `Date.now()` (so `vi.advanceTimersByTime` moves it under fake timers), and stops at 0.
 * `awsRequestId` is unique per call. The deprecated `done` / `fail` / `succeed` are present and do nothing.
 *
 * @example
 * const context = lambdaContext({ functionName: 'orders-api', timeoutMs: 10_000 });
 * vi.useFakeTimers();
 * const ctx = lambdaContext({ timeoutMs: 1000 });
 * vi.advanceTimersByTime(400);
 * ctx.getRemainingTimeInMillis(); // 600
 */
export function lambdaContext(options: LambdaContextOptions = {}): Context {
  const functionName = options.functionName ?? 'test-function';
  const functionVersion = options.functionVersion ?? '$LATEST';
  const start = new Date();
  const deadline = start.getTime() + (options.timeoutMs ?? 3000);
  const day = `${start.getUTCFullYear()}/${pad(start.getUTCMonth() + 1)}/${pad(start.getUTCDate())}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn: `arn:aws:lambda:${regionOf(options)}:${accountOf(options)}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 128),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[${functionVersion}]${hex(16)}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
