/**
 * Applies every default of the spec format, once. Total over any spec that passed the schema: rules
 * then judge the resolved values, and only a spec with no error finding is handed out as a model.
 */
import { DEFAULTS, PRACTICE_LIMITS, TRIGGER_TYPES } from './constants.js';
import type { AsyncConfig, FunctionModel, QueueModel, ServiceModel, TriggerModel } from './model.js';
import { consumersOf, kebabCase } from './model.js';
import type { FunctionSpec, ServiceSpec } from './schema.js';

type AsyncSpec = { maxRetries?: number | undefined; maxEventAgeSeconds?: number | undefined; onFailure?: string | undefined };

export function resolveAsync(spec: AsyncSpec | undefined): AsyncConfig {
  return {
    maxRetries: spec?.maxRetries ?? DEFAULTS.async.maxRetries,
    maxEventAgeSeconds: spec?.maxEventAgeSeconds ?? DEFAULTS.async.maxEventAgeSeconds,
    ...(spec?.onFailure === undefined ? {} : { onFailure: spec.onFailure }),
  };
}

/** The trigger a function gets: the first one declared (the rules report a map with more or fewer than one). */
export function resolveTrigger(fn: FunctionSpec): TriggerModel {
  const t = fn.trigger ?? {};
  const type = TRIGGER_TYPES.find((k) => t[k] !== undefined);
  switch (type) {
    case 'http': {
      const { method, path } = t.http!;
      return { type, method, path };
    }
    case 'dynamodbStream': {
      const s = t.dynamodbStream!;
      const d = DEFAULTS.dynamodbStream;
      return {
        type,
        table: s.table,
        startingPosition: s.startingPosition ?? d.startingPosition,
        batchSize: s.batchSize ?? d.batchSize,
        batchingWindowSeconds: s.batchingWindowSeconds ?? d.batchingWindowSeconds,
        bisectOnError: s.bisectOnError ?? d.bisectOnError,
        maxRetries: s.maxRetries ?? d.maxRetries,
        maxRecordAgeSeconds: s.maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
        parallelization: s.parallelization ?? d.parallelization,
        reportBatchItemFailures: s.reportBatchItemFailures ?? d.reportBatchItemFailures,
        ...(s.filter === undefined ? {} : { filter: s.filter }),
        ...(s.onFailure === undefined ? {} : { onFailure: s.onFailure }),
      };
    }
    case 'sqs': {
      const s = t.sqs!;
      return {
        type,
        queue: s.queue,
        batchSize: s.batchSize ?? DEFAULTS.sqs.batchSize,
        batchingWindowSeconds: s.batchingWindowSeconds ?? DEFAULTS.sqs.batchingWindowSeconds,
        ...(s.maxConcurrency === undefined ? {} : { maxConcurrency: s.maxConcurrency }),
        reportBatchItemFailures: s.reportBatchItemFailures ?? DEFAULTS.sqs.reportBatchItemFailures,
      };
    }
    case 'sns':
      return { type, topic: t.sns!.topic, async: resolveAsync(t.sns) };
    case 'schedule': {
      const s = t.schedule!;
      const expression = s.rate !== undefined ? `rate(${s.rate})` : `cron(${s.cron ?? ''})`;
      return { type, expression, async: resolveAsync(s) };
    }
    case undefined:
      return (fn.invocation ?? DEFAULTS.invocation) === 'sync'
        ? { type: 'direct', invocation: 'sync' }
        : { type: 'direct', invocation: 'async', async: resolveAsync(fn.async) };
  }
}

function resolveFunction(id: string, fn: FunctionSpec, spec: ServiceSpec): FunctionModel {
  const base = { ...DEFAULTS.function, ...stripUndefined(spec.defaults?.function ?? {}) };
  const idempotency = fn.idempotency;
  return {
    id,
    fileName: kebabCase(id),
    ...(fn.description === undefined ? {} : { description: fn.description }),
    memoryMb: fn.memoryMb ?? base.memoryMb,
    timeoutSeconds: fn.timeoutSeconds ?? base.timeoutSeconds,
    architecture: fn.architecture ?? base.architecture,
    runtime: fn.runtime ?? base.runtime,
    deployment: fn.deployment ?? base.deployment,
    ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
    ...(fn.provisionedConcurrency === undefined ? {} : { provisionedConcurrency: fn.provisionedConcurrency }),
    permissions: {
      read: fn.permissions?.read ?? [],
      write: fn.permissions?.write ?? [],
      publish: fn.permissions?.publish ?? [],
      send: fn.permissions?.send ?? [],
    },
    ...(idempotency === undefined
      ? {}
      : idempotency.key !== undefined
        ? { idempotency: { key: idempotency.key, expiresAfterSeconds: idempotency.expiresAfterSeconds ?? DEFAULTS.idempotency.expiresAfterSeconds } }
        : { idempotency: { disabled: idempotency.disabled ?? '' } }),
    // Non-string values are reported by LBP-CONFIG-ENV; the model keeps the text form.
    environment: Object.fromEntries(Object.entries(fn.environment ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
    trigger: resolveTrigger(fn),
  };
}

function resolveQueue(id: string, queue: NonNullable<ServiceSpec['queues']>[string], functions: Record<string, FunctionModel>): QueueModel {
  const consumerTimeouts = consumersOf({ functions }, id).map((f) => f.timeoutSeconds);
  const visibilityTimeoutSeconds = queue.visibilityTimeoutSeconds
    ?? (consumerTimeouts.length > 0
      ? PRACTICE_LIMITS.visibilityTimeoutFactor * Math.max(...consumerTimeouts)
      : DEFAULTS.queue.unconsumedVisibilityTimeoutSeconds);
  return {
    fifo: queue.fifo ?? DEFAULTS.queue.fifo,
    visibilityTimeoutSeconds,
    ...(queue.deadLetter === undefined ? {} : { deadLetter: { maxReceiveCount: queue.deadLetter.maxReceiveCount } }),
    subscribe: queue.subscribe ?? [],
  };
}

/** Builds the model of one spec. `sourceFile` is the spec's path relative to the project root. */
export function resolveSpec(spec: ServiceSpec, sourceFile: string): ServiceModel {
  const functions = mapValues(spec.functions ?? {}, (fn, id) => resolveFunction(id, fn, spec));
  return {
    service: spec.service,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    sourceFile,
    tables: spec.tables ?? {},
    queues: mapValues(spec.queues ?? {}, (q, id) => resolveQueue(id, q, functions)),
    topics: mapValues(spec.topics ?? {}, (t) => ({ fifo: t.fifo ?? DEFAULTS.topic.fifo })),
    buckets: spec.buckets ?? {},
    databases: spec.databases ?? {},
    fileSystems: spec.fileSystems ?? {},
    functions,
  };
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v, k)]));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
