/**
 * The DynamoDB Streams event-source mapping of the local cloud: it reads a table's stream from
 * DynamoDB Local and invokes a function with Lambda's semantics.
 *
 * - Shards: DescribeStream (paginated) at start, when a shard closes and every few seconds; a child
 *   shard starts only once its parent is finished. `trimHorizon` reads every shard from its start;
 *   `latest` reads the open shards from now (closed ones are skipped); shards that appear later are
 *   read from their start.
 * - Records reach the function in order per shard, as a `DynamoDBStreamEvent` (see
 *   `stream-record.ts`); records the trigger's filter rejects are dropped before batching and count
 *   as processed (`filteredOut` of the next `stream-batch`).
 * - Batches hold up to `batchSize` records; with a batching window, a lane waits up to the window
 *   (scaled), counted from the arrival of its oldest waiting record, for a full batch.
 * - Failure handling, retry counting, bisect and OnFailure: see `stream-lane.ts`. In short, a split
 *   is free and its halves inherit the failed batch's retry count; a retry of the whole batch or of
 *   the rest from a partial failure adds one; `maxRetries` bounds the count (-1: until the record
 *   age runs out); the OnFailure record carries `approximateInvokeCount = retries + 1`.
 * - Parallelization factor N > 1: each shard has N lanes, records go to a lane by a hash of their
 *   partition key; each lane is ordered and runs one batch at a time, lanes run concurrently.
 *
 * @example
 * const mapping = createStreamMapping(
 *   { functionId: 'publishOrderEvents', tableId: 'orders', tableName, streamArn, trigger: fn.trigger, onFailure },
 *   { clients, invoker: host, trace, timeScale: timeScale() },
 * );
 * mapping.start();
 * // ... later
 * await mapping.stop();
 *
 * @module
 */
import { DescribeStreamCommand, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type LocalClients } from '../clients.js';
import { emit, type DestinationTarget, type EngineComponent, type Invoker, type TimeScale, type Trace } from '../types.js';
import { compileFilter } from './filter.js';
import type { StreamTrigger } from './stream-lane.js';
import { StreamShard, type ShardStart, type StreamShardContext } from './stream-shard.js';
import { sleepUnlessAborted, Wakeup } from './stream-wakeup.js';

export type { StreamTrigger } from './stream-lane.js';

/** Pause between GetRecords calls of a shard that came back empty, in local ms. */
export const DEFAULT_STREAM_POLL_INTERVAL_MS = 100;
/** How often the shard list is read again when nothing else asks for it. */
const DISCOVER_INTERVAL_MS = 5_000;
/** How long `isIdle()` waits for a fresh GetRecords of every shard before answering `false`. */
const IDLE_POLL_TIMEOUT_MS = 5_000;

/** What to map: one function, one table's stream. */
export interface StreamMappingConfig {
  readonly functionId: string;
  /** The table's ID in the model: the `source` of trace events. */
  readonly tableId: string;
  readonly tableName: string;
  /** The stream's ARN as DynamoDB Local gives it (used for the API calls and as `eventSourceARN`). */
  readonly streamArn: string;
  readonly trigger: StreamTrigger;
  /** Where exhausted batches are reported. @default none: they are skipped (a `stream-on-failure` trace without destination) */
  readonly onFailure?: DestinationTarget;
  /** `functionArn` of OnFailure records. @default `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionId}` */
  readonly functionArn?: string;
}

/** What the mapping uses. */
export interface StreamMappingDeps {
  readonly clients: Pick<LocalClients, 'streams' | 'sqs' | 'sns'>;
  readonly invoker: Invoker;
  readonly trace: Trace;
  readonly timeScale: TimeScale;
  /** Pause after an empty GetRecords, in local ms. @default DEFAULT_STREAM_POLL_INTERVAL_MS */
  readonly pollIntervalMs?: number;
  /** Pause before a retried batch (and after a throttled invocation), in local ms. @default pollIntervalMs */
  readonly retryDelayMs?: number;
}

/**
 * Creates the mapping; nothing runs until `start()`. Throws `FilterPatternError` when the trigger's
 * filter is not a valid pattern.
 */
export function createStreamMapping(config: StreamMappingConfig, deps: StreamMappingDeps): EngineComponent {
  const filter = config.trigger.filter === undefined ? undefined : compileFilter(config.trigger.filter);
  const pollIntervalMs = deps.pollIntervalMs ?? DEFAULT_STREAM_POLL_INTERVAL_MS;
  const abort = new AbortController();
  const signal = abort.signal;
  const discoverWakeup = new Wakeup(signal);
  const shards = new Map<string, StreamShard>();
  const running: Promise<void>[] = [];
  let started = false;
  let discovered = false;
  let partitionKeyName: string | undefined;

  const shardContext = (): StreamShardContext => ({
    functionId: config.functionId,
    source: config.tableId,
    functionArn: config.functionArn ?? `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${config.functionId}`,
    streamArn: config.streamArn,
    trigger: config.trigger,
    ...(config.onFailure === undefined ? {} : { onFailure: config.onFailure }),
    clients: deps.clients,
    invoker: deps.invoker,
    trace: deps.trace,
    timeScale: deps.timeScale,
    retryDelayMs: deps.retryDelayMs ?? pollIntervalMs,
    signal,
    streams: deps.clients.streams,
    ...(filter === undefined ? {} : { filter }),
    region: LOCAL_REGION,
    ...(partitionKeyName === undefined ? {} : { partitionKeyName }),
    pollIntervalMs,
  });

  async function describe(): Promise<Shard[]> {
    const listed: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription: description } = await deps.clients.streams.send(new DescribeStreamCommand({
        StreamArn: config.streamArn,
        ...(exclusiveStartShardId === undefined ? {} : { ExclusiveStartShardId: exclusiveStartShardId }),
      }));
      listed.push(...(description?.Shards ?? []));
      partitionKeyName ??= description?.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
      exclusiveStartShardId = description?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    return listed;
  }

  /** Adds the shards not seen before, parents before children, and starts their readers. */
  async function discover(): Promise<void> {
    const listed = (await describe()).filter((shard) => shard.ShardId !== undefined && !shards.has(shard.ShardId));
    const listedIds = new Set(listed.map((shard) => shard.ShardId));
    const first = !discovered;
    const context = shardContext();
    let pending = listed;
    while (pending.length > 0) {
      const ready = pending.filter((shard) => shard.ParentShardId === undefined || !listedIds.has(shard.ParentShardId) || shards.has(shard.ParentShardId));
      if (ready.length === 0) break; // a parent cycle cannot happen; do not loop on bad data
      for (const shard of ready) {
        const id = shard.ShardId ?? '';
        const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
        const start: ShardStart = first && config.trigger.startingPosition === 'latest' ? (closed ? 'SKIP' : 'LATEST') : 'TRIM_HORIZON';
        const parent = shard.ParentShardId === undefined ? undefined : shards.get(shard.ParentShardId);
        const created = new StreamShard(id, parent, start, context);
        shards.set(id, created);
        running.push(created.run().then(() => discoverWakeup.notify()));
      }
      pending = pending.filter((shard) => !ready.includes(shard));
    }
    discovered = true;
  }

  async function discoverLoop(): Promise<void> {
    let lastWarning = '';
    while (!signal.aborted) {
      try {
        await discover();
        lastWarning = '';
        await discoverWakeup.wait(DISCOVER_INTERVAL_MS);
      } catch (error) {
        const text = `${config.functionId}: DescribeStream of ${config.tableName} failed (${error instanceof Error ? error.message : String(error)}); trying again`;
        if (text !== lastWarning) emit(deps.trace, { type: 'note', level: 'warn', text });
        lastWarning = text;
        await sleepUnlessAborted(pollIntervalMs * 5, signal);
      }
    }
  }

  const allIdle = (): boolean => discovered && [...shards.values()].every((shard) => shard.idle);

  return {
    id: `stream:${config.tableId}->${config.functionId}`,
    start() {
      if (started) return;
      started = true;
      running.push(discoverLoop());
    },
    async stop() {
      abort.abort();
      // Readers and lanes end their current step (a running invocation included); `running` may grow meanwhile.
      for (let settled = 0; settled < running.length;) {
        const pending = running.slice(settled);
        settled = running.length;
        await Promise.allSettled(pending);
      }
    },
    async isIdle() {
      if (signal.aborted) return true;
      if (!started || !allIdle()) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), IDLE_POLL_TIMEOUT_MS)));
      const polled = Promise.all([...shards.values()].map((shard) => shard.freshPoll())).then(() => false);
      const late = await Promise.race([polled, timedOut]);
      clearTimeout(timer);
      return !late && allIdle();
    },
  };
}
