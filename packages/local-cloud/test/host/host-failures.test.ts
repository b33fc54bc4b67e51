/** How the function host reports failures: thrown errors, timeouts, INIT errors, unhandled rejections, running out of memory. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostFixture, PROBE_HANDLER, okResponse } from './helpers.js';

/** Fails INIT the first time (the first line of $COUNT_DIR/inits), succeeds after. */
const FLAKY_INIT = `
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const file = join(process.env.COUNT_DIR!, 'inits');
appendFileSync(file, 'x\\n');
class ConfigError extends Error { override name = 'ConfigError'; }
if (readFileSync(file, 'utf8').split('\\n').filter(Boolean).length === 1) throw new ConfigError('TABLE_NAME is not set');
export const handler = async () => 'initialised';
`;

describe('function host failures', () => {
  let fx: HostFixture;
  beforeEach(async () => {
    fx = new HostFixture();
    await fx.buildAll({
      probe: fx.write('probe.ts', PROBE_HANDLER),
      flaky: fx.write('flaky.ts', FLAKY_INIT),
      noHandler: fx.write('no-handler.ts', 'export const main = async () => 1;\n'),
    });
  });
  afterEach(async () => fx.dispose());

  it('reports a thrown error as a function error with its name and a stack in the .ts source, and keeps the environment warm', async () => {
    // Arrange
    const host = fx.host([{ id: 'probe' }]);
    // Act
    const failed = await host.invoke('probe', { action: 'throw' }, { mode: 'sync' });
    const after = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    // Assert
    expect(failed).toMatchObject({
      status: 'error', kind: 'function',
      error: { errorType: 'ValidationError', errorMessage: 'quantity must be positive' },
    });
    if (failed.status !== 'error') throw new Error('unreachable');
    expect(failed.error.stackTrace?.join('\n')).toMatch(/probe\.ts:\d+:\d+/);
    expect(after.environmentId).toBe(failed.environmentId);
    expect(after.calls).toBe(2);
    expect(fx.inits()).toBe(1);
    expect(fx.eventsOf('environment-ended')).toEqual([]);
    expect(host.stats().probe).toMatchObject({ invocations: 2, errors: 1 });
  });

  it('times out after timeoutSeconds, ends the environment and INITs a new one for the next invocation', async () => {
    const host = fx.host([{ id: 'probe', timeoutSeconds: 1 }]);
    const timedOut = await host.invoke('probe', { action: 'hang' }, { mode: 'sync' });
    const next = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    expect(timedOut).toMatchObject({
      status: 'error', kind: 'timeout',
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' },
    });
    expect(next.environmentId).not.toBe(timedOut.status === 'error' ? timedOut.environmentId : '');
    expect(fx.inits()).toBe(2);
    expect(fx.eventsOf('environment-ended')).toMatchObject([{ reason: 'timeout', environmentId: timedOut.status === 'error' ? timedOut.environmentId : '' }]);
  });

  it('fails the invocation with kind init when INIT throws, discards the environment, and INITs again on the next call', async () => {
    const host = fx.host([{ id: 'flaky' }]);
    const failed = await host.invoke('flaky', {}, { mode: 'sync' });
    const retried = await host.invoke('flaky', {}, { mode: 'sync' });
    expect(failed).toMatchObject({ status: 'error', kind: 'init', error: { errorType: 'ConfigError', errorMessage: 'TABLE_NAME is not set' } });
    expect(retried).toMatchObject({ status: 'ok', response: 'initialised' });
    expect(fx.inits()).toBe(2);
    expect(fx.eventsOf('init').map((e) => e.error?.errorType)).toEqual(['ConfigError', undefined]);
    expect(fx.eventsOf('environment-ended').map((e) => e.reason)).toEqual(['init-failed']);
    expect(host.stats().flaky).toMatchObject({ environments: 1, inits: 2, errors: 1 });
  });

  it.each([
    ['a module without the handler export', 'noHandler', undefined, 'Runtime.HandlerNotFound'],
    ['a bundle that does not exist', 'probe', '/nowhere/probe.mjs', 'Runtime.ImportModuleError'],
  ])('reports %s as an INIT error', async (_what, id, bundlePath, errorType) => {
    const host = fx.host([{ id, ...(bundlePath ? { bundlePath } : {}) }]);
    expect(await host.invoke(id, {}, { mode: 'sync' })).toMatchObject({ status: 'error', kind: 'init', error: { errorType } });
  });

  it('ends the environment on an unhandled rejection and fails the invocation running', async () => {
    const host = fx.host([{ id: 'probe' }]);
    const crashed = await host.invoke('probe', { action: 'reject' }, { mode: 'event' });
    const next = okResponse(await host.invoke('probe', {}, { mode: 'sync' }));
    expect(crashed).toMatchObject({
      status: 'error', kind: 'crash',
      error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'TypeError: nobody awaited me' },
    });
    expect(next.environmentId).not.toBe(crashed.status === 'error' ? crashed.environmentId : '');
    expect(fx.eventsOf('environment-ended').map((e) => e.reason)).toEqual(['crash']);
  });

  it.each([
    ['an uncaught exception', 'uncaught', 'Runtime.ExitError', 'RangeError: thrown from a timer'],
    ['process.exit()', 'exit', 'Runtime.ExitError', 'Runtime exited with error: exit status 3'],
  ])('ends the environment on %s and fails the invocation running', async (_what, action, errorType, errorMessage) => {
    const host = fx.host([{ id: 'probe' }]);
    const crashed = await host.invoke('probe', { action }, { mode: 'sync' });
    expect(crashed).toMatchObject({ status: 'error', kind: 'crash', error: { errorType, errorMessage } });
    expect(fx.eventsOf('environment-ended').map((e) => e.reason)).toEqual(['crash']);
    expect(okResponse(await host.invoke('probe', {}, { mode: 'sync' })).calls).toBe(1);
  });

  it('ends the environment with Runtime.OutOfMemory when the handler exceeds its memory', async () => {
    const host = fx.host([{ id: 'probe', memoryMb: 64 }]);
    const crashed = await host.invoke('probe', { action: 'oom' }, { mode: 'sync' });
    expect(crashed).toMatchObject({ status: 'error', kind: 'crash', error: { errorType: 'Runtime.OutOfMemory' } });
    expect(okResponse(await host.invoke('probe', {}, { mode: 'sync' })).calls).toBe(1);
  });
});
