/** Error handling per invocation type: streams, queues, asynchronous triggers, schedules and HTTP routes. */
import { LAMBDA_LIMITS, PRACTICE_LIMITS, STREAM_FILTER_FIELDS } from '../constants.js';
import { didYouMean, listOf, valueText } from '../findings.js';
import { asyncConfigOf, consumersOf } from '../model.js';
import type { Rule, RuleContext } from './context.js';

export const streamConsumers: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.model.functions)) {
    const t = fn.trigger;
    if (t.type !== 'dynamodbStream') continue;
    const p = ['functions', fnId, 'trigger', 'dynamodbStream'];
    const table = ctx.model.tables[t.table];
    if (table !== undefined && table.stream === undefined) {
      ctx.report({
        rule: 'SPEC-STREAM-DISABLED', path: [...p, 'table'], target: 'value',
        message: `\`${fnId}\` consumes the stream of table \`${t.table}\`, which has no stream.`,
        fix: `Add \`stream: newAndOldImages\` (or the view the consumer needs) to table \`${t.table}\`.`,
      });
    } else if (table?.stream !== undefined) {
      const key = fn.idempotency && 'key' in fn.idempotency ? fn.idempotency.key : '';
      const needs = /^dynamodb\.NewImage\b/.test(key) ? 'newImage' : /^dynamodb\.OldImage\b/.test(key) ? 'oldImage' : undefined;
      if (needs && table.stream !== 'newAndOldImages' && table.stream !== needs) {
        ctx.report({
          rule: 'SPEC-STREAM-DISABLED', path: ['functions', fnId, 'idempotency', 'key'], target: 'value',
          message: `The idempotency key of \`${fnId}\` reads ${needs === 'newImage' ? 'NewImage' : 'OldImage'}, but the stream of \`${t.table}\` carries \`${table.stream}\`.`,
          fix: `Set \`stream: newAndOldImages\` on table \`${t.table}\`, or key on \`dynamodb.Keys...\`.`,
        });
      }
    }
    if (t.onFailure === undefined) {
      ctx.report({
        rule: 'LBP-ERR-STREAM-ONFAILURE', path: [...p, 'onFailure'],
        message: `Stream consumer \`${fnId}\` has no onFailure destination: a batch whose retries or record age run out is skipped without a trace.`,
        fix: `Add \`onFailure: <queue>\` under dynamodbStream and declare that queue under \`queues:\` (e.g. \`${fnId}Failures: {}\`).`,
      });
    }
    if (t.maxRetries === -1) {
      ctx.report({
        rule: 'LBP-ERR-STREAM-RETRIES', path: [...p, 'maxRetries'], target: 'value',
        message: `Stream consumer \`${fnId}\` retries without limit: one poison record blocks its shard until the record expires (24 h).`,
        fix: 'Set `maxRetries` to a small number (e.g. 3); exhausted batches go to onFailure.',
      });
    }
    if (t.maxRecordAgeSeconds === -1) {
      ctx.report({
        rule: 'LBP-ERR-STREAM-RETRIES', path: [...p, 'maxRecordAgeSeconds'], target: 'value',
        message: `Stream consumer \`${fnId}\` has no maximum record age: a stuck shard falls behind for as long as the stream keeps records.`,
        fix: `Set \`maxRecordAgeSeconds\` between ${LAMBDA_LIMITS.streamMaxRecordAgeSeconds.min} and ${LAMBDA_LIMITS.streamMaxRecordAgeSeconds.max} (e.g. 3600).`,
      });
    } else if (t.maxRecordAgeSeconds < LAMBDA_LIMITS.streamMaxRecordAgeSeconds.min) {
      ctx.report({
        rule: 'SPEC-RANGE', path: [...p, 'maxRecordAgeSeconds'], target: 'value',
        message: `\`maxRecordAgeSeconds\` is ${t.maxRecordAgeSeconds}; Lambda accepts ${LAMBDA_LIMITS.streamMaxRecordAgeSeconds.min} to ${LAMBDA_LIMITS.streamMaxRecordAgeSeconds.max}.`,
        fix: `Use at least ${LAMBDA_LIMITS.streamMaxRecordAgeSeconds.min}.`,
      });
    }
    if (!t.bisectOnError) {
      ctx.report({
        rule: 'LBP-ERR-STREAM-BISECT', severity: 'warning', path: [...p, 'bisectOnError'], target: 'value',
        message: `Stream consumer \`${fnId}\` does not bisect: a failing batch is retried whole, so one bad record takes the good records of its batch to onFailure with it.`,
        fix: 'Set `bisectOnError: true` (the default), or remove the line.',
      });
    }
    if (!t.reportBatchItemFailures) {
      ctx.report({
        rule: 'LBP-ERR-STREAM-CHECKPOINT', severity: 'warning', path: [...p, 'reportBatchItemFailures'], target: 'value',
        message: `Stream consumer \`${fnId}\` does not report batch item failures: Lambda cannot checkpoint at the failed record, so records before it are processed again on every retry.`,
        fix: 'Set `reportBatchItemFailures: true` (the default); the generated entry point reports failures through Powertools.',
      });
    }
    if (t.filter !== undefined) checkFilter(ctx, fnId, [...p, 'filter'], t.filter);
  }
};

function checkFilter(ctx: RuleContext, fnId: string, path: (string | number)[], filter: Record<string, unknown>): void {
  for (const field of Object.keys(filter)) {
    if (!(STREAM_FILTER_FIELDS as readonly string[]).includes(field)) {
      ctx.report({
        rule: 'SPEC-FILTER', path: [...path, field],
        message: `The filter of \`${fnId}\` matches \`${field}\`, which stream records do not have.${didYouMean(field, STREAM_FILTER_FIELDS)}`,
        fix: `Match on ${listOf(STREAM_FILTER_FIELDS)}.`,
      });
    }
  }
  if (Object.keys(filter).length === 0) {
    ctx.report({
      rule: 'SPEC-FILTER', path, message: `The filter of \`${fnId}\` is empty; Lambda refuses an empty pattern.`,
      fix: 'Remove `filter` to receive every record, or list allowed values, e.g. `filter: { eventName: [INSERT] }`.',
    });
    return;
  }
  const walk = (node: unknown, at: (string | number)[]): void => {
    if (Array.isArray(node)) {
      node.forEach((value, i) => {
        if (!isJsonValue(value)) {
          ctx.report({
            rule: 'SPEC-FILTER', path: [...at, i], target: 'value',
            message: `The filter of \`${fnId}\` allows ${valueText(value)}, which is not a JSON value.`,
            fix: 'Use strings, finite numbers, true, false, null, or a matcher map such as `{ prefix: "A" }`.',
          });
        }
      });
      return;
    }
    if (node !== null && typeof node === 'object' && Object.keys(node).length > 0) {
      for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
      return;
    }
    ctx.report({
      rule: 'SPEC-FILTER', path: at, target: 'value',
      message: `The filter of \`${fnId}\` has \`${at.slice(path.length).join('.')}\` set to a single value; a pattern lists the allowed values.`,
      fix: 'Write the allowed values as a list, e.g. `eventName: [INSERT]`.',
    });
  };
  walk(filter, path);
}

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isJsonValue);
  return false;
}

/** Queues and topics named as an OnFailure destination (the end of a failure path). */
function failureDestinations(model: RuleContext['model']): Set<string> {
  const ids = new Set<string>();
  for (const fn of Object.values(model.functions)) {
    const t = fn.trigger;
    if (t.type === 'dynamodbStream' && t.onFailure !== undefined) ids.add(t.onFailure);
    if ('async' in t && t.async.onFailure !== undefined) ids.add(t.async.onFailure);
  }
  return ids;
}

export const queueConsumers: Rule = (ctx) => {
  for (const [queueId, queue] of Object.entries(ctx.model.queues)) {
    const receives = queue.deadLetter?.maxReceiveCount;
    if (receives !== undefined && (receives < LAMBDA_LIMITS.maxReceiveCount.min || receives > LAMBDA_LIMITS.maxReceiveCount.max)) {
      ctx.report({
        rule: 'SPEC-RANGE', path: ['queues', queueId, 'deadLetter', 'maxReceiveCount'], target: 'value',
        message: `\`maxReceiveCount\` of queue \`${queueId}\` is ${receives}; SQS accepts ${LAMBDA_LIMITS.maxReceiveCount.min} to ${LAMBDA_LIMITS.maxReceiveCount.max}.`,
        fix: `Use a value between ${PRACTICE_LIMITS.minMaxReceiveCount} and ${LAMBDA_LIMITS.maxReceiveCount.max}.`,
      });
    }
    const consumers = consumersOf(ctx.model, queueId);
    if (consumers.length === 0) {
      // A function with an empty trigger (SPEC-TRIGGER-ONE) may be the missing consumer or destination: do not guess.
      const unsure = Object.keys(ctx.model.functions).some((id) => ctx.hasEmptyTrigger(id));
      if (queue.deadLetter === undefined && !unsure && !failureDestinations(ctx.model).has(queueId)) {
        ctx.report({
          rule: 'LBP-ERR-SQS-DLQ', path: ['queues', queueId],
          message: `Queue \`${queueId}\` has no dead-letter queue, no consumer in this spec and no \`onFailure\` naming it: whoever consumes it cannot add one (redrive is set on the queue), so a message that always fails would be received again and again.`,
          fix: `Add \`deadLetter: { maxReceiveCount: ${PRACTICE_LIMITS.minMaxReceiveCount} }\` to queue \`${queueId}\`, or name it in an \`onFailure\` if it collects failures.`,
        });
      }
      continue;
    }
    const names = listOf(consumers.map((f) => f.id), 'and');
    const q = ['queues', queueId];
    if (queue.deadLetter === undefined) {
      ctx.report({
        rule: 'LBP-ERR-SQS-DLQ', path: [...q, 'deadLetter'],
        message: `Queue \`${queueId}\` is consumed by ${names} but has no dead-letter queue: a message that always fails is received again and again until it expires.`,
        fix: `Add \`deadLetter: { maxReceiveCount: ${PRACTICE_LIMITS.minMaxReceiveCount} }\` to queue \`${queueId}\`.`,
      });
    } else if (queue.deadLetter.maxReceiveCount >= LAMBDA_LIMITS.maxReceiveCount.min && queue.deadLetter.maxReceiveCount < PRACTICE_LIMITS.minMaxReceiveCount) {
      ctx.report({
        rule: 'LBP-ERR-SQS-DLQ', path: [...q, 'deadLetter', 'maxReceiveCount'], target: 'value',
        message: `Queue \`${queueId}\` moves a message to its DLQ after ${queue.deadLetter.maxReceiveCount} receive(s); throttling and batch retries alone can use those up, sending good messages to the DLQ.`,
        fix: `Set \`maxReceiveCount\` to at least ${PRACTICE_LIMITS.minMaxReceiveCount}.`,
      });
    }
    const slowest = Math.max(...consumers.map((f) => f.timeoutSeconds));
    const needed = PRACTICE_LIMITS.visibilityTimeoutFactor * slowest;
    if (queue.visibilityTimeoutSeconds < needed) {
      ctx.report({
        rule: 'LBP-ERR-SQS-DLQ', path: [...q, 'visibilityTimeoutSeconds'], target: 'value',
        message: `Queue \`${queueId}\` has a visibility timeout of ${queue.visibilityTimeoutSeconds} s, under ${PRACTICE_LIMITS.visibilityTimeoutFactor}x its consumer's ${slowest} s timeout: messages still being processed (or retried after throttling) become visible again and are processed twice.`,
        fix: `Set \`visibilityTimeoutSeconds\` to at least ${needed}, or remove it to get ${PRACTICE_LIMITS.visibilityTimeoutFactor}x the consumer's timeout.`,
      });
    }
    for (const fn of consumers) {
      if (fn.trigger.type === 'sqs') checkSqsTrigger(ctx, fn.id, fn.trigger, queue.fifo);
    }
  }
};

function checkSqsTrigger(ctx: RuleContext, fnId: string, t: { batchSize: number; batchingWindowSeconds: number; reportBatchItemFailures: boolean; queue: string }, fifo: boolean): void {
  const p = ['functions', fnId, 'trigger', 'sqs'];
  if (!t.reportBatchItemFailures) {
    ctx.report({
      rule: 'LBP-ERR-SQS-PARTIAL', path: [...p, 'reportBatchItemFailures'], target: 'value',
      message: `SQS consumer \`${fnId}\` does not report batch item failures: one failed message returns its whole batch to the queue, and the messages that succeeded are processed again.`,
      fix: 'Set `reportBatchItemFailures: true` (the default); the generated entry point reports failures through Powertools.',
    });
  }
  if (fifo && t.batchingWindowSeconds > 0) {
    ctx.report({
      rule: 'SPEC-SQS-BATCH', path: [...p, 'batchingWindowSeconds'], target: 'value',
      message: `\`${fnId}\` consumes FIFO queue \`${t.queue}\` with a batching window; Lambda does not support batching windows for FIFO queues.`,
      fix: 'Remove `batchingWindowSeconds` (or set it to 0).',
    });
  }
  if (fifo && t.batchSize > LAMBDA_LIMITS.sqsFifoBatchSize.max) {
    ctx.report({
      rule: 'SPEC-SQS-BATCH', path: [...p, 'batchSize'], target: 'value',
      message: `\`${fnId}\` consumes FIFO queue \`${t.queue}\` in batches of ${t.batchSize}; FIFO batches hold at most ${LAMBDA_LIMITS.sqsFifoBatchSize.max}.`,
      fix: `Set \`batchSize\` to at most ${LAMBDA_LIMITS.sqsFifoBatchSize.max}.`,
    });
  }
  if (!fifo && t.batchSize > LAMBDA_LIMITS.sqsBatchSizeWithoutWindow && t.batchingWindowSeconds < 1) {
    ctx.report({
      rule: 'SPEC-SQS-BATCH', path: [...p, 'batchSize'], target: 'value',
      message: `\`${fnId}\` reads batches of ${t.batchSize} with no batching window; above ${LAMBDA_LIMITS.sqsBatchSizeWithoutWindow} messages Lambda requires a window of at least 1 s.`,
      fix: 'Add `batchingWindowSeconds: 1` (or more).',
    });
  }
}

export const asyncInvocations: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.model.functions)) {
    const config = asyncConfigOf(fn.trigger);
    if (config === undefined || ctx.hasEmptyTrigger(fnId)) continue;
    const t = fn.trigger;
    const p = t.type === 'direct' ? ['functions', fnId, 'async'] : ['functions', fnId, 'trigger', t.type];
    const how = t.type === 'direct' ? 'invoked asynchronously' : `invoked asynchronously by ${t.type}`;
    if (config.onFailure === undefined) {
      ctx.report({
        rule: 'LBP-ERR-ASYNC-DESTINATION', path: [...p, 'onFailure'],
        message: `\`${fnId}\` is ${how} and has no onFailure destination: an event that fails every attempt is dropped, and nobody sees the error.`,
        fix: `Add \`onFailure: <queue>\` under \`${t.type === 'direct' ? 'async' : `trigger.${t.type}`}\` and declare that queue (e.g. \`${fnId}Failures: {}\` under \`queues:\`).`,
      });
    }
    const { min: rMin, max: rMax } = LAMBDA_LIMITS.asyncMaxRetries;
    if (config.maxRetries < rMin || config.maxRetries > rMax) {
      ctx.report({
        rule: 'LBP-ERR-ASYNC-DESTINATION', path: [...p, 'maxRetries'], target: 'value',
        message: `\`maxRetries\` of \`${fnId}\` is ${config.maxRetries}; asynchronous invocations are retried ${rMin} to ${rMax} times.`,
        fix: `Use ${rMin}, 1 or ${rMax}; to retry for longer, send failures to a queue and consume it.`,
      });
    }
    const { min: aMin, max: aMax } = LAMBDA_LIMITS.asyncMaxEventAgeSeconds;
    if (config.maxEventAgeSeconds < aMin || config.maxEventAgeSeconds > aMax) {
      ctx.report({
        rule: 'LBP-ERR-ASYNC-DESTINATION', path: [...p, 'maxEventAgeSeconds'], target: 'value',
        message: `\`maxEventAgeSeconds\` of \`${fnId}\` is ${config.maxEventAgeSeconds}; Lambda keeps an asynchronous event ${aMin} to ${aMax} s.`,
        fix: `Use a value between ${aMin} and ${aMax}.`,
      });
    }
    if (t.type === 'sns' && ctx.model.topics[t.topic]?.fifo) {
      ctx.report({
        rule: 'SPEC-FIFO', path: [...p, 'topic'], target: 'value',
        message: `\`${fnId}\` subscribes to FIFO topic \`${t.topic}\`; FIFO topics deliver to SQS queues only, not to Lambda.`,
        fix: `Subscribe a FIFO queue to \`${t.topic}\` and give \`${fnId}\` an sqs trigger on that queue.`,
      });
    }
  }
};

const RATE = /^(1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))$/;
export const schedules: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.spec.functions ?? {})) {
    const s = fn.trigger?.schedule;
    if (s === undefined) continue;
    const p = ['functions', fnId, 'trigger', 'schedule'];
    if ((s.rate === undefined) === (s.cron === undefined)) {
      ctx.report({
        rule: 'SPEC-SCHEDULE', path: s.rate === undefined ? p : [...p, 'cron'],
        message: `The schedule of \`${fnId}\` needs exactly one of \`rate\` or \`cron\`.`,
        fix: 'Keep one, e.g. `rate: "5 minutes"` or `cron: "0 12 * * ? *"`.',
      });
    } else if (s.rate !== undefined && !RATE.test(s.rate)) {
      ctx.report({
        rule: 'SPEC-SCHEDULE', path: [...p, 'rate'], target: 'value',
        message: `\`rate: ${s.rate}\` is not an EventBridge rate.`,
        fix: 'Write a positive whole number and a unit: `1 minute`, `5 minutes`, `1 hour`, `2 days` (singular for 1).',
      });
    } else if (s.cron !== undefined) {
      const fields = s.cron.trim().split(/\s+/);
      const problem = fields.length !== 6
        ? `has ${fields.length} fields; EventBridge cron has 6 (minutes hours day-of-month month day-of-week year)`
        : !(fields[2] === '?' || fields[4] === '?') ? 'sets both day-of-month and day-of-week; one of them must be `?`' : undefined;
      if (problem) {
        ctx.report({ rule: 'SPEC-SCHEDULE', path: [...p, 'cron'], target: 'value', message: `\`cron: ${s.cron}\` ${problem}.`, fix: 'Write e.g. `0 12 * * ? *` (every day at 12:00 UTC).' });
      }
    }
  }
};

export const httpRoutes: Rule = (ctx) => {
  const routes = new Map<string, string>();
  for (const [fnId, fn] of Object.entries(ctx.model.functions)) {
    const t = fn.trigger;
    if (t.type !== 'http') continue;
    const p = ['functions', fnId, 'trigger', 'http'];
    const greedy = t.path.indexOf('+}');
    if (greedy !== -1 && greedy !== t.path.length - 2) {
      ctx.report({ rule: 'SPEC-FORMAT', path: [...p, 'path'], target: 'value', message: `In \`${t.path}\`, a greedy parameter ({name+}) is not the last segment.`, fix: 'Move the greedy parameter to the end of the path.' });
    }
    const route = `${t.method} ${t.path.replace(/\{[^}]*\}/g, '{}')}`;
    const owner = routes.get(route);
    if (owner !== undefined) {
      ctx.report({ rule: 'SPEC-HTTP-ROUTE', path: [...p, 'path'], target: 'value', message: `\`${t.method} ${t.path}\` of \`${fnId}\` is already served by \`${owner}\` (parameter names do not distinguish routes).`, fix: 'Give one of them another method or path.' });
    } else {
      routes.set(route, fnId);
    }
    if (fn.timeoutSeconds > LAMBDA_LIMITS.httpIntegrationTimeoutSeconds) {
      ctx.report({
        rule: 'SPEC-HTTP-TIMEOUT', severity: 'warning', path: ['functions', fnId, 'timeoutSeconds'], target: 'value',
        message: `\`${fnId}\` may run ${fn.timeoutSeconds} s, but API Gateway answers 503 after ${LAMBDA_LIMITS.httpIntegrationTimeoutSeconds} s: the caller would see a failure while the function carries on.`,
        fix: `Set \`timeoutSeconds\` to at most ${LAMBDA_LIMITS.httpIntegrationTimeoutSeconds}, or move the slow work behind a queue.`,
      });
    }
  }
};
