/** The function host's lifecycle: INIT once per environment, warm reuse, concurrency, throttling, /tmp, env and Context. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FunctionHostOptionsError, UnknownFunctionError, createFunctionHost } from '../../src/host/index.js';
import { HostFixture, PROBE_HANDLER, okResponse } from './helpers.js';

describe('function host lifecycle', () => {
  let fx: HostFixture;
  beforeEach(async () => {
    fx = new HostFixture();
    await fx.buildAll({ probe: fx.write('probe.ts', PROBE_HANDLER) });
  });
  afterEach(async () => fx.dispose());

  it('runs INIT once per environment and reuses the warm environment', async () => {
    // Arrange
    const host = fx.host([{ id: 'probe' }]);
    // Act
    const first = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    const second = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    // Assert
    expect(fx.inits()).toBe(1);
    expect(second.environmentId).toBe(first.environmentId);
    expect(second.environmentMark).toBe(first.environmentMark);
    expect([first.calls, second.calls]).toEqual([1, 2]);
    expect(fx.eventsOf('init')).toHaveLength(1);
    expect(host.stats().probe).toMatchObject({ environments: 1, busy: 0, inits: 1, invocations: 2, errors: 0 });
  });

  it('gives two concurrent invocations two environments, each with its own /tmp kept across warm invocations', async () => {
    const host = fx.host([{ id: 'probe' }]);
    const [a, b] = (await Promise.all([
      host.invoke('probe', { action: 'sleep', ms: 300 }, { mode: 'sync' }),
      host.invoke('probe', { action: 'sleep', ms: 300 }, { mode: 'sync' }),
    ])).map((o) => okResponse(o));
    expect(a!.environmentId).not.toBe(b!.environmentId);
    expect(a!.tmp).not.toBe(b!.tmp);
    expect(a!.marker).not.toBe(b!.marker);
    expect(path.dirname(a!.tmp)).toBe(fx.tmpRoot);
    expect(fx.inits()).toBe(2);

    const again = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    const earlier = again.environmentId === a!.environmentId ? a! : b!;
    expect(again.tmp).toBe(earlier.tmp);
    expect(again.marker).toBe(earlier.marker);
    expect(fx.inits()).toBe(2);
  });

  it('reuses the most recently used idle environment', async () => {
    const host = fx.host([{ id: 'probe' }]);
    const [a, b] = (await Promise.all([
      host.invoke('probe', { action: 'sleep', ms: 100 }, { mode: 'sync' }),
      host.invoke('probe', { action: 'sleep', ms: 100 }, { mode: 'sync' }),
    ])).map((o) => okResponse(o));
    const touched = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    const next = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    expect([a!.environmentId, b!.environmentId]).toContain(touched.environmentId);
    expect(next.environmentId).toBe(touched.environmentId);
  });

  it('throttles a sync invocation at reserved concurrency, and runs an event invocation once the environment is free', async () => {
    // Arrange
    const host = fx.host([{ id: 'probe', reservedConcurrency: 1 }]);
    // Act
    const running = host.invoke('probe', { action: 'sleep', ms: 500 }, { mode: 'sync' });
    const throttled = await host.invoke('probe', {}, { mode: 'sync', requestId: 'r-throttled' });
    const queued = host.invoke('probe', {}, { mode: 'event' });
    const polled = host.invoke('probe', {}, { mode: 'poll' });
    const waiting = host.stats().probe?.waiting;
    const [first, second, third] = [okResponse(await running), okResponse(await queued), okResponse(await polled)];
    // Assert
    expect(throttled).toEqual({ status: 'throttled', requestId: 'r-throttled' });
    expect(waiting).toBe(2);
    expect(second.environmentId).toBe(first.environmentId);
    expect(third.environmentId).toBe(first.environmentId);
    expect(host.stats().probe).toMatchObject({ environments: 1, throttles: 1, invocations: 3 });
    expect(fx.eventsOf('invoke').map((e) => [e.mode, e.outcome.status])).toContainEqual(['sync', 'throttled']);
  });

  it('queues beyond the local cap in arrival order instead of throttling', async () => {
    const host = fx.host([{ id: 'probe' }], { maxEnvironmentsPerFunction: 1 });
    const order: string[] = [];
    const calls = ['a', 'b', 'c'].map((requestId) =>
      host.invoke('probe', { action: 'sleep', ms: 50 }, { mode: 'sync', requestId }).then((o) => {
        order.push(o.requestId);
        return o;
      }));
    expect(host.stats().probe?.waiting).toBe(2);
    const outcomes = await Promise.all(calls);
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok']);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(fx.inits()).toBe(1);
  });

  it('throttles every invocation when reserved concurrency is 0', async () => {
    const host = fx.host([{ id: 'probe', reservedConcurrency: 0 }]);
    expect((await host.invoke('probe', {}, { mode: 'event' })).status).toBe('throttled');
    expect(fx.inits()).toBe(0);
  });

  it('gives the worker exactly the function environment plus TMPDIR and AWS_LAMBDA_INITIALIZATION_TYPE', async () => {
    const host = fx.host([{ id: 'probe', env: { COUNT_DIR: fx.countDir, AWS_REGION: 'us-east-2', TABLE_NAME: 'orders' } }]);
    const response = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    expect(response.env).toEqual({
      COUNT_DIR: fx.countDir, AWS_REGION: 'us-east-2', TABLE_NAME: 'orders',
      TMPDIR: response.tmp, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
    expect(response.env.PATH).toBeUndefined();
  });

  it('hands the handler a Lambda Context for the live alias', async () => {
    const host = fx.host([{ id: 'probe', functionName: 'shop-orders', memoryMb: 512, timeoutSeconds: 20, env: { COUNT_DIR: fx.countDir, AWS_REGION: 'us-east-2' } }]);
    const first = okResponse(await host.invoke('probe', {}, { mode: 'sync', requestId: 'req-1' }));
    const second = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    expect(first.context).toMatchObject({
      awsRequestId: 'req-1', functionName: 'shop-orders', memoryLimitInMB: '512',
      invokedFunctionArn: 'arn:aws:lambda:us-east-2:123456789012:function:shop-orders:live',
    });
    expect(first.context.remaining).toBeGreaterThan(0);
    expect(first.context.remaining).toBeLessThanOrEqual(20_000);
    expect(second.context.awsRequestId).not.toBe('req-1');
    expect(second.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.context.logStreamName).toBe(first.context.logStreamName);
  });

  it('removes every environment /tmp on stop and refuses later invocations', async () => {
    const host = fx.host([{ id: 'probe' }]);
    const response = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    expect(existsSync(response.tmp)).toBe(true);
    await host.stop();
    expect(existsSync(response.tmp)).toBe(false);
    await expect(host.invoke('probe', {}, { mode: 'sync' })).rejects.toThrow(/function host is stopped/);
  });

  it('refuses invalid options, listing every issue', () => {
    const fn = { id: 'a', functionName: 'a', bundlePath: '/b/a.mjs', env: {}, timeoutSeconds: 3, memoryMb: 128 };
    const attempt = () => createFunctionHost({
      workerPath: 'worker.mjs', tmpRoot: fx.tmpRoot, maxEnvironmentsPerFunction: 0,
      functions: [fn, fn, { ...fn, id: 'b', timeoutSeconds: 0, reservedConcurrency: 1, provisionedConcurrency: 2 }],
    });
    expect(attempt).toThrow(FunctionHostOptionsError);
    expect(() => attempt()).toThrow(expect.objectContaining({
      issues: [
        'maxEnvironmentsPerFunction must be an integer >= 1, got 0',
        'workerPath must be absolute (FunctionBuild.workerPath), got "worker.mjs"',
        'function "a" is listed twice; function IDs must be unique',
        'function "b": timeoutSeconds must be > 0, got 0',
        'function "b": provisionedConcurrency (2) exceeds reservedConcurrency (1); lower it or raise the reserve',
      ],
    }));
  });

  it('rejects an invocation of a function it was not given, naming the ones it knows', async () => {
    const host = fx.host([{ id: 'probe' }]);
    await expect(host.invoke('prob', {}, { mode: 'sync' })).rejects.toThrow(UnknownFunctionError);
    await expect(host.invoke('prob', {}, { mode: 'sync' })).rejects.toThrow('No function "prob" in this host; it knows "probe".');
  });
});
