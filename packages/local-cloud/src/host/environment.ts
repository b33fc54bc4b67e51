/**
 * One execution environment: a worker thread running worker.ts, its own /tmp directory, and the
 * bookkeeping of its one invocation at a time. It runs INIT, invocations (with the function's timeout
 * in real time) and its own end; the host decides which environment serves which invocation.
 *
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { emit, type InvokeError, type Trace, type TraceEvent } from '../types.js';
import { InitializationType, INIT_TIMEOUT_MS, MIN_HEAP_MB, RuntimeErrorType } from './constants.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

type EndReason = Extract<TraceEvent, { type: 'environment-ended' }>['reason'];

/** What INIT came to. */
export type InitResult = { readonly ok: true; readonly durationMs: number } | { readonly ok: false; readonly durationMs: number; readonly error: InvokeError };

/** What one invocation came to, before the host adds its request ID and timing. */
export type RunResult =
  | { readonly kind: 'ok'; readonly response: unknown }
  | { readonly kind: 'function' | 'timeout' | 'crash'; readonly error: InvokeError };

/** Everything an environment needs to start. */
export interface EnvironmentSpec {
  readonly id: string;
  readonly fn: string;
  readonly workerPath: string;
  readonly setup: WorkerSetup;
  /** The function's environment variables (TMPDIR and AWS_LAMBDA_INITIALIZATION_TYPE are added). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly provisioned: boolean;
  readonly tmpRoot: string;
  readonly generation: number;
  readonly trace: Trace;
  /** Called once, synchronously, when the environment starts to end (so the host frees its slot at once). */
  readonly onEnd: (environment: ExecutionEnvironment) => void;
}

/** Lambda's timeout message: the limit with two decimals. */
export const timeoutMessage = (seconds: number): string => `Task timed out after ${seconds.toFixed(2)} seconds`;

/** @internal One worker thread and its /tmp. */
export class ExecutionEnvironment {
  readonly id: string;
  readonly tmpDir: string;
  readonly provisioned: boolean;
  readonly generation: number;
  /** INIT's result; resolves once. */
  readonly ready: Promise<InitResult>;
  /** Resolves when the worker thread has exited and /tmp is removed. */
  readonly closed: Promise<void>;
  /** Set by the host: an invocation holds this environment (or will, once INIT is done). */
  leased: boolean;
  /** Set by the host after a reload: end after the invocation running. */
  retiring = false;
  lastUsed = 0;
  state: 'init' | 'idle' | 'busy' | 'ended' = 'init';

  private readonly spec: EnvironmentSpec;
  private readonly worker: Worker;
  private readonly started = performance.now();
  private settleInit!: (result: InitResult) => void;
  private settleClosed!: () => void;
  private running: { requestId: string; settle: (result: RunResult) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private initDone = false;
  private endError: InvokeError | undefined;

  constructor(spec: EnvironmentSpec, leased: boolean) {
    this.spec = spec;
    this.id = spec.id;
    this.provisioned = spec.provisioned;
    this.generation = spec.generation;
    this.leased = leased;
    this.ready = new Promise((resolve) => (this.settleInit = resolve));
    this.closed = new Promise((resolve) => (this.settleClosed = resolve));
    this.tmpDir = mkdtempSync(path.join(spec.tmpRoot, `${spec.fn.replace(/[^\w.-]/g, '_')}-`));
    const initializationType = spec.provisioned ? InitializationType.ProvisionedConcurrency : InitializationType.OnDemand;
    this.worker = new Worker(spec.workerPath, {
      workerData: spec.setup,
      env: { ...spec.env, TMPDIR: this.tmpDir, AWS_LAMBDA_INITIALIZATION_TYPE: initializationType },
      execArgv: [],
      argv: [],
      resourceLimits: { maxOldGenerationSizeMb: Math.max(MIN_HEAP_MB, spec.setup.memoryMb) },
    });
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    this.worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.crash({
        errorType: oom ? RuntimeErrorType.OutOfMemory : RuntimeErrorType.Exit,
        errorMessage: oom ? `Runtime exited: out of memory (${spec.setup.memoryMb} MB function, heap limit reached). Raise memorySize or use less memory.` : `${error.name}: ${error.message}`,
        stackTrace: error.stack?.split('\n') ?? [],
      });
    });
    this.worker.on('exit', (code) => {
      this.crash({ errorType: RuntimeErrorType.Exit, errorMessage: `Runtime exited with error: exit status ${code}` });
    });
    // An idle environment must not keep the process alive; timers of running work do. After the
    // listeners: adding an 'exit' or 'message' listener refs the worker again.
    this.worker.unref();
    const initLimitMs = Math.max(INIT_TIMEOUT_MS, spec.timeoutSeconds * 1000);
    this.timer = setTimeout(() => {
      this.finishInit({ ok: false, durationMs: this.sinceStart(), error: { errorType: RuntimeErrorType.Timeout, errorMessage: `INIT timed out after ${(initLimitMs / 1000).toFixed(2)} seconds` } });
    }, initLimitMs);
  }

  /** Runs one invocation; the host calls it only when INIT succeeded and nothing else runs here. */
  invoke(requestId: string, eventJson: string): Promise<RunResult> {
    // Ended between INIT and now (stop, reload of an unleased one): fail as the running invocation would have.
    if (this.state === 'ended') return Promise.resolve({ kind: 'crash', error: this.endError ?? { errorType: RuntimeErrorType.Exit, errorMessage: 'The environment ended before the invocation.' } });
    if (this.state !== 'idle') throw new Error(`environment ${this.id} is ${this.state}, not idle (host bookkeeping bug)`);
    this.state = 'busy';
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise((settle) => {
      this.running = { requestId, settle };
      this.timer = setTimeout(() => {
        this.settleRun({ kind: 'timeout', error: { errorType: RuntimeErrorType.Timeout, errorMessage: timeoutMessage(this.spec.timeoutSeconds) } });
        void this.end('timeout');
      }, timeoutMs);
      const message: ToWorker = { type: 'invoke', requestId, event: eventJson, deadline: Date.now() + timeoutMs };
      this.worker.postMessage(message);
    });
  }

  /** Ends the environment: fails what runs here with `error`, terminates the worker, removes /tmp. Idempotent. */
  end(reason: EndReason, error?: InvokeError): Promise<void> {
    if (this.state === 'ended') return this.closed;
    this.state = 'ended';
    clearTimeout(this.timer);
    this.spec.onEnd(this);
    const lost = error ?? { errorType: RuntimeErrorType.Exit, errorMessage: `The environment ended (${reason}) during the invocation.` };
    this.endError = lost;
    this.finishInit({ ok: false, durationMs: this.sinceStart(), error: lost });
    this.settleRun({ kind: 'crash', error: lost });
    emit(this.spec.trace, { type: 'environment-ended', fn: this.spec.fn, environmentId: this.id, reason });
    void this.worker.terminate().catch(() => undefined).finally(() => {
      rmSync(this.tmpDir, { recursive: true, force: true });
      this.settleClosed();
    });
    return this.closed;
  }

  private onMessage(message: FromWorker): void {
    if (this.state === 'ended') return;
    switch (message.type) {
      case 'log':
        emit(this.spec.trace, {
          type: 'log', fn: this.spec.fn, environmentId: this.id, stream: message.stream, text: message.text,
          ...(message.requestId === undefined ? {} : { requestId: message.requestId }),
        });
        return;
      case 'ready':
        this.finishInit({ ok: true, durationMs: this.sinceStart() });
        return;
      case 'init-error':
        this.finishInit({ ok: false, durationMs: this.sinceStart(), error: message.error });
        return;
      case 'result':
        this.settleRun({ kind: 'ok', response: JSON.parse(message.response) as unknown });
        return;
      case 'error':
        this.settleRun({ kind: 'function', error: message.error });
        return;
      case 'fatal':
        this.crash(message.error);
        return;
    }
  }

  /** The worker cannot go on: fail INIT or the invocation with `error` and end. */
  private crash(error: InvokeError): void {
    if (this.state === 'ended') return;
    const initFailed = this.state === 'init';
    void this.end(initFailed ? 'init-failed' : 'crash', error);
  }

  /** Settles INIT once: traces it, then either makes the environment idle or ends it. */
  private finishInit(result: InitResult): void {
    if (this.initDone) return;
    this.initDone = true;
    if (this.state === 'init') clearTimeout(this.timer);
    emit(this.spec.trace, {
      type: 'init', fn: this.spec.fn, environmentId: this.id, durationMs: result.durationMs, provisioned: this.provisioned,
      ...(result.ok ? {} : { error: result.error }),
    });
    if (result.ok && this.state === 'init') this.state = 'idle';
    this.settleInit(result);
    if (!result.ok && this.state !== 'ended') void this.end('init-failed', result.error);
  }

  private settleRun(result: RunResult): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    clearTimeout(this.timer);
    if (this.state === 'busy') this.state = 'idle';
    running.settle(result);
  }

  private sinceStart(): number {
    return performance.now() - this.started;
  }
}

/** A log stream name as Lambda makes one per environment: `YYYY/MM/DD/[version]<32 hex>`. */
export function logStreamName(functionVersion: string, now = new Date()): string {
  const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return `${day}/[${functionVersion}]${randomBytes(16).toString('hex')}`;
}
