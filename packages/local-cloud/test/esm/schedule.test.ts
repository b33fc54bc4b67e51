/**
 * EventBridge schedules: expressions (rate and EventBridge's cron dialect through croner), rate
 * firings on the time scale, cron firings on the (fake) wall clock, fireNow and stop. The async
 * invoker is a fake that records what is queued.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AsyncEnqueueOptions } from '../../src/esm/async.js';
import {
  createSchedule, nextFiring, parseScheduleExpression, ScheduleExpressionError, type ScheduleConfig,
} from '../../src/esm/schedule.js';
import { timeScale, type TraceEvent } from '../../src/types.js';

const scale = timeScale(1 / 600); // rate(1 minute) fires every 100 ms

function setUp(overrides: Partial<ScheduleConfig> = {}) {
  const queued: { fn: string; event: ScheduledEvent; options: AsyncEnqueueOptions }[] = [];
  const trace: TraceEvent[] = [];
  const schedule = createSchedule(
    { functionId: 'nightlyReport', expression: 'rate(1 minute)', async: { maxRetries: 2, maxEventAgeSeconds: 3600 }, ...overrides },
    {
      asyncInvoker: { enqueue: (fn, event, options) => { queued.push({ fn, event: event as ScheduledEvent, options }); return `req-${queued.length}`; } },
      trace: (e) => trace.push(e),
      timeScale: scale,
    },
  );
  return { schedule, queued, trace };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('parseScheduleExpression', () => {
  it.each([
    ['rate(1 minute)', 60],
    ['rate(5 minutes)', 300],
    ['rate(2 hours)', 7200],
    ['rate(1 day)', 86_400],
    ['rate(3 days)', 259_200],
  ])('reads %s as %i seconds', (expression, seconds) => {
    expect(parseScheduleExpression(expression)).toEqual({ kind: 'rate', seconds });
  });

  it.each([
    ['cron(0 12 * * ? *)', ['2024-03-01T12:00:00.000Z', '2024-03-02T12:00:00.000Z']],
    ['cron(0 10 ? * MON-FRI *)', ['2024-03-01T10:00:00.000Z', '2024-03-04T10:00:00.000Z']],
    ['cron(0 10 ? * 2 *)', ['2024-03-04T10:00:00.000Z', '2024-03-11T10:00:00.000Z']], // 2 is Monday in EventBridge
    ['cron(15 10 ? * 6L *)', ['2024-03-29T10:15:00.000Z', '2024-04-26T10:15:00.000Z']], // last Friday
    ['cron(0 9 ? * 2#1 *)', ['2024-03-04T09:00:00.000Z', '2024-04-01T09:00:00.000Z']], // first Monday
    ['cron(0/15 * * * ? *)', ['2024-03-01T00:15:00.000Z', '2024-03-01T00:30:00.000Z']],
    ['cron(0 18 L * ? *)', ['2024-03-31T18:00:00.000Z', '2024-04-30T18:00:00.000Z']],
    ['cron(0 8 15W * ? *)', ['2024-03-15T08:00:00.000Z', '2024-04-15T08:00:00.000Z']],
    ['cron(0 0 1 1 ? 2030)', ['2030-01-01T00:00:00.000Z']],
  ])('reads %s in EventBridge’s dialect, in UTC', (expression, firings) => {
    // Arrange
    const parsed = parseScheduleExpression(expression);
    // Act
    const runs: string[] = [];
    let from = new Date('2024-03-01T00:00:00Z');
    for (let i = 0; i < firings.length; i += 1) {
      const next = nextFiring(parsed, from, scale);
      if (next === undefined) break;
      runs.push(next.toISOString());
      from = next;
    }
    // Assert
    expect(parsed.kind).toBe('cron');
    expect(runs).toEqual(firings);
  });

  it.each([
    ['rate(0 minutes)', /positive/],
    ['rate(5 weeks)', /neither/],
    ['every day', /neither/],
    ['cron(0 12 * *)', /6 fields, got 4/],
    ['cron(0 12 * * * *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(0 12 ? * ? *)', /exactly one/],
    ['cron(61 12 * * ? *)', /cron\(61 12/],
  ])('refuses %s', (expression, message) => {
    expect(() => parseScheduleExpression(expression)).toThrow(ScheduleExpressionError);
    expect(() => parseScheduleExpression(expression)).toThrow(message);
  });
});

describe('createSchedule', () => {
  it('fires a rate schedule repeatedly on the time scale, with Scheduled Events, until stopped', { timeout: 60_000 }, async () => {
    // Arrange
    const { schedule, queued, trace } = setUp();
    // Act
    schedule.start();
    expect(schedule.nextFireAt()).toBeInstanceOf(Date);
    await waitFor(() => queued.length >= 3, 'three firings');
    await schedule.stop();
    const firedBeforeStop = queued.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Assert
    expect(queued.length).toBe(firedBeforeStop);
    expect(trace.filter((e) => e.type === 'schedule-fired')).toHaveLength(firedBeforeStop);
    expect(trace[0]).toMatchObject({ type: 'schedule-fired', fn: 'nightlyReport', expression: 'rate(1 minute)' });
    for (const { fn, event, options } of queued) {
      expect(fn).toBe('nightlyReport');
      expect(options).toEqual({ async: { maxRetries: 2, maxEventAgeSeconds: 3600 } });
      expect(event).toMatchObject({
        version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', region: 'eu-west-1',
        resources: ['arn:aws:events:eu-west-1:000000000000:rule/nightlyReport-schedule'], detail: {},
      });
    }
    expect(new Set(queued.map((q) => q.event.id)).size).toBe(queued.length);
    expect(schedule.nextFireAt()).toBeUndefined();
    expect(await schedule.isIdle()).toBe(true);
  });

  it('fires a cron schedule on the wall clock, not on the time scale', async () => {
    // Arrange: one second before noon UTC
    vi.useFakeTimers({ now: new Date('2024-03-01T11:59:59Z') });
    const { schedule, queued } = setUp({ expression: 'cron(0 12 * * ? *)', rule: 'noon' });
    schedule.start();
    expect(schedule.nextFireAt()?.toISOString()).toBe('2024-03-01T12:00:00.000Z');
    // Act
    await vi.advanceTimersByTimeAsync(500);
    expect(queued).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    // Assert
    expect(queued).toHaveLength(1);
    expect(queued[0]!.event).toMatchObject({ time: '2024-03-01T12:00:00Z', resources: ['arn:aws:events:eu-west-1:000000000000:rule/noon'] });
    expect(schedule.nextFireAt()?.toISOString()).toBe('2024-03-02T12:00:00.000Z');
    await schedule.stop();
  });

  it('fires once on demand, with the trigger’s destination, and returns the request ID', () => {
    const onFailure = { kind: 'queue', id: 'reportFailures', url: 'http://q', arn: 'arn:aws:sqs:eu-west-1:000000000000:q' } as const;
    const { schedule, queued, trace } = setUp({ expression: 'cron(0 2 * * ? *)', onFailure });
    expect(schedule.fireNow()).toBe('req-1');
    expect(queued).toEqual([expect.objectContaining({ fn: 'nightlyReport', options: expect.objectContaining({ onFailure }) })]);
    expect(trace).toEqual([expect.objectContaining({ type: 'schedule-fired', expression: 'cron(0 2 * * ? *)' })]);
  });

  it('refuses a bad expression when created', () => {
    expect(() => setUp({ expression: 'rate(often)' })).toThrow(ScheduleExpressionError);
  });
});
