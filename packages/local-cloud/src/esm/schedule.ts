/**
 * EventBridge schedules of the local cloud: each firing queues a Scheduled Event (see
 * `packages/events/src/schedule.ts`) for the function in the async invoker, as EventBridge invokes
 * Lambda asynchronously.
 *
 * - `rate(N minute|minutes|hour|hours|day|days)` fires every N units of AWS time, scaled by the
 *   {@link TimeScale} (`rate(5 minutes)` fires every 5 s at the default 1/60), the first time one
 *   period after `start()`, as a new rule does.
 * - `cron(minutes hours day-of-month month day-of-week year)` fires on the wall clock, in UTC, as
 *   EventBridge does: the time scale does not apply to a point in calendar time. The fields are
 *   EventBridge's: day-of-week 1-7 is SUN-SAT, one of day-of-month and day-of-week must be `?`,
 *   `L`, `W`, `#` and `a/b` steps are allowed. Evaluated by croner (7-part mode, Quartz weekday
 *   numbering, `5L` written as croner's `5#L`).
 * - `fireNow()` fires once at once (the synthetic run and the demo use it).
 *
 * @module
 */
import { Cron } from 'croner';
import type { AsyncConfig } from '@kiro-serverless/model/model';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../clients.js';
import { scheduledEvent } from '@kiro-serverless/events/schedule';
import { emit, type DestinationTarget, type EngineComponent, type TimeScale, type Trace } from '../types.js';
import type { AsyncInvoker } from './async.js';

/** Seconds in one unit of a rate expression. */
export const RATE_UNIT_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;

/** A parsed schedule expression. */
export type ScheduleExpression =
  | { readonly kind: 'rate'; readonly seconds: number }
  | { readonly kind: 'cron'; /** The expression as a croner 7-part pattern (seconds first). */ readonly pattern: string };

/** Thrown for an expression EventBridge would not accept. */
export class ScheduleExpressionError extends Error {
  constructor(readonly expression: string, readonly reason: string, options?: ErrorOptions) {
    super(`schedule expression "${expression}": ${reason}. Use rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)`, options);
    this.name = 'ScheduleExpressionError';
  }
}

const CRONER_OPTIONS = { timezone: 'UTC', mode: '7-part', alternativeWeekdays: true, sloppyRanges: true } as const;

/** Reads an EventBridge `rate(...)` or `cron(...)` expression. Throws {@link ScheduleExpressionError}. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) throw new ScheduleExpressionError(expression, 'the rate must be a positive whole number');
    const unit = (rate[2] ?? '').replace(/s$/, '') as keyof typeof RATE_UNIT_SECONDS;
    return { kind: 'rate', seconds: value * RATE_UNIT_SECONDS[unit] };
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (!cron) throw new ScheduleExpressionError(expression, 'it is neither rate(...) nor cron(...)');
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError(expression, `cron takes 6 fields, got ${fields.length}`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleExpressionError(expression, 'exactly one of day-of-month and day-of-week must be ?');
  }
  // EventBridge's "last <weekday> of the month" is `5L`; croner's is `5#L`. A bare `L` is the week's last day.
  const weekday = dayOfWeek.replace(/^([0-7A-Za-z]+)L$/, '$1#L').replace(/^L$/, '7');
  const pattern = ['0', minutes, hours, dayOfMonth, month, weekday, year].join(' ');
  try {
    new Cron(pattern, { ...CRONER_OPTIONS, paused: true }).stop();
  } catch (error) {
    throw new ScheduleExpressionError(expression, error instanceof Error ? error.message : String(error), { cause: error });
  }
  return { kind: 'cron', pattern };
}

/** The next time `expression` fires after `from`; for a rate, one scaled period later. */
export function nextFiring(expression: ScheduleExpression, from: Date, scale: TimeScale): Date | undefined {
  if (expression.kind === 'rate') return new Date(from.getTime() + scale.ms(expression.seconds));
  return new Cron(expression.pattern, { ...CRONER_OPTIONS, paused: true }).nextRun(from) ?? undefined;
}

/** One function's schedule trigger. */
export interface ScheduleConfig {
  readonly functionId: string;
  /** `rate(...)` or `cron(...)`, as in the model. */
  readonly expression: string;
  /** The rule's name in the event's `resources`. @default `<functionId>-schedule` */
  readonly rule?: string;
  readonly async: Pick<AsyncConfig, 'maxRetries' | 'maxEventAgeSeconds'>;
  /** The resolved OnFailure destination. @default none */
  readonly onFailure?: DestinationTarget;
}

/** What a schedule runs on. */
export interface ScheduleDeps {
  readonly asyncInvoker: Pick<AsyncInvoker, 'enqueue'>;
  readonly trace: Trace;
  readonly timeScale: TimeScale;
}

/** A schedule: an engine component that can also fire on demand. */
export interface Schedule extends EngineComponent {
  /** Fires once now, whether started or not; returns the async request ID. */
  fireNow(): string;
  /** When it fires next, while started. */
  nextFireAt(): Date | undefined;
}

/**
 * Creates the schedule. The expression is checked at once (throws {@link ScheduleExpressionError}).
 * A schedule holds no work itself (its events are in the async invoker), so it is always idle.
 *
 * @example
 * const schedule = createSchedule({ functionId: 'nightlyReport', expression: 'rate(5 minutes)', async: fn.trigger.async },
 *   { asyncInvoker, trace, timeScale });
 * schedule.start();
 * schedule.fireNow();
 */
export function createSchedule(config: ScheduleConfig, deps: ScheduleDeps): Schedule {
  const parsed = parseScheduleExpression(config.expression);
  const rule = config.rule ?? `${config.functionId}-schedule`;
  const options = { async: config.async, ...(config.onFailure === undefined ? {} : { onFailure: config.onFailure }) };
  let timer: NodeJS.Timeout | undefined;
  let job: Cron | undefined;
  let next: Date | undefined;

  function fire(at: Date): string {
    emit(deps.trace, { type: 'schedule-fired', fn: config.functionId, expression: config.expression });
    const event = scheduledEvent({ rule, time: at, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID });
    return deps.asyncInvoker.enqueue(config.functionId, event, options);
  }

  function fireSafely(at: Date): void {
    try {
      fire(at);
    } catch (error) {
      emit(deps.trace, { type: 'note', level: 'warn', text: `${config.functionId}: schedule ${config.expression} could not queue its event (${String(error)})` });
    }
  }

  /** Rates keep to start + k periods, so a slow firing does not shift the ones after it. */
  function armRate(periodMs: number, due: number): void {
    next = new Date(due);
    timer = setTimeout(() => {
      fireSafely(new Date(due));
      armRate(periodMs, Math.max(due + periodMs, Date.now()));
    }, Math.max(0, due - Date.now()));
  }

  return {
    id: `schedule:${config.functionId}`,
    start() {
      if (timer !== undefined || job !== undefined) return;
      if (parsed.kind === 'rate') {
        const periodMs = Math.max(1, deps.timeScale.ms(parsed.seconds));
        armRate(periodMs, Date.now() + periodMs);
        return;
      }
      job = new Cron(parsed.pattern, { ...CRONER_OPTIONS, catch: true }, () => fireSafely(new Date()));
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      job?.stop();
      job = undefined;
      next = undefined;
    },
    async isIdle() {
      return true;
    },
    fireNow() {
      return fire(new Date());
    },
    nextFireAt() {
      if (job !== undefined) return job.nextRun() ?? undefined;
      return next;
    },
  };
}
