/**
 * One shard of a DynamoDB stream as the mapping reads it: GetShardIterator, then a GetRecords loop
 * (a short pause when a read comes back empty), records converted to Lambda's shape, filtered, and
 * queued on the shard's lanes (one lane, or one per partition-key hash with a parallelization
 * factor above 1). An expired iterator is replaced AFTER_SEQUENCE_NUMBER of the last record read;
 * a trimmed one from TRIM_HORIZON. The shard is finished when it is closed (no next iterator), read
 * to its end and every lane is done; only then do its children start.
 *
 * @internal
 * @module
 */
import {
  GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { emit } from '../types.js';
import type { FilterMatcher } from './filter.js';
import { StreamLane, type StreamLaneContext } from './stream-lane.js';
import { toLambdaStreamRecord, type BufferedStreamRecord } from './stream-record.js';
import { sleepUnlessAborted, Wakeup } from './stream-wakeup.js';

/** Most records one GetRecords call returns (DynamoDB Streams' limit). */
const GET_RECORDS_LIMIT = 1_000;
/** Pause after a failed call to DynamoDB Local before trying again. */
const READ_ERROR_BACKOFF_MS = 500;

/** Where a shard's first iterator starts: `SKIP` = a closed shard that LATEST leaves out. */
export type ShardStart = 'TRIM_HORIZON' | 'LATEST' | 'SKIP';

/** What a shard needs from its mapping (the lanes' context, minus what the shard provides). */
export interface StreamShardContext extends Omit<StreamLaneContext, 'shardId' | 'readDone' | 'takeFilteredOut' | 'onDequeued'> {
  readonly streams: DynamoDBStreamsClient;
  readonly filter?: FilterMatcher;
  readonly region: string;
  readonly partitionKeyName?: string;
  readonly pollIntervalMs: number;
}

/** FNV-1a: a stable lane for a partition key. */
function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % lanes;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'Error');
const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A shard: its reader loop and its lanes. */
export class StreamShard {
  readonly lanes: readonly StreamLane[];
  /** Has an iterator (or was skipped): records written from now on will be read. */
  started = false;
  /** The last GetRecords came back empty. */
  caughtUp = false;
  /** Closed and read to its end. */
  readDone = false;
  finished = false;
  /** Sequence number of the last record read (the resume point of a new iterator). */
  lastRead: string | undefined;
  private filteredOut = 0;
  private trimmed = false;
  private pollsStarted = 0;
  private readonly pollWaiters: { need: number; resolve: () => void }[] = [];
  private readonly readerWakeup: Wakeup;
  private readonly finishedPromise: Promise<void>;
  private resolveFinished!: () => void;

  constructor(
    readonly id: string,
    readonly parent: StreamShard | undefined,
    private readonly start: ShardStart,
    private readonly ctx: StreamShardContext,
  ) {
    this.readerWakeup = new Wakeup(ctx.signal);
    this.finishedPromise = new Promise((resolve) => (this.resolveFinished = resolve));
    const laneContext: StreamLaneContext = {
      ...ctx,
      shardId: id,
      readDone: () => this.readDone,
      takeFilteredOut: () => {
        const count = this.filteredOut;
        this.filteredOut = 0;
        return count;
      },
      onDequeued: () => this.readerWakeup.notify(),
    };
    this.lanes = Array.from({ length: Math.max(1, ctx.trigger.parallelization) }, () => new StreamLane(laneContext));
  }

  /** Resolves when the shard is finished (or the mapping stops). */
  whenFinished(): Promise<void> {
    return this.finishedPromise;
  }

  /** Nothing queued or in flight in any lane, and the shard is read to its end or caught up. */
  get idle(): boolean {
    if (this.finished) return true;
    return this.started && (this.readDone || this.caughtUp) && this.lanes.every((lane) => lane.idle);
  }

  /** Resolves after a GetRecords that starts after this call has completed (or the reader ends). */
  freshPoll(): Promise<void> {
    if (this.readDone || this.finished || this.ctx.signal.aborted) return Promise.resolve();
    const need = this.pollsStarted + 1;
    const promise = new Promise<void>((resolve) => this.pollWaiters.push({ need, resolve }));
    this.readerWakeup.notify();
    return promise;
  }

  /** Waits for the parent, reads to the end (or until stopped), waits for the lanes; never rejects. */
  async run(): Promise<void> {
    try {
      if (this.parent !== undefined) await Promise.race([this.parent.whenFinished(), this.aborted()]);
      if (this.ctx.signal.aborted) return;
      if (this.start === 'SKIP') {
        this.started = true;
        this.readDone = true;
        return;
      }
      const lanes = this.lanes.map((lane) => lane.run());
      await this.read();
      this.readDone = true;
      this.releasePollWaiters(Number.POSITIVE_INFINITY);
      for (const lane of this.lanes) lane.wakeup.notify();
      await Promise.all(lanes);
    } catch (error) {
      emit(this.ctx.trace, { type: 'note', level: 'warn', text: `${this.ctx.functionId}: shard ${this.id} stopped on an unexpected error: ${errorText(error)}` });
    } finally {
      if (!this.ctx.signal.aborted) this.finished = true;
      this.releasePollWaiters(Number.POSITIVE_INFINITY);
      this.resolveFinished();
    }
  }

  private aborted(): Promise<void> {
    return new Wakeup(this.ctx.signal).wait();
  }

  private async iterator(): Promise<string | undefined> {
    const type: ShardIteratorType = this.lastRead !== undefined ? 'AFTER_SEQUENCE_NUMBER'
      : this.start === 'LATEST' && !this.trimmed ? 'LATEST' : 'TRIM_HORIZON';
    const result = await this.ctx.streams.send(new GetShardIteratorCommand({
      StreamArn: this.ctx.streamArn,
      ShardId: this.id,
      ShardIteratorType: type,
      ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: this.lastRead } : {}),
    }));
    return result.ShardIterator;
  }

  private async read(): Promise<void> {
    const { ctx } = this;
    const highWater = Math.max(2 * ctx.trigger.batchSize, GET_RECORDS_LIMIT);
    let iterator: string | undefined;
    let lastWarning = '';
    while (!ctx.signal.aborted) {
      if (this.lanes.reduce((sum, lane) => sum + lane.queued, 0) >= highWater) {
        await this.readerWakeup.wait(ctx.pollIntervalMs);
        continue;
      }
      const poll = ++this.pollsStarted;
      let empty = false;
      try {
        iterator ??= await this.iterator();
        this.started = true;
        if (iterator === undefined) return;
        const result = await ctx.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }));
        const records = result.Records ?? [];
        this.accept(records.map((record) => toLambdaStreamRecord(record, {
          streamArn: ctx.streamArn, region: ctx.region,
          ...(ctx.partitionKeyName === undefined ? {} : { partitionKeyName: ctx.partitionKeyName }),
        })));
        empty = records.length === 0;
        this.caughtUp = empty;
        iterator = result.NextShardIterator;
        if (iterator === undefined) return;
        lastWarning = '';
      } catch (error) {
        const name = errorName(error);
        iterator = undefined;
        // A failed read says nothing about the end of the shard: not caught up until a read succeeds
        // (else isIdle() would answer from an earlier empty read; DynamoDB Local answers a read after a
        // first write to an empty shard with TrimmedDataAccessException when other tables were written).
        this.caughtUp = false;
        if (name === 'TrimmedDataAccessException') {
          // The records after the last one read are gone: go on from the oldest that is left.
          this.lastRead = undefined;
          this.trimmed = true;
        }
        if (name !== 'ExpiredIteratorException' && name !== 'TrimmedDataAccessException') {
          const text = `${ctx.functionId}: reading shard ${this.id} failed (${errorText(error)}); trying again`;
          if (text !== lastWarning) emit(ctx.trace, { type: 'note', level: 'warn', text });
          lastWarning = text;
          await sleepUnlessAborted(READ_ERROR_BACKOFF_MS, ctx.signal);
        }
      } finally {
        this.releasePollWaiters(poll);
      }
      if (empty) await this.readerWakeup.wait(ctx.pollIntervalMs);
    }
  }

  private accept(records: readonly BufferedStreamRecord[]): void {
    const perLane = this.lanes.map((): BufferedStreamRecord[] => []);
    for (const record of records) {
      this.lastRead = record.sequenceNumber;
      if (this.ctx.filter !== undefined && !this.ctx.filter(record.record)) {
        this.filteredOut++;
        continue;
      }
      perLane[this.lanes.length === 1 ? 0 : laneOf(record.partitionKey, this.lanes.length)]?.push(record);
    }
    this.lanes.forEach((lane, index) => lane.push(perLane[index] ?? []));
  }

  private releasePollWaiters(done: number): void {
    for (let index = this.pollWaiters.length - 1; index >= 0; index--) {
      const waiter = this.pollWaiters[index];
      if (waiter !== undefined && waiter.need <= done) {
        this.pollWaiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }
}
