/**
 * Shared set-up of the function host tests: handler modules written into a temp dir, bundled with
 * build.ts, and hosts whose trace events are collected and that are stopped after each test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions, createFunctionHost, type FunctionBuild, type FunctionHost, type HostedFunction } from '../../src/host/index.js';
import type { InvokeOutcome, TraceEvent } from '../../src/types.js';

/** A handler module with an action per test; module scope appends a line to `$COUNT_DIR/inits` (one per INIT). */
export const PROBE_HANDLER = `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

appendFileSync(join(process.env.COUNT_DIR!, 'inits'), 'x\\n');
console.log('probe INIT');
const environmentMark = randomUUID();
let calls = 0;

class ValidationError extends Error {
  override name = 'ValidationError';
}

interface ProbeEvent { action?: 'sleep' | 'hang' | 'throw' | 'reject' | 'uncaught' | 'exit' | 'log' | 'oom'; ms?: number }

export const handler = async (event: ProbeEvent, context: { awsRequestId: string; invokedFunctionArn: string; functionName: string; memoryLimitInMB: string; logStreamName: string; getRemainingTimeInMillis(): number }) => {
  calls += 1;
  switch (event.action) {
    case 'sleep': await new Promise((resolve) => setTimeout(resolve, event.ms ?? 200)); break;
    case 'hang': console.log('hanging'); await new Promise(() => undefined); break;
    case 'throw': throw new ValidationError('quantity must be positive');
    case 'reject': void Promise.reject(new TypeError('nobody awaited me')); await new Promise((resolve) => setTimeout(resolve, 5000)); break;
    case 'uncaught': setTimeout(() => { throw new RangeError('thrown from a timer'); }, 0); await new Promise((resolve) => setTimeout(resolve, 5000)); break;
    case 'exit': process.exit(3);
    case 'log': console.log('first line'); process.stdout.write('partial '); process.stdout.write('line\\n'); console.error('second\\nthird'); break;
    case 'oom': { const hoard: number[][] = []; for (;;) hoard.push(new Array(1e6).fill(calls)); }
  }
  const marker = join(process.env.TMPDIR!, 'marker');
  if (!existsSync(marker)) writeFileSync(marker, randomUUID());
  return {
    environmentMark,
    calls,
    tmp: process.env.TMPDIR,
    marker: readFileSync(marker, 'utf8'),
    env: { ...process.env },
    context: {
      awsRequestId: context.awsRequestId, invokedFunctionArn: context.invokedFunctionArn, functionName: context.functionName,
      memoryLimitInMB: context.memoryLimitInMB, logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
    },
  };
};
`;

/** What PROBE_HANDLER returns. */
export interface ProbeResponse {
  environmentMark: string;
  calls: number;
  tmp: string;
  marker: string;
  env: Record<string, string>;
  context: { awsRequestId: string; invokedFunctionArn: string; functionName: string; memoryLimitInMB: string; logStreamName: string; remaining: number };
}

/** A temp project: write sources, build them, make hosts; `dispose()` stops the hosts and removes the dir. */
export class HostFixture {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'host-test-'));
  readonly countDir = path.join(this.root, 'count');
  readonly tmpRoot = path.join(this.root, 'envs');
  readonly events: TraceEvent[] = [];
  private readonly hosts: FunctionHost[] = [];
  build: FunctionBuild | undefined;

  constructor() {
    mkdirSync(this.countDir);
  }

  write(file: string, source: string): string {
    const target = path.join(this.root, file);
    writeFileSync(target, source);
    return target;
  }

  async buildAll(entries: Record<string, string>): Promise<FunctionBuild> {
    this.build = await buildFunctions({
      projectRoot: this.root,
      outDir: path.join(this.root, 'build'),
      functions: Object.entries(entries).map(([id, entry]) => ({ id, entry })),
    });
    return this.build;
  }

  /** INITs recorded by PROBE_HANDLER modules so far. */
  inits(): number {
    const file = path.join(this.countDir, 'inits');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  }

  host(functions: readonly (Partial<HostedFunction> & { id: string })[], options: { maxEnvironmentsPerFunction?: number } = {}): FunctionHost {
    const build = this.build;
    if (!build) throw new Error('buildAll() first');
    const host = createFunctionHost({
      workerPath: build.workerPath,
      tmpRoot: this.tmpRoot,
      trace: (event) => this.events.push(event),
      ...options,
      functions: functions.map((fn) => ({
        functionName: `svc-${fn.id}`,
        bundlePath: build.bundles[fn.id] ?? '/missing.mjs',
        env: { COUNT_DIR: this.countDir, AWS_REGION: 'eu-west-1' },
        timeoutSeconds: 30,
        memoryMb: 256,
        ...fn,
      })),
    });
    this.hosts.push(host);
    return host;
  }

  eventsOf<T extends TraceEvent['type']>(type: T): Extract<TraceEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.hosts.splice(0).map((h) => h.stop()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The response of an ok outcome (fails the test otherwise, showing the outcome). */
export function okResponse<T = ProbeResponse>(outcome: InvokeOutcome): T & { environmentId: string } {
  if (outcome.status !== 'ok') throw new Error(`expected an ok outcome, got ${JSON.stringify(outcome)}`);
  return { ...(outcome.response as T), environmentId: outcome.environmentId };
}
