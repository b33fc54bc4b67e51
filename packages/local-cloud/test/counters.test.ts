import { describe, expect, it } from 'vitest';
import { createCounters, RECENT_FAILURES_LIMIT } from '../src/counters.js';
import type { TraceEvent } from '../src/types.js';

const range = { shardId: 'shard-1', first: '100', last: '199', size: 100 };
const error = { errorType: 'PoisonOrderError', errorMessage: 'order o-9 is poison' };

describe('the local cloud\'s recent failures', () => {
  it('lists failed INITs, invocations, batches, DLQ arrivals and OnFailure records, and nothing that went well', () => {
    const counters = createCounters();
    const events: TraceEvent[] = [
      { at: 1, type: 'invoke', fn: 'a', mode: 'sync', outcome: { status: 'ok', response: null, requestId: 'r0', environmentId: 'e', durationMs: 1 } },
      { at: 2, type: 'init', fn: 'a', environmentId: 'e1', durationMs: 5, provisioned: false, error: { errorType: 'Runtime.ImportModuleError', errorMessage: 'no module' } },
      { at: 3, type: 'invoke', fn: 'b', mode: 'poll', outcome: { status: 'error', kind: 'function', error, requestId: 'r1', environmentId: 'e2', durationMs: 3 } },
      { at: 4, type: 'stream-result', fn: 'b', source: 'orders', range, result: 'partial', failedSequence: '150' },
      { at: 5, type: 'sqs-result', fn: 'c', source: 'fulfilment', deleted: 9, failedIds: ['m1'], result: 'partial' },
      { at: 6, type: 'dlq-arrival', source: 'fulfilment', deadLetterQueue: 'orders-fulfilment-dlq', messageId: 'm1' },
      { at: 7, type: 'stream-on-failure', fn: 'b', source: 'orders', range, condition: 'RetryAttemptsExhausted', destination: 'orderStreamFailures' },
      { at: 8, type: 'async-on-failure', fn: 'd', eventId: 'ev1', condition: 'RetriesExhausted' },
      { at: 9, type: 'sqs-result', fn: 'c', source: 'fulfilment', deleted: 10, failedIds: [], result: 'ok' },
    ];
    for (const e of events) counters.trace(e);
    expect(counters.recentFailures().map((f) => [f.kind, f.fn ?? f.source, f.message])).toEqual([
      ['init', 'a', 'INIT failed in environment e1: Runtime.ImportModuleError: no module'],
      ['invocation', 'b', 'poll invocation failed (function): PoisonOrderError: order o-9 is poison'],
      ['stream-batch', 'b', 'batch of 100 record(s) from shard-1 reported item failures from sequence 150'],
      ['sqs-batch', 'c', '1 message(s) of the batch failed and return to the queue: m1'],
      ['dead-letter', 'fulfilment', 'message m1 moved to the dead-letter queue orders-fulfilment-dlq (maxReceiveCount reached)'],
      ['on-failure', 'b', 'RetryAttemptsExhausted: batch 100..199 of shard-1 sent to orderStreamFailures'],
      ['on-failure', 'd', 'RetriesExhausted: event ev1 dropped (no OnFailure destination)'],
    ]);
    expect(counters.recentFailures()[1]).toMatchObject({ at: new Date(3).toISOString(), requestId: 'r1', errorType: 'PoisonOrderError' });
  });

  it(`keeps the last ${RECENT_FAILURES_LIMIT}, oldest first, with long messages cut`, () => {
    const counters = createCounters();
    for (let i = 0; i < RECENT_FAILURES_LIMIT + 7; i++) {
      counters.trace({ at: i, type: 'invoke', fn: 'f', mode: 'event', outcome: { status: 'error', kind: 'function', error: { errorType: 'E', errorMessage: `n${i} ${'x'.repeat(i === RECENT_FAILURES_LIMIT + 6 ? 2_000 : 0)}` }, requestId: `r${i}`, durationMs: 1 } });
    }
    const failures = counters.recentFailures();
    expect(failures).toHaveLength(RECENT_FAILURES_LIMIT);
    expect(failures[0]?.requestId).toBe('r7');
    expect(failures.at(-1)?.message.length).toBeLessThan(600);
    expect(failures.at(-1)?.message).toMatch(/more characters\)$/);
  });
});
