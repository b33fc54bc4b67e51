/**
 * The messages between the host (main thread) and one execution environment (worker thread).
 * Events and responses cross as JSON text, as they cross Lambda's runtime API.
 *
 * @internal
 * @module
 */
import type { InvokeError } from '../types.js';

/** What the worker is given at start (`workerData`). */
export interface WorkerSetup {
  /** Absolute path of the function's bundle (an ES module). */
  readonly bundlePath: string;
  readonly handlerExport: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryMb: number;
  /** `arn:aws:lambda:<region>:<account>:function:<name>:<qualifier>` */
  readonly invokedFunctionArn: string;
  /** The environment's log stream, the same for all its invocations. */
  readonly logStreamName: string;
}

/** Main thread to worker. */
export type ToWorker = {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The event as JSON text. */
  readonly event: string;
  /** `Date.now()` at which the invocation times out. */
  readonly deadline: number;
};

/** Worker to main thread. */
export type FromWorker =
  | { readonly type: 'ready'; readonly initMs: number }
  | { readonly type: 'init-error'; readonly error: InvokeError }
  | { readonly type: 'log'; readonly stream: 'stdout' | 'stderr'; readonly text: string; readonly requestId?: string }
  /** `response` is JSON text (`null` for `undefined`). */
  | { readonly type: 'result'; readonly requestId: string; readonly response: string }
  | { readonly type: 'error'; readonly requestId: string; readonly error: InvokeError }
  /** The environment cannot go on (unhandled rejection, uncaught exception); the host ends it. */
  | { readonly type: 'fatal'; readonly requestId?: string; readonly error: InvokeError };
