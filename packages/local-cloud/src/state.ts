/**
 * The state file of a running `npm run dev`: `.local/state.json`, rewritten about once a second and
 * removed on exit. It is how other tools (the MCP server) learn whether the local cloud is up, where
 * its endpoints are, what resources it made, and what each function and mapping has done.
 *
 * @module
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { LocalCloud } from './cloud.js';
import type { CountsSnapshot, FailureRecord } from './counters.js';
import type { LocalResources } from './provision.js';

/** Bumped when the shape changes in a way readers must know about. */
export const STATE_FILE_VERSION = 1;

/** `.local/state.json` under the project root. */
export function stateFilePath(root: string): string {
  return path.join(root, '.local', 'state.json');
}

export interface LocalStateFile {
  readonly version: typeof STATE_FILE_VERSION;
  /** The process that runs the cloud: if it is gone, the file is stale. */
  readonly pid: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly timeScale: number;
  readonly endpoints: { readonly dynamoDb: string; readonly fauxqs: string };
  readonly services: Readonly<Record<string, {
    readonly sourceFile: string;
    readonly httpUrl?: string;
    readonly resources: LocalResources;
    readonly functions: Readonly<Record<string, {
      readonly environments: number;
      readonly busy: number;
      readonly inits: number;
      readonly invocations: number;
      readonly errors: number;
      readonly throttles: number;
    }>>;
    /** Messages now in each dead-letter queue and OnFailure queue, by queue ID (`<id>-dlq` for a DLQ). */
    readonly queueDepths: Readonly<Record<string, number>>;
  }>>;
  /** Every count the trace gave (functions, mappings, DLQ arrivals, HTTP). */
  readonly counts: CountsSnapshot;
  /** The last failures the local cloud saw, oldest first (added after version 1 shipped: readers treat it as optional). */
  readonly recentFailures?: readonly FailureRecord[];
}

/** The state of `cloud` now. */
export async function captureState(cloud: LocalCloud, startedAt: Date): Promise<LocalStateFile> {
  const services: Record<string, LocalStateFile['services'][string]> = {};
  for (const [name, service] of Object.entries(cloud.services)) {
    const queueDepths: Record<string, number> = {};
    const queues = Object.entries(service.resources.queues).flatMap(([id, queue]) => [
      [id, queue.url] as const,
      ...(queue.deadLetter ? [[`${id}-dlq`, queue.deadLetter.url] as const] : []),
    ]);
    await Promise.all(queues.map(async ([id, url]) => {
      try {
        const { Attributes } = await cloud.clients.sqs.send(new GetQueueAttributesCommand({
          QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }));
        queueDepths[id] = Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      } catch {
        // The emulator is stopping: leave the depth out rather than fail the write.
      }
    }));
    services[name] = {
      sourceFile: service.model.sourceFile,
      ...(service.httpUrl ? { httpUrl: service.httpUrl } : {}),
      resources: service.resources,
      functions: Object.fromEntries(Object.entries(service.host.stats()).map(([id, s]) => [id, {
        environments: s.environments, busy: s.busy, inits: s.inits, invocations: s.invocations, errors: s.errors, throttles: s.throttles,
      }])),
      queueDepths: Object.fromEntries(Object.entries(queueDepths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
  }
  return {
    version: STATE_FILE_VERSION,
    pid: process.pid,
    startedAt: startedAt.toISOString(),
    updatedAt: new Date().toISOString(),
    timeScale: cloud.timeScale.factor,
    endpoints: cloud.endpoints,
    services,
    counts: cloud.counters.snapshot(),
    recentFailures: cloud.counters.recentFailures(),
  };
}

/** Writes the file whole (a temporary file renamed over it), so a reader never sees half of it. */
export async function writeStateFile(file: string, state: LocalStateFile): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, file);
}

/** Keeps the state file current every `intervalMs` until `stop()`, which removes it. */
export function keepStateFile(cloud: LocalCloud, file: string, intervalMs = 1_000): { stop(): Promise<void>; flush(): Promise<void> } {
  const startedAt = new Date();
  let writing: Promise<void> = Promise.resolve();
  let stopped = false;
  const flush = (): Promise<void> => {
    writing = writing.then(async () => {
      if (stopped) return;
      await writeStateFile(file, await captureState(cloud, startedAt));
    }).catch((error: unknown) => {
      process.emitWarning(`could not write the local cloud's state file ${file}: ${error instanceof Error ? error.message : String(error)}`);
    });
    return writing;
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await writing;
      stopped = true;
      await rm(file, { force: true });
      await rm(`${file}.${process.pid}.tmp`, { force: true });
    },
  };
}
