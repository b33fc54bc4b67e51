/**
 * Values the function host uses, each written once: the local cap on environments, the memory floor,
 * the INIT time limit, the alias every trigger invokes and the Lambda error types the host reports.
 *
 * @module
 */

/**
 * Execution environments one function may have at a time on this machine, whatever its reserved
 * concurrency says (each is a worker thread with its own V8 heap). Invocations beyond it wait for a
 * free environment, in arrival order; sync invocations are throttled only at reserved concurrency.
 */
export const DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION = 8;

/** The smallest old-generation heap a worker gets, in MB, whatever the function's memory size. */
export const MIN_HEAP_MB = 64;

/** INIT may take this long (Lambda's 10 s limit) or the function's timeout if that is longer. */
export const INIT_TIMEOUT_MS = 10_000;

/** The alias every trigger invokes (packages/constructs/src/function.ts `LIVE_ALIAS`; not imported, to keep aws-cdk-lib out of the worker). */
export const INVOKED_QUALIFIER = 'live';

/** The handler export used when a function names none. */
export const DEFAULT_HANDLER_EXPORT = 'handler';

/** `AWS_LAMBDA_INITIALIZATION_TYPE` values, as Lambda sets them. */
export const InitializationType = {
  OnDemand: 'on-demand',
  ProvisionedConcurrency: 'provisioned-concurrency',
} as const;
export type InitializationType = (typeof InitializationType)[keyof typeof InitializationType];

/** The `errorType` values the host reports when the runtime, not the handler, fails. */
export const RuntimeErrorType = {
  Timeout: 'Sandbox.Timedout',
  ImportModule: 'Runtime.ImportModuleError',
  HandlerNotFound: 'Runtime.HandlerNotFound',
  UnhandledRejection: 'Runtime.UnhandledPromiseRejection',
  Exit: 'Runtime.ExitError',
  OutOfMemory: 'Runtime.OutOfMemory',
  Marshal: 'Runtime.MarshalError',
} as const;
export type RuntimeErrorType = (typeof RuntimeErrorType)[keyof typeof RuntimeErrorType];

/** The errorType of invocations cut short by `stop()` (not a Lambda type: only the local host stops). */
export const HOST_STOPPED_ERROR_TYPE = 'Local.HostStopped';
