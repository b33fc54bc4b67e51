/** The function host's logs, provisioned concurrency, reload and stop. */
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFunctionBuilder } from '../../src/host/index.js';
import { HostFixture, PROBE_HANDLER, okResponse } from './helpers.js';

const run = promisify(execFile);
const HOST_MODULE = fileURLToPath(new URL('../../src/host/index.ts', import.meta.url));
/** Where a child Node runs: this package's folder, from which `--import tsx` resolves. */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

const versioned = (version: string): string => `
let served = 0;
export const handler = async (event: { ms?: number }) => {
  served += 1;
  if (event.ms) await new Promise((resolve) => setTimeout(resolve, event.ms));
  return { version: '${version}', served };
};
`;

describe('function host control', () => {
  let fx: HostFixture;
  beforeEach(() => {
    fx = new HostFixture();
  });
  afterEach(async () => fx.dispose());

  it('turns stdout and stderr lines into log events with the request ID, before the invoke event', async () => {
    // Arrange
    await fx.buildAll({ probe: fx.write('probe.ts', PROBE_HANDLER) });
    const host = fx.host([{ id: 'probe' }]);
    // Act
    const outcome = await host.invoke('probe', { action: 'log' }, { mode: 'sync', requestId: 'req-log' });
    // Assert
    const logs = fx.events.filter((e) => e.type === 'log' && e.requestId === 'req-log');
    expect(logs.map((e) => e.type === 'log' && [e.stream, e.text])).toEqual([
      ['stdout', 'first line'], ['stdout', 'partial line'], ['stderr', 'second'], ['stderr', 'third'],
    ]);
    const invokeAt = fx.events.findIndex((e) => e.type === 'invoke');
    expect(fx.events.lastIndexOf(logs.at(-1)!)).toBeLessThan(invokeAt);
    expect(logs.every((e) => e.type === 'log' && e.environmentId === (outcome.status === 'ok' ? outcome.environmentId : ''))).toBe(true);
    expect(fx.eventsOf('log').find((e) => e.text === 'probe INIT')).toMatchObject({ stream: 'stdout', fn: 'probe' });
    expect(fx.eventsOf('log').find((e) => e.text === 'probe INIT')?.requestId).toBeUndefined();
  });

  it('pre-INITs provisioned concurrency at start() and serves from those environments', async () => {
    // Arrange
    await fx.buildAll({ probe: fx.write('probe.ts', PROBE_HANDLER) });
    const host = fx.host([{ id: 'probe', provisionedConcurrency: 2, reservedConcurrency: 4 }]);
    // Act
    await host.start();
    const started = { inits: fx.inits(), stats: host.stats().probe };
    const [a, b] = (await Promise.all([
      host.invoke('probe', { action: 'sleep', ms: 200 }, { mode: 'sync' }),
      host.invoke('probe', { action: 'sleep', ms: 200 }, { mode: 'sync' }),
    ])).map((o) => okResponse(o));
    // Assert
    expect(started.inits).toBe(2);
    expect(started.stats).toMatchObject({ environments: 2, busy: 0, inits: 2 });
    expect(fx.eventsOf('init').map((e) => e.provisioned)).toEqual([true, true]);
    expect(fx.inits()).toBe(2);
    expect(new Set([a!.environmentId, b!.environmentId]).size).toBe(2);
    expect([a!.env.AWS_LAMBDA_INITIALIZATION_TYPE, b!.env.AWS_LAMBDA_INITIALIZATION_TYPE]).toEqual(['provisioned-concurrency', 'provisioned-concurrency']);
  });

  it('gives new code to the next invocation after reload(), ending the idle environment', async () => {
    // Arrange
    const source = fx.write('versioned.ts', versioned('v1'));
    const builder = await createFunctionBuilder({ projectRoot: fx.root, outDir: path.join(fx.root, 'build'), functions: [{ id: 'fn', entry: source }] });
    try {
      fx.build = await builder.build();
      const host = fx.host([{ id: 'fn' }]);
      const before = okResponse<{ version: string }>(await host.invoke('fn', {}, { mode: 'sync' }));
      // Act
      writeFileSync(source, versioned('v2'));
      const rebuilt = await builder.build();
      await host.reload(rebuilt.bundles);
      const after = okResponse<{ version: string; served: number }>(await host.invoke('fn', {}, { mode: 'sync' }));
      // Assert
      expect(before.version).toBe('v1');
      expect(after).toMatchObject({ version: 'v2', served: 1 });
      expect(after.environmentId).not.toBe(before.environmentId);
      expect(fx.eventsOf('environment-ended')).toMatchObject([{ environmentId: before.environmentId, reason: 'reload' }]);
    } finally {
      await builder.dispose();
    }
  });

  it('lets a busy environment finish its invocation on the old code, then ends it', async () => {
    const source = fx.write('versioned.ts', versioned('v1'));
    const builder = await createFunctionBuilder({ projectRoot: fx.root, outDir: path.join(fx.root, 'build'), functions: [{ id: 'fn', entry: source }] });
    try {
      fx.build = await builder.build();
      const host = fx.host([{ id: 'fn' }]);
      await host.invoke('fn', {}, { mode: 'sync' });
      const running = host.invoke('fn', { ms: 400 }, { mode: 'sync' });
      writeFileSync(source, versioned('v2'));
      await host.reload((await builder.build()).bundles);
      const ended = fx.eventsOf('environment-ended').length;
      const old = okResponse<{ version: string }>(await running);
      const fresh = okResponse<{ version: string }>(await host.invoke('fn', {}, { mode: 'sync' }));
      expect(ended).toBe(0);
      expect(old.version).toBe('v1');
      expect(fresh.version).toBe('v2');
      expect(fx.eventsOf('environment-ended')).toMatchObject([{ environmentId: old.environmentId, reason: 'reload' }]);
    } finally {
      await builder.dispose();
    }
  });

  it('does not keep the process alive when its environments are idle', async () => {
    // Arrange: a script that builds, invokes once, and never calls stop()
    const script = fx.write('idle.mts', `
      import { buildFunctions, createFunctionHost } from ${JSON.stringify(HOST_MODULE)};
      const build = await buildFunctions({ projectRoot: ${JSON.stringify(fx.root)}, outDir: ${JSON.stringify(path.join(fx.root, 'build'))}, functions: [{ id: 'probe', entry: 'probe.ts' }] });
      const host = createFunctionHost({ workerPath: build.workerPath, tmpRoot: ${JSON.stringify(fx.tmpRoot)}, functions: [{
        id: 'probe', functionName: 'probe', bundlePath: build.bundles.probe, timeoutSeconds: 30, memoryMb: 128, env: { COUNT_DIR: ${JSON.stringify(fx.countDir)} },
      }] });
      console.log((await host.invoke('probe', {}, { mode: 'sync' })).status);
    `);
    fx.write('probe.ts', PROBE_HANDLER);
    // Act: exits by itself, or is killed (and fails) after a generous minute
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { cwd: PACKAGE_DIR, timeout: 60_000 });
    // Assert
    expect(stdout.trim()).toBe('ok');
    expect(fx.inits()).toBe(1);
  }, 90_000);

  it('stops every environment, fails the invocations running or waiting, and leaves no /tmp behind', async () => {
    // Arrange
    await fx.buildAll({ probe: fx.write('probe.ts', PROBE_HANDLER) });
    const host = fx.host([{ id: 'probe' }], { maxEnvironmentsPerFunction: 2 });
    await Promise.all([host.invoke('probe', {}, { mode: 'sync' }), host.invoke('probe', {}, { mode: 'sync' })]);
    const running = host.invoke('probe', { action: 'hang' }, { mode: 'sync' });
    const waiting = [host.invoke('probe', { action: 'hang' }, { mode: 'poll' }), host.invoke('probe', {}, { mode: 'poll' })];
    await vi.waitFor(() => expect(fx.events.filter((e) => e.type === 'log' && e.text === 'hanging')).toHaveLength(2), { timeout: 10_000 });
    // Act
    await host.stop();
    // Assert
    const outcomes = await Promise.all([running, ...waiting]);
    expect(outcomes.map((o) => o.status === 'error' && [o.kind, o.error.errorType])).toEqual([
      ['crash', 'Local.HostStopped'], ['crash', 'Local.HostStopped'], ['crash', 'Local.HostStopped'],
    ]);
    expect(host.stats().probe).toMatchObject({ environments: 0, busy: 0, waiting: 0 });
    expect(fx.eventsOf('environment-ended').map((e) => e.reason)).toEqual(['shutdown', 'shutdown']);
    expect(readdirSync(fx.tmpRoot)).toEqual([]);
  });
});
