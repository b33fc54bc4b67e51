/**
 * The bootstrap of one execution environment (one worker thread). The host bundles this file to plain
 * JavaScript (see build.ts) and starts it with a {@link WorkerSetup} as `workerData`.
 *
 * 1. Routes `process.stdout` / `process.stderr` writes to the host as `log` messages, one per line,
 *    tagged with the request ID of the invocation running, so that they arrive in order with results.
 * 2. INIT: imports the function bundle (its module scope runs once), then reports `ready` or
 *    `init-error` (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, or the thrown error).
 * 3. Serves invocations one at a time: builds the Lambda `Context`, awaits the handler, and posts the
 *    JSON text of its result or the error it threw (`errorType` is the error's name).
 * 4. An unhandled rejection or uncaught exception is fatal: it is reported and the host ends the
 *    environment, failing the invocation running (Lambda's `Runtime.UnhandledPromiseRejection`,
 *    `Runtime.ExitError`).
 *
 * @internal
 * @module
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '@kiro-serverless/events/context';
import type { InvokeError } from '../types.js';
import { RuntimeErrorType } from './constants.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

type Handler = (event: unknown, context: Context) => unknown;
type StreamName = 'stdout' | 'stderr';

if (!parentPort) {
  throw new Error('The function host worker runs only as a worker thread: start it through createFunctionHost (packages/local-cloud/src/host).');
}
const port = parentPort;
const setup = workerData as WorkerSetup;
const post = (message: FromWorker): void => port.postMessage(message);

// Stack traces of the bundle point at the .ts sources through its source map.
process.setSourceMapsEnabled(true);

let currentRequestId: string | undefined;
const partial: Record<StreamName, string> = { stdout: '', stderr: '' };

/** Replaces `write` of a std stream: complete lines go to the host now, a partial line waits for its end. */
function capture(stream: StreamName): void {
  const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk
      : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    const lines = (partial[stream] + text).split('\n');
    partial[stream] = lines.pop() ?? '';
    for (const line of lines) post({ type: 'log', stream, text: line, requestId: currentRequestId });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
  process[stream].write = write as typeof process.stdout.write;
}

/** Sends what is left of a partial line (before a result, so that it is attributed to its invocation). */
function flush(): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    if (partial[stream] === '') continue;
    post({ type: 'log', stream, text: partial[stream], requestId: currentRequestId });
    partial[stream] = '';
  }
}

/** The runtime-API shape of a thrown value: an Error's name, message and stack lines; `typeof` for anything else. */
function toInvokeError(thrown: unknown, errorType?: string): InvokeError {
  if (thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'message' in thrown)) {
    const error = thrown as Error;
    return {
      errorType: errorType ?? (typeof error.name === 'string' ? error.name : 'Error'),
      errorMessage: String(error.message),
      stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: errorType ?? typeof thrown, errorMessage: String(thrown), stackTrace: [] };
}

function fatal(errorType: string, reason: unknown): void {
  flush();
  const error = toInvokeError(reason, errorType);
  const described = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  post({ type: 'fatal', requestId: currentRequestId, error: { ...error, errorMessage: described } });
}

process.on('unhandledRejection', (reason) => fatal(RuntimeErrorType.UnhandledRejection, reason));
process.on('uncaughtException', (error) => fatal(RuntimeErrorType.Exit, error));

capture('stdout');
capture('stderr');

async function init(): Promise<Handler | undefined> {
  const started = performance.now();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(setup.bundlePath).href)) as Record<string, unknown>;
  } catch (thrown) {
    flush();
    const code = (thrown as { code?: unknown } | null)?.code;
    const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT';
    post({ type: 'init-error', error: toInvokeError(thrown, notFound ? RuntimeErrorType.ImportModule : undefined) });
    return undefined;
  }
  const handler = module[setup.handlerExport];
  flush();
  if (typeof handler !== 'function') {
    const name = `${basename(setup.bundlePath).replace(/\.m?js$/, '')}.${setup.handlerExport}`;
    post({
      type: 'init-error',
      error: {
        errorType: RuntimeErrorType.HandlerNotFound,
        errorMessage: `${name} is undefined or not exported. Export a function named "${setup.handlerExport}" from the entry module.`,
      },
    });
    return undefined;
  }
  post({ type: 'ready', initMs: performance.now() - started });
  return handler as Handler;
}

async function invoke(handler: Handler, message: ToWorker): Promise<void> {
  currentRequestId = message.requestId;
  const base = lambdaContext({
    functionName: setup.functionName,
    functionVersion: setup.functionVersion,
    memoryMb: setup.memoryMb,
    timeoutMs: Math.max(0, message.deadline - Date.now()),
  });
  const context: Context = {
    ...base,
    awsRequestId: message.requestId,
    invokedFunctionArn: setup.invokedFunctionArn,
    logStreamName: setup.logStreamName,
  };
  try {
    const result = await handler(JSON.parse(message.event) as unknown, context);
    let response: string;
    try {
      response = JSON.stringify(result) ?? 'null';
    } catch (thrown) {
      flush();
      post({ type: 'error', requestId: message.requestId, error: toInvokeError(thrown, RuntimeErrorType.Marshal) });
      return;
    }
    flush();
    post({ type: 'result', requestId: message.requestId, response });
  } catch (thrown) {
    flush();
    post({ type: 'error', requestId: message.requestId, error: toInvokeError(thrown) });
  } finally {
    currentRequestId = undefined;
  }
}

const handler = await init();
if (handler) {
  // The host sends the next invocation only after this one's result: one at a time.
  port.on('message', (message: ToWorker) => void invoke(handler, message));
}
