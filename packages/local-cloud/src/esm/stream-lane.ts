/**
 * One ordered lane of a shard: it gathers records into batches, invokes the function and applies
 * Lambda's stream failure handling until every batch has succeeded or been given up on.
 *
 * Retry accounting (documented in `stream.ts`, tested in `packages/local-cloud/test/esm/stream*.test.ts`):
 * - every batch carries `retries`; a batch read from the shard starts at 0;
 * - a failed attempt that is tried again adds 1: the whole batch again (error with bisect off, or a
 *   single record), or the rest of the batch from the lowest reported sequence number (partial
 *   failure, with or without bisect; the records before it are done);
 * - a bisect (error, bisect on, more than one record) costs nothing: both halves inherit the
 *   failed batch's `retries`, the first half runs to its end (success or OnFailure) before the
 *   second starts;
 * - a failed attempt whose batch already has `retries == maxRetries` (not -1) exhausts it:
 *   OnFailure with `RetryAttemptsExhausted` and `approximateInvokeCount = retries + 1`;
 * - before every attempt, a batch whose oldest record is older than maxRecordAgeSeconds (scaled;
 *   not -1) goes to OnFailure with `RecordAgeExceeded` (`approximateInvokeCount = retries`).
 * - a throttled invocation is not an attempt: the same batch is invoked again after a pause.
 *
 * @internal
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { LocalClients } from '../clients.js';
import { emit, type DestinationTarget, type InvokeOutcome, type Invoker, type SequenceRange, type TimeScale, type Trace } from '../types.js';
import type { TriggerModel } from '@kiro-serverless/model/model';
import { sendToDestination } from './destinations.js';
import { judgeStreamOutcome, streamOnFailureRecord, type StreamFailureCondition } from './stream-outcome.js';
import type { BufferedStreamRecord } from './stream-record.js';
import { sleepUnlessAborted, Wakeup } from './stream-wakeup.js';

/** The settings of a DynamoDB stream trigger, from the model (defaults applied). */
export type StreamTrigger = Extract<TriggerModel, { type: 'dynamodbStream' }>;

/** First and longest pause between attempts to send an OnFailure record the emulator refused. */
const DESTINATION_RETRY_MS = { first: 100, max: 5_000 } as const;

/** What a lane needs from its mapping and shard. */
export interface StreamLaneContext {
  readonly functionId: string;
  readonly source: string;
  readonly functionArn: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly trigger: StreamTrigger;
  readonly onFailure?: DestinationTarget;
  readonly clients: Pick<LocalClients, 'sqs' | 'sns'>;
  readonly invoker: Invoker;
  readonly trace: Trace;
  readonly timeScale: TimeScale;
  /** Pause before a retry (and after a throttled invocation), in local ms. */
  readonly retryDelayMs: number;
  readonly signal: AbortSignal;
  /** The shard is closed and fully read: no record will join the lane any more. */
  readDone(): boolean;
  /** Records the filter dropped since the last batch (reported once, then reset). */
  takeFilteredOut(): number;
  /** The lane took records from its queue (the reader may read more). */
  onDequeued(): void;
}

interface Batch {
  readonly records: readonly BufferedStreamRecord[];
  readonly retries: number;
  /** Read from the shard, not a retry or a half. */
  readonly fresh: boolean;
  readonly lastRequestId?: string;
  readonly functionError?: string;
}

/** Range of `records` (at least one) for the trace. */
export function rangeOf(shardId: string, records: readonly BufferedStreamRecord[]): SequenceRange {
  return {
    shardId,
    first: records[0]?.sequenceNumber ?? '',
    last: records[records.length - 1]?.sequenceNumber ?? '',
    size: records.length,
  };
}

/** A queue of one shard's records (one partition-key lane of it) and the loop that delivers them. */
export class StreamLane {
  private readonly queue: { readonly record: BufferedStreamRecord; readonly queuedAt: number }[] = [];
  private readonly work: Batch[] = [];
  private busy = false;
  /** Nudged when records arrive, the shard is read to its end, or the mapping stops. */
  readonly wakeup: Wakeup;
  /** Sequence number of the last record done with (succeeded, filtered out or given up on). */
  checkpoint: string | undefined;

  constructor(private readonly ctx: StreamLaneContext) {
    this.wakeup = new Wakeup(ctx.signal);
  }

  /** Records waiting for a batch. */
  get queued(): number {
    return this.queue.length;
  }

  /** Nothing queued, no batch in flight or waiting to be retried. */
  get idle(): boolean {
    return this.queue.length === 0 && this.work.length === 0 && !this.busy;
  }

  push(records: readonly BufferedStreamRecord[]): void {
    const queuedAt = Date.now();
    for (const record of records) this.queue.push({ record, queuedAt });
    if (records.length > 0) this.wakeup.notify();
  }

  /** Delivers until the mapping stops, or the shard is read to its end and everything is done. */
  async run(): Promise<void> {
    while (!this.ctx.signal.aborted) {
      const batch = this.work.shift() ?? (await this.nextBatch());
      if (batch === undefined) {
        if (this.ctx.readDone() && this.queue.length === 0 && this.work.length === 0) return;
        continue;
      }
      this.busy = true;
      try {
        await this.attempt(batch);
      } finally {
        this.busy = false;
      }
    }
  }

  /** A new batch from the queue, or undefined after waiting (for records or the batching window). */
  private async nextBatch(): Promise<Batch | undefined> {
    const { batchSize, batchingWindowSeconds } = this.ctx.trigger;
    const head = this.queue[0];
    if (head === undefined) {
      if (!this.ctx.readDone()) await this.wakeup.wait();
      return undefined;
    }
    if (this.queue.length < batchSize && batchingWindowSeconds > 0 && !this.ctx.readDone()) {
      const left = head.queuedAt + this.ctx.timeScale.ms(batchingWindowSeconds) - Date.now();
      if (left > 0) {
        await this.wakeup.wait(left);
        return undefined;
      }
    }
    const records = this.queue.splice(0, batchSize).map((entry) => entry.record);
    this.ctx.onDequeued();
    return { records, retries: 0, fresh: true };
  }

  private async attempt(batch: Batch): Promise<void> {
    const { ctx } = this;
    const { trigger } = ctx;
    const range = rangeOf(ctx.shardId, batch.records);
    const common = { fn: ctx.functionId, source: ctx.source } as const;
    if (trigger.maxRecordAgeSeconds !== -1) {
      const oldest = Math.min(...batch.records.map((record) => record.createdMs));
      if (Date.now() - oldest > ctx.timeScale.ms(trigger.maxRecordAgeSeconds)) {
        await this.giveUp(batch, 'RecordAgeExceeded', batch.retries);
        return;
      }
    }
    emit(ctx.trace, { type: 'stream-batch', ...common, range, attempt: batch.retries + 1, filteredOut: batch.fresh ? ctx.takeFilteredOut() : 0 });
    const outcome = await this.invoke(batch);
    if (outcome.status === 'throttled') {
      this.work.unshift(batch);
      await sleepUnlessAborted(ctx.retryDelayMs, ctx.signal);
      return;
    }
    const verdict = judgeStreamOutcome(outcome, batch.records, trigger.reportBatchItemFailures);
    emit(ctx.trace, {
      type: 'stream-result', ...common, range, result: verdict.result,
      ...(verdict.result === 'partial' ? { failedSequence: verdict.sequenceNumber } : {}),
      ...(verdict.result === 'error' ? { error: verdict.error } : {}),
    });
    if (verdict.result === 'ok') {
      this.checkpoint = range.last;
      return;
    }
    if (verdict.result === 'partial') {
      const done = batch.records.slice(0, verdict.index);
      if (done.length > 0) this.checkpoint = done[done.length - 1]?.sequenceNumber;
      const rest = batch.records.slice(verdict.index);
      await this.retryOrGiveUp({ records: rest, retries: batch.retries, fresh: false, lastRequestId: outcome.requestId });
      return;
    }
    const failed: Batch = { ...batch, lastRequestId: outcome.requestId, functionError: verdict.functionError };
    if (trigger.bisectOnError && batch.records.length > 1) {
      const middle = Math.ceil(batch.records.length / 2);
      const first: Batch = { ...failed, records: batch.records.slice(0, middle), fresh: false };
      const second: Batch = { ...failed, records: batch.records.slice(middle), fresh: false };
      emit(ctx.trace, { type: 'stream-bisect', ...common, range, halves: [first.records.length, second.records.length] });
      this.work.unshift(first, second);
      return;
    }
    await this.retryOrGiveUp(failed);
  }

  /** The invoker's outcome; an invoker that rejects (a host fault) counts as a crashed invocation. */
  private async invoke(batch: Batch): Promise<InvokeOutcome> {
    const event = { Records: batch.records.map((r) => r.record) };
    try {
      return await this.ctx.invoker.invoke(this.ctx.functionId, event, { mode: 'poll' });
    } catch (error) {
      const errorMessage = error instanceof Error ? error.message : String(error);
      return { status: 'error', kind: 'crash', error: { errorType: 'Runtime.InvokerError', errorMessage }, requestId: randomUUID(), durationMs: 0 };
    }
  }

  private async retryOrGiveUp(failed: Batch): Promise<void> {
    const { maxRetries } = this.ctx.trigger;
    if (maxRetries !== -1 && failed.retries >= maxRetries) {
      await this.giveUp(failed, 'RetryAttemptsExhausted', failed.retries + 1);
      return;
    }
    const next: Batch = { ...failed, retries: failed.retries + 1, fresh: false };
    emit(this.ctx.trace, {
      type: 'stream-retry', fn: this.ctx.functionId, source: this.ctx.source,
      range: rangeOf(this.ctx.shardId, next.records), retry: next.retries, maxRetries,
    });
    this.work.unshift(next);
    await sleepUnlessAborted(this.ctx.retryDelayMs, this.ctx.signal);
  }

  /** OnFailure (or a visible loss without a destination), then past the batch. */
  private async giveUp(batch: Batch, condition: StreamFailureCondition, approximateInvokeCount: number): Promise<void> {
    const { ctx } = this;
    const range = rangeOf(ctx.shardId, batch.records);
    const common = { fn: ctx.functionId, source: ctx.source, range, condition } as const;
    const target = ctx.onFailure;
    if (target === undefined) {
      emit(ctx.trace, { type: 'stream-on-failure', ...common });
      this.checkpoint = range.last;
      return;
    }
    const record = streamOnFailureRecord({
      condition, approximateInvokeCount, functionArn: ctx.functionArn, streamArn: ctx.streamArn,
      shardId: ctx.shardId, records: batch.records,
      ...(batch.lastRequestId === undefined ? {} : { requestId: batch.lastRequestId }),
      ...(batch.functionError === undefined ? {} : { functionError: batch.functionError }),
    });
    for (let delay: number = DESTINATION_RETRY_MS.first; ; delay = Math.min(delay * 2, DESTINATION_RETRY_MS.max)) {
      try {
        await sendToDestination(ctx.clients, target, record);
        break;
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        if (ctx.signal.aborted) {
          emit(ctx.trace, { type: 'note', level: 'warn', text: `${ctx.functionId}: OnFailure record for ${range.shardId} ${range.first}..${range.last} NOT delivered to ${target.id} (stopped while retrying: ${why})` });
          return;
        }
        emit(ctx.trace, { type: 'note', level: 'warn', text: `${ctx.functionId}: cannot send the OnFailure record to ${target.id} (${why}); retrying in ${delay} ms, the shard waits` });
        await sleepUnlessAborted(delay, ctx.signal);
      }
    }
    emit(ctx.trace, { type: 'stream-on-failure', ...common, destination: target.id });
    this.checkpoint = range.last;
  }
}
