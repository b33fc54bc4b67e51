/**
 * The child process of the cold-start and warm figures (built to runner.mjs by the bench, run by a
 * fresh `node`). Only Node built-ins, so that it adds nothing to what it measures.
 *
 * - `cold <bundle> <event.json>`: imports the bundle (INIT), calls `handler` once with the event and
 *   a Lambda-like context, prints `{ bootMs, initMs, invokeMs, servedAt, error? }`: the time from
 *   process start to the runner's first line, the import, the first invocation, and the wall-clock
 *   time (ms since the epoch) when the invocation returned.
 * - `warm <bundle> <batches> <warmup> <variant,...>`: imports the bundle, which exports `variants`
 *   (name to handler) and `makeEvent(batch, salt)`; runs `warmup` then `batches` rounds, each round
 *   one batch per variant in turn (interleaved, so that noise spreads over every variant); prints
 *   `{ samplesUs: { variant: [microseconds per batch] } }`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const bootMs = performance.now();

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function lambdaContext(): Record<string, unknown> {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'eu-west-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function handlerOf(module: Record<string, unknown>): Handler {
  const direct = module.handler ?? (module.default as Record<string, unknown> | undefined)?.handler;
  if (typeof direct !== 'function') throw new Error('the bundle exports no handler');
  return direct as Handler;
}

async function cold(bundle: string, eventFile: string): Promise<void> {
  const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));
  const start = performance.now();
  const module = await import(pathToFileURL(bundle).href) as Record<string, unknown>;
  const imported = performance.now();
  let error: string | undefined;
  let response: unknown;
  try {
    response = await handlerOf(module)(event, lambdaContext());
  } catch (thrown) {
    error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  }
  const served = performance.now();
  const failures = (response as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures?.length ?? 0;
  if (failures > 0) error = `${failures} batch item failure(s)`;
  print({ bootMs, initMs: imported - start, invokeMs: served - imported, servedAt: performance.timeOrigin + served, ...(error ? { error } : {}) });
}

async function warm(bundle: string, batches: number, warmup: number, names: readonly string[]): Promise<void> {
  const module = await import(pathToFileURL(bundle).href) as {
    variants: Record<string, Handler>;
    makeEvent: (batch: number, salt: string) => unknown;
  };
  const samplesUs: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const salt = randomUUID().slice(0, 8);
  let batch = 0;
  for (let round = 0; round < warmup + batches; round++) {
    for (const name of names) {
      const handler = module.variants[name];
      if (handler === undefined) throw new Error(`the bundle has no variant ${name}`);
      const event = module.makeEvent(batch++, salt);
      const start = process.hrtime.bigint();
      const response = await handler(event, lambdaContext());
      const us = Number(process.hrtime.bigint() - start) / 1_000;
      const failures = (response as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures?.length ?? 0;
      if (failures > 0) throw new Error(`variant ${name}: ${failures} record(s) failed`);
      if (round >= warmup) samplesUs[name]?.push(us);
    }
  }
  print({ samplesUs });
}

function print(result: unknown): void {
  process.stdout.write(`\n@@bench ${JSON.stringify(result)}\n`);
}

const [mode, ...args] = process.argv.slice(2);
try {
  if (mode === 'cold') await cold(args[0] ?? '', args[1] ?? '');
  else if (mode === 'warm') await warm(args[0] ?? '', Number(args[1]), Number(args[2]), (args[3] ?? '').split(','));
  else throw new Error(`unknown mode ${String(mode)}`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
}
