/**
 * The public types of the function host: what it is given (functions and limits) and what it offers
 * beyond {@link Invoker} (start, reload, stop, stats).
 *
 * @module
 */
import type { Invoker, Trace } from '../types.js';

/** One function the host runs. */
export interface HostedFunction {
  /** The function ID of the model; what `invoke` takes. */
  readonly id: string;
  /** The deployed function name (the Context's `functionName`, the ARN's last part). */
  readonly functionName: string;
  /** Absolute path of its bundle, from {@link FunctionBuild.bundles}. */
  readonly bundlePath: string;
  /** The handler's export name. @default DEFAULT_HANDLER_EXPORT ('handler') */
  readonly handlerExport?: string;
  /**
   * Exactly the function's environment (AWS_* and the contract variables). The worker sees only these,
   * plus `TMPDIR` (its own /tmp) and `AWS_LAMBDA_INITIALIZATION_TYPE`, which the host sets.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Real seconds an invocation may run (never scaled by the time scale). */
  readonly timeoutSeconds: number;
  /** Memory size; the worker's heap limit (with a floor of MIN_HEAP_MB). */
  readonly memoryMb: number;
  /** Sync invocations beyond it are throttled; event and poll ones wait. 0 throttles every invocation. @default no limit but the local cap */
  readonly reservedConcurrency?: number;
  /** Environments INIT'ed by `start()` (and again after `reload()`), with AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency. @default 0 */
  readonly provisionedConcurrency?: number;
}

/** Options of {@link createFunctionHost}. */
export interface FunctionHostOptions {
  readonly functions: readonly HostedFunction[];
  /** The worker bootstrap bundle, from {@link FunctionBuild.workerPath}. */
  readonly workerPath: string;
  /** Each environment gets a fresh directory under it as TMPDIR (its /tmp), removed when it ends. Created if missing. */
  readonly tmpRoot: string;
  /** Local cap on environments per function, to protect the machine. @default DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION (8) */
  readonly maxEnvironmentsPerFunction?: number;
  /** Receives `init`, `invoke`, `log` and `environment-ended` events. @default drops them */
  readonly trace?: Trace;
  /** Region of the invoked function ARN. @default the function's AWS_REGION, else DEFAULT_REGION */
  readonly region?: string;
  /** Account of the invoked function ARN. @default DEFAULT_ACCOUNT_ID */
  readonly accountId?: string;
}

/** Counters of one function since the host was created. */
export interface FunctionStats {
  /** Environments alive now (initializing, idle or busy). */
  readonly environments: number;
  /** Environments running (or about to run) an invocation now. */
  readonly busy: number;
  /** Invocations waiting for an environment now. */
  readonly waiting: number;
  /** INITs started (successful or not). */
  readonly inits: number;
  /** Invocations that ran or failed (throttled ones are not counted). */
  readonly invocations: number;
  /** Invocations whose outcome is `status: 'error'` (any kind). */
  readonly errors: number;
  /** Sync invocations refused at reserved concurrency. */
  readonly throttles: number;
}

/** Runs the functions of a service in execution environments (worker threads). */
export interface FunctionHost extends Invoker {
  /** INITs each function's provisioned concurrency; resolves when those INITs have settled. Invocations work before it too. */
  start(): Promise<void>;
  /**
   * New code, as a deploy gives it: for each function ID given, later invocations run the new bundle in new
   * environments. Idle environments end now (reason 'reload'); busy ones after their invocation. Resolves
   * when the idle ones have exited and new provisioned environments have settled INIT.
   */
  reload(bundles: Readonly<Record<string, string>>): Promise<void>;
  /** Ends every environment (reason 'shutdown'), fails what runs or waits, removes every /tmp; resolves when all threads have exited. */
  stop(): Promise<void>;
  /** Counters by function ID. */
  stats(): Readonly<Record<string, FunctionStats>>;
}
