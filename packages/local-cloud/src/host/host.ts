/**
 * The function host: runs the functions of a service in execution environments, one worker thread
 * each, with Lambda's lifecycle. An environment serves one invocation at a time; a warm idle one is
 * reused (the most recently used first); when all are busy a new one runs INIT, up to the cap
 * min(reservedConcurrency, maxEnvironmentsPerFunction). At reserved concurrency a sync invocation is
 * throttled at once (Lambda's 429); otherwise invocations wait for a free environment in arrival order.
 *
 * @example
 * const host = createFunctionHost({ functions, workerPath: build.workerPath, tmpRoot, trace });
 * await host.start();
 * const outcome = await host.invoke('api', event, { mode: 'sync' });
 * await host.stop();
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '@kiro-serverless/events/common';
import { emit, type InvokeMode, type InvokeOptions, type InvokeOutcome, type Trace } from '../types.js';
import { DEFAULT_HANDLER_EXPORT, DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION, HOST_STOPPED_ERROR_TYPE, INVOKED_QUALIFIER } from './constants.js';
import { ExecutionEnvironment, logStreamName } from './environment.js';
import { FunctionHostOptionsError, HostStoppedError, UnknownFunctionError } from './errors.js';
import type { FunctionHost, FunctionHostOptions, FunctionStats, HostedFunction } from './types.js';

type Counters = { -readonly [K in 'inits' | 'invocations' | 'errors' | 'throttles']: number };

interface FunctionState {
  readonly config: HostedFunction;
  readonly cap: number;
  bundlePath: string;
  generation: number;
  environmentCount: number;
  readonly environments: Set<ExecutionEnvironment>;
  /** FIFO of invocations waiting for an environment; `undefined` means the host stopped. */
  readonly waiters: ((environment: ExecutionEnvironment | undefined) => void)[];
  readonly counters: Counters;
}

/** Creates a host over `options.functions`; see {@link FunctionHost}. Throws {@link FunctionHostOptionsError} listing every invalid option. */
export function createFunctionHost(options: FunctionHostOptions): FunctionHost {
  const maxEnvironments = options.maxEnvironmentsPerFunction ?? DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION;
  validate(options, maxEnvironments);
  const trace: Trace = options.trace ?? (() => undefined);
  const tmpRoot = path.resolve(options.tmpRoot);
  const functions = new Map<string, FunctionState>(options.functions.map((config) => [config.id, {
    config,
    cap: Math.min(config.reservedConcurrency ?? Infinity, maxEnvironments),
    bundlePath: config.bundlePath,
    generation: 1,
    environmentCount: 0,
    environments: new Set(),
    waiters: [],
    counters: { inits: 0, invocations: 0, errors: 0, throttles: 0 },
  }]));
  let started = false;
  let stopped = false;

  const stateOf = (functionId: string): FunctionState => {
    const state = functions.get(functionId);
    if (!state) throw new UnknownFunctionError(functionId, [...functions.keys()]);
    return state;
  };

  /** Starts INIT of a new environment; `leased` when an invocation takes it. */
  const spawn = (fn: FunctionState, leased: boolean, provisioned: boolean): ExecutionEnvironment => {
    mkdirSync(tmpRoot, { recursive: true });
    const { config } = fn;
    const functionVersion = config.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
    const region = options.region ?? config.env.AWS_REGION ?? DEFAULT_REGION;
    const environment = new ExecutionEnvironment({
      id: `${config.id}#${++fn.environmentCount}`,
      fn: config.id,
      workerPath: options.workerPath,
      setup: {
        bundlePath: fn.bundlePath,
        handlerExport: config.handlerExport ?? DEFAULT_HANDLER_EXPORT,
        functionName: config.functionName,
        functionVersion,
        memoryMb: config.memoryMb,
        invokedFunctionArn: `arn:aws:lambda:${region}:${options.accountId ?? DEFAULT_ACCOUNT_ID}:function:${config.functionName}:${INVOKED_QUALIFIER}`,
        logStreamName: logStreamName(functionVersion),
      },
      env: config.env,
      timeoutSeconds: config.timeoutSeconds,
      provisioned,
      tmpRoot,
      generation: fn.generation,
      trace,
      onEnd: (ended) => {
        fn.environments.delete(ended);
        dispatch(fn);
      },
    }, leased);
    fn.environments.add(environment);
    fn.counters.inits += 1;
    // An environment INIT'ed for nobody (provisioned) serves the queue once ready.
    void environment.ready.then((result) => {
      if (result.ok && !environment.leased) dispatch(fn);
    });
    return environment;
  };

  /** A warm idle environment of the current code, the most recently used first; leased to the caller. */
  const takeIdle = (fn: FunctionState): ExecutionEnvironment | undefined => {
    let best: ExecutionEnvironment | undefined;
    for (const environment of fn.environments) {
      if (environment.state !== 'idle' || environment.leased || environment.generation !== fn.generation) continue;
      if (!best || environment.lastUsed > best.lastUsed) best = environment;
    }
    if (best) best.leased = true;
    return best;
  };

  const busyCount = (fn: FunctionState): number => [...fn.environments].filter((e) => e.leased).length;

  /** Hands free or new environments to waiting invocations, in arrival order. */
  const dispatch = (fn: FunctionState): void => {
    while (fn.waiters.length > 0 && !stopped) {
      const environment = takeIdle(fn) ?? (fn.environments.size < fn.cap ? spawn(fn, true, false) : undefined);
      if (!environment) return;
      fn.waiters.shift()?.(environment);
    }
  };

  /** An environment for one invocation, `'throttled'`, or `undefined` when the host stopped while waiting. */
  const acquire = (fn: FunctionState, mode: InvokeMode): ExecutionEnvironment | 'throttled' | Promise<ExecutionEnvironment | undefined> => {
    if (fn.waiters.length === 0) {
      const environment = takeIdle(fn) ?? (fn.environments.size < fn.cap ? spawn(fn, true, false) : undefined);
      if (environment) return environment;
    }
    const reserved = fn.config.reservedConcurrency;
    if (reserved !== undefined && (reserved === 0 || (mode === 'sync' && busyCount(fn) >= reserved))) return 'throttled';
    return new Promise((resolve) => fn.waiters.push(resolve));
  };

  /** Back to the pool after an invocation, or ended if new code came meanwhile. */
  const release = (fn: FunctionState, environment: ExecutionEnvironment): void => {
    environment.leased = false;
    if (environment.state === 'ended') return;
    if (environment.retiring || environment.generation !== fn.generation) {
      void environment.end('reload');
      return;
    }
    environment.lastUsed = performance.now();
    dispatch(fn);
  };

  const run = async (environment: ExecutionEnvironment, requestId: string, eventJson: string): Promise<InvokeOutcome> => {
    const init = await environment.ready;
    if (!init.ok) {
      return { status: 'error', kind: 'init', error: init.error, requestId, environmentId: environment.id, durationMs: init.durationMs };
    }
    const startedAt = performance.now();
    const result = await environment.invoke(requestId, eventJson);
    const durationMs = performance.now() - startedAt;
    if (result.kind === 'ok') return { status: 'ok', response: result.response, requestId, environmentId: environment.id, durationMs };
    return { status: 'error', kind: result.kind, error: result.error, requestId, environmentId: environment.id, durationMs };
  };

  const invoke = async (functionId: string, event: unknown, invokeOptions: InvokeOptions): Promise<InvokeOutcome> => {
    const fn = stateOf(functionId);
    if (stopped) throw new HostStoppedError(`invoke "${functionId}"`);
    const requestId = invokeOptions.requestId ?? randomUUID();
    const eventJson = JSON.stringify(event) ?? 'null';
    const finish = (outcome: InvokeOutcome): InvokeOutcome => {
      if (outcome.status === 'throttled') fn.counters.throttles += 1;
      else fn.counters.invocations += 1;
      if (outcome.status === 'error') fn.counters.errors += 1;
      emit(trace, { type: 'invoke', fn: functionId, mode: invokeOptions.mode, outcome });
      return outcome;
    };
    const acquired = acquire(fn, invokeOptions.mode);
    if (acquired === 'throttled') return finish({ status: 'throttled', requestId });
    const waitStart = performance.now();
    const environment = await acquired;
    if (!environment) {
      return finish({
        status: 'error', kind: 'crash', requestId, durationMs: performance.now() - waitStart,
        error: { errorType: HOST_STOPPED_ERROR_TYPE, errorMessage: 'The local function host stopped before an environment was free.' },
      });
    }
    try {
      return finish(await run(environment, requestId, eventJson));
    } finally {
      release(fn, environment);
    }
  };

  const provision = (fn: FunctionState): Promise<unknown>[] => {
    const wanted = Math.min(fn.config.provisionedConcurrency ?? 0, fn.cap);
    const current = [...fn.environments].filter((e) => e.provisioned && e.generation === fn.generation).length;
    return Array.from({ length: Math.max(0, wanted - current) }, () => spawn(fn, false, true).ready);
  };

  return {
    invoke,
    async start() {
      if (stopped) throw new HostStoppedError('start');
      started = true;
      await Promise.all([...functions.values()].flatMap(provision));
    },
    async reload(bundles) {
      const targets = Object.entries(bundles).map(([id, bundlePath]) => [stateOf(id), bundlePath] as const);
      if (stopped) throw new HostStoppedError(`reload ${Object.keys(bundles).map((id) => `"${id}"`).join(', ')}`);
      const closing: Promise<void>[] = [];
      for (const [fn, bundlePath] of targets) {
        fn.bundlePath = bundlePath;
        fn.generation += 1;
        for (const environment of [...fn.environments]) {
          if (environment.leased) environment.retiring = true;
          else closing.push(environment.end('reload'));
        }
      }
      const provisioning = started ? targets.flatMap(([fn]) => provision(fn)) : [];
      for (const [fn] of targets) dispatch(fn);
      await Promise.all([...closing, ...provisioning]);
    },
    async stop() {
      stopped = true;
      const closing: Promise<void>[] = [];
      for (const fn of functions.values()) {
        for (const waiter of fn.waiters.splice(0)) waiter(undefined);
        for (const environment of [...fn.environments]) {
          closing.push(environment.end('shutdown', {
            errorType: HOST_STOPPED_ERROR_TYPE, errorMessage: 'The local function host stopped during the invocation.',
          }));
        }
      }
      await Promise.all(closing);
    },
    stats() {
      const stats: Record<string, FunctionStats> = {};
      for (const [id, fn] of functions) {
        stats[id] = { environments: fn.environments.size, busy: busyCount(fn), waiting: fn.waiters.length, ...fn.counters };
      }
      return stats;
    },
  };
}

function validate(options: FunctionHostOptions, maxEnvironments: number): void {
  const issues: string[] = [];
  const isCount = (n: number | undefined, min: number): boolean => n === undefined || (Number.isInteger(n) && n >= min);
  if (!isCount(maxEnvironments, 1)) issues.push(`maxEnvironmentsPerFunction must be an integer >= 1, got ${maxEnvironments}`);
  if (!path.isAbsolute(options.workerPath)) issues.push(`workerPath must be absolute (FunctionBuild.workerPath), got "${options.workerPath}"`);
  const seen = new Set<string>();
  for (const fn of options.functions) {
    const where = `function "${fn.id}"`;
    if (seen.has(fn.id)) issues.push(`${where} is listed twice; function IDs must be unique`);
    seen.add(fn.id);
    if (!path.isAbsolute(fn.bundlePath)) issues.push(`${where}: bundlePath must be absolute (FunctionBuild.bundles), got "${fn.bundlePath}"`);
    if (!(fn.timeoutSeconds > 0)) issues.push(`${where}: timeoutSeconds must be > 0, got ${fn.timeoutSeconds}`);
    if (!(fn.memoryMb > 0)) issues.push(`${where}: memoryMb must be > 0, got ${fn.memoryMb}`);
    if (!isCount(fn.reservedConcurrency, 0)) issues.push(`${where}: reservedConcurrency must be an integer >= 0, got ${fn.reservedConcurrency}`);
    if (!isCount(fn.provisionedConcurrency, 0)) issues.push(`${where}: provisionedConcurrency must be an integer >= 0, got ${fn.provisionedConcurrency}`);
    if ((fn.provisionedConcurrency ?? 0) > (fn.reservedConcurrency ?? Infinity)) {
      issues.push(`${where}: provisionedConcurrency (${fn.provisionedConcurrency}) exceeds reservedConcurrency (${fn.reservedConcurrency}); lower it or raise the reserve`);
    }
  }
  if (issues.length > 0) throw new FunctionHostOptionsError(issues);
}
