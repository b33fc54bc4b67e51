/**
 * Applies every default of the spec format, once. Total over any spec that passed the schema: rules
 * then judge the resolved values, and only a spec with no error finding is handed out as a model.
 */
import { DEFAULTS, PRACTICE_LIMITS } from './constants.js';
import { envSegment } from './environment.js';
import type { AsyncConfig, DatabaseModel, FunctionModel, QueueModel, ServiceModel, TriggerModel } from './model.js';
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
  const { http, dynamodbStream: stream, sqs, sns, schedule } = fn.trigger ?? {};
  if (http) return { type: 'http', method: http.method, path: http.path };
  if (stream) {
    const d = DEFAULTS.dynamodbStream;
    return {
      type: 'dynamodbStream',
      table: stream.table,
      startingPosition: stream.startingPosition ?? d.startingPosition,
      batchSize: stream.batchSize ?? d.batchSize,
      batchingWindowSeconds: stream.batchingWindowSeconds ?? d.batchingWindowSeconds,
      bisectOnError: stream.bisectOnError ?? d.bisectOnError,
      maxRetries: stream.maxRetries ?? d.maxRetries,
      maxRecordAgeSeconds: stream.maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
      parallelization: stream.parallelization ?? d.parallelization,
      reportBatchItemFailures: stream.reportBatchItemFailures ?? d.reportBatchItemFailures,
      ...(stream.filter === undefined ? {} : { filter: stream.filter }),
      ...(stream.onFailure === undefined ? {} : { onFailure: stream.onFailure }),
    };
  }
  if (sqs) {
    return {
      type: 'sqs',
      queue: sqs.queue,
      batchSize: sqs.batchSize ?? DEFAULTS.sqs.batchSize,
      batchingWindowSeconds: sqs.batchingWindowSeconds ?? DEFAULTS.sqs.batchingWindowSeconds,
      ...(sqs.maxConcurrency === undefined ? {} : { maxConcurrency: sqs.maxConcurrency }),
      reportBatchItemFailures: sqs.reportBatchItemFailures ?? DEFAULTS.sqs.reportBatchItemFailures,
    };
  }
  if (sns) return { type: 'sns', topic: sns.topic, async: resolveAsync(sns) };
  if (schedule) {
    const expression = schedule.rate !== undefined ? `rate(${schedule.rate})` : `cron(${schedule.cron ?? ''})`;
    return { type: 'schedule', expression, async: resolveAsync(schedule) };
  }
  return (fn.invocation ?? DEFAULTS.invocation) === 'sync'
    ? { type: 'direct', invocation: 'sync' }
    : { type: 'direct', invocation: 'async', async: resolveAsync(fn.async) };
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
      connect: fn.permissions?.connect ?? [],
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

/** Aurora gets capacity defaults, an RDS instance its class; keys of the other engine are kept for the rules to report. */
function resolveDatabase(id: string, db: NonNullable<ServiceSpec['databases']>[string]): DatabaseModel {
  const d = DEFAULTS.database;
  const engine = db.engine ?? d.engine;
  return {
    engine,
    databaseName: db.databaseName ?? envSegment(id).toLowerCase(),
    ...(engine === 'auroraPostgresql' || db.minCapacity !== undefined ? { minCapacity: db.minCapacity ?? d.minCapacity } : {}),
    ...(engine === 'auroraPostgresql' || db.maxCapacity !== undefined ? { maxCapacity: db.maxCapacity ?? d.maxCapacity } : {}),
    ...(engine === 'postgres' || db.instanceClass !== undefined ? { instanceClass: db.instanceClass ?? d.instanceClass } : {}),
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
    databases: mapValues(spec.databases ?? {}, (db, id) => resolveDatabase(id, db)),
    fileSystems: mapValues(spec.fileSystems ?? {}, (fs, id) => ({ mountPath: fs.mountPath ?? `${DEFAULTS.fileSystemMountRoot}/${id}` })),
    functions,
  };
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v, k)]));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
