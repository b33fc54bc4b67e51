/**
 * Turns the local cloud's trace into readable lines: per function its INITs and warm invocations,
 * per mapping its batches, partial failures, bisect steps and retries, and every OnFailure or DLQ
 * arrival. Function log lines are shown only when asked for (`--logs`).
 *
 * @module
 */
import type { InvokeError, SequenceRange, Trace, TraceEvent } from './types.js';

export interface PrinterOptions {
  /** Where lines go. @default process.stdout */
  readonly write?: (line: string) => void;
  /** Times are printed relative to this (ms since the epoch). @default now */
  readonly startedAt?: number;
  /** Print the functions' own log lines. @default false */
  readonly logs?: boolean;
  /** Print each successful invocation (INITs, failures and everything else are always printed). @default true */
  readonly invocations?: boolean;
  /** Put before the function name (the service, when several run). */
  readonly prefix?: string;
}

const NAME_WIDTH = 20;

/** A {@link Trace} that prints each event as one line (or none, for the quiet ones). */
export function createTracePrinter(options: PrinterOptions = {}): Trace {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const startedAt = options.startedAt ?? Date.now();
  const prefix = options.prefix ? `${options.prefix}/` : '';
  /** Environments that have served an invocation: a later one in the same environment is warm. */
  const served = new Set<string>();

  const line = (event: TraceEvent, who: string, text: string): void => {
    const seconds = ((event.at - startedAt) / 1000).toFixed(2).padStart(7);
    write(`${seconds}s  ${`${prefix}${who}`.padEnd(NAME_WIDTH)}  ${text}`);
  };

  return (event) => {
    switch (event.type) {
      case 'init':
        line(event, event.fn, event.error
          ? `INIT failed after ${ms(event.durationMs)} in ${event.environmentId}: ${errorText(event.error)}`
          : `INIT ${ms(event.durationMs)} (${event.environmentId}${event.provisioned ? ', provisioned' : ''})`);
        return;
      case 'invoke': {
        const { outcome } = event;
        if (outcome.status === 'throttled') {
          line(event, event.fn, `throttled (${event.mode}): reserved concurrency reached`);
          return;
        }
        const env = outcome.environmentId ?? '-';
        const warmth = served.has(`${event.fn}/${env}`) ? 'warm' : 'cold';
        served.add(`${event.fn}/${env}`);
        if (outcome.status === 'ok') {
          if (options.invocations !== false) line(event, event.fn, `invoke ok ${ms(outcome.durationMs)} (${env}, ${warmth})`);
          return;
        }
        line(event, event.fn, `invoke ${outcome.kind === 'function' ? 'error' : outcome.kind} ${ms(outcome.durationMs)} (${env}, ${warmth}): ${errorText(outcome.error)}`);
        return;
      }
      case 'log':
        if (options.logs) line(event, event.fn, `│ ${event.text.trimEnd()}`);
        return;
      case 'environment-ended':
        if (event.reason !== 'shutdown') line(event, event.fn, `environment ${event.environmentId} ended (${event.reason})`);
        return;
      case 'stream-batch':
        line(event, event.fn, `stream ${event.source}: batch of ${event.range.size} ${rangeText(event.range)}` +
          `${event.attempt > 1 ? `, attempt ${event.attempt}` : ''}${event.filteredOut > 0 ? ` (${event.filteredOut} filtered out)` : ''}`);
        return;
      case 'stream-result':
        if (event.result === 'partial') line(event, event.fn, `stream ${event.source}: partial failure at ${short(event.failedSequence)}; checkpoint before it, retry from it`);
        else if (event.result === 'error') line(event, event.fn, `stream ${event.source}: batch failed${event.error ? `: ${errorText(event.error)}` : ''}`);
        return;
      case 'stream-bisect':
        line(event, event.fn, `stream ${event.source}: bisect ${event.range.size} → ${event.halves[0]} + ${event.halves[1]}`);
        return;
      case 'stream-retry':
        line(event, event.fn, `stream ${event.source}: retry ${event.retry} of ${event.maxRetries} ${rangeText(event.range)}`);
        return;
      case 'stream-on-failure':
        line(event, event.fn, event.destination
          ? `stream ${event.source}: ${event.condition}: OnFailure record → ${event.destination} ${rangeText(event.range)}; shard moves on`
          : `stream ${event.source}: ${event.condition} with no OnFailure destination: ${event.range.size} record(s) skipped (lost)`);
        return;
      case 'sqs-batch':
        if (options.invocations !== false) line(event, event.fn, `sqs ${event.source}: batch of ${event.size}`);
        return;
      case 'sqs-result':
        if (event.result === 'partial') line(event, event.fn, `sqs ${event.source}: ${event.failedIds.length} failed (${event.failedIds.map(short).join(', ')}), ${event.deleted} deleted`);
        else if (event.result === 'error') line(event, event.fn, `sqs ${event.source}: whole batch failed, returns after the visibility timeout${event.error ? `: ${errorText(event.error)}` : ''}`);
        return;
      case 'dlq-arrival':
        line(event, event.deadLetterQueue, `← message ${short(event.messageId)} from ${event.source} (maxReceiveCount reached)`);
        return;
      case 'async-attempt':
        if (event.result === 'error') line(event, event.fn, `async attempt ${event.attempt}/${event.maxAttempts} failed: ${event.error ? errorText(event.error) : 'error'}`);
        return;
      case 'async-retry':
        line(event, event.fn, `async retry ${event.nextAttempt} in ${ms(event.delayMs)}`);
        return;
      case 'async-on-failure':
        line(event, event.fn, event.destination
          ? `async ${event.condition}: OnFailure record → ${event.destination}`
          : `async ${event.condition} with no OnFailure destination: event dropped (lost)`);
        return;
      case 'schedule-fired':
        line(event, event.fn, `schedule ${event.expression} fired`);
        return;
      case 'http':
        line(event, event.fn ?? 'http', `${event.method} ${event.path} → ${event.status} ${ms(event.durationMs)}`);
        return;
      case 'note':
        write(`${event.level === 'warn' ? 'warning: ' : ''}${event.text}`);
        return;
    }
  };
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function errorText(error: InvokeError): string {
  return `${error.errorType}: ${error.errorMessage}`.slice(0, 200);
}

/** Long IDs and sequence numbers, shortened to their last 8 characters. */
function short(id: string | undefined): string {
  if (id === undefined) return '?';
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

function rangeText(range: SequenceRange): string {
  return `[${short(range.first)}..${short(range.last)}]`;
}
