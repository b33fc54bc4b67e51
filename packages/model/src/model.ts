/**
 * ServiceModel: a spec with every default applied and the trigger normalised into a tagged union.
 * It is plain data (JSON-serialisable), the one input of the generator, the CDK app, the local cloud
 * and the MCP server. Only packages/model builds it (see resolve.ts).
 */
import { z } from 'zod';
import {
  ARCHITECTURES, DATABASE_ENGINES, DEPLOYMENT_TYPES, HTTP_METHODS, RUNTIMES, STARTING_POSITIONS,
} from './constants.js';
import { BucketSpecSchema, TableSpecSchema } from './schema.js';
import { deliveryOf } from './triggers.js';

const AsyncConfigModel = z.object({
  maxRetries: z.number().int(),
  maxEventAgeSeconds: z.number().int(),
  onFailure: z.string().optional(),
});

/** Tagged by `type` (and `invocation` for direct triggers). */
export const TriggerModelSchema = z.union([
  z.object({ type: z.literal('http'), method: z.enum(HTTP_METHODS), path: z.string() }),
  z.object({
    type: z.literal('dynamodbStream'),
    table: z.string(),
    startingPosition: z.enum(STARTING_POSITIONS),
    batchSize: z.number().int(),
    batchingWindowSeconds: z.number().int(),
    bisectOnError: z.boolean(),
    maxRetries: z.number().int(),
    maxRecordAgeSeconds: z.number().int(),
    parallelization: z.number().int(),
    reportBatchItemFailures: z.boolean(),
    filter: z.record(z.string(), z.unknown()).optional(),
    onFailure: z.string().optional(),
  }),
  z.object({
    type: z.literal('sqs'),
    queue: z.string(),
    batchSize: z.number().int(),
    batchingWindowSeconds: z.number().int(),
    maxConcurrency: z.number().int().optional(),
    reportBatchItemFailures: z.boolean(),
  }),
  z.object({ type: z.literal('sns'), topic: z.string(), async: AsyncConfigModel }),
  z.object({
    type: z.literal('schedule'),
    /** EventBridge expression: `rate(5 minutes)` or `cron(0 12 * * ? *)`. */
    expression: z.string(),
    async: AsyncConfigModel,
  }),
  z.object({ type: z.literal('direct'), invocation: z.literal('async'), async: AsyncConfigModel }),
  z.object({ type: z.literal('direct'), invocation: z.literal('sync') }),
]);

export const FunctionModelSchema = z.object({
  id: z.string(),
  /** kebab-case form of the ID, used for file names (`createOrder` -> `create-order`). */
  fileName: z.string(),
  description: z.string().optional(),
  memoryMb: z.number().int(),
  timeoutSeconds: z.number().int(),
  architecture: z.enum(ARCHITECTURES),
  runtime: z.enum(RUNTIMES),
  deployment: z.enum(DEPLOYMENT_TYPES),
  reservedConcurrency: z.number().int().optional(),
  provisionedConcurrency: z.number().int().optional(),
  permissions: z.object({
    read: z.array(z.string()),
    write: z.array(z.string()),
    publish: z.array(z.string()),
    send: z.array(z.string()),
    connect: z.array(z.string()),
  }),
  /** Absent when the spec declares none (allowed only for triggers that do not retry). */
  idempotency: z.union([
    z.object({ key: z.string(), expiresAfterSeconds: z.number().int() }),
    z.object({ disabled: z.string() }),
  ]).optional(),
  environment: z.record(z.string(), z.string()),
  trigger: TriggerModelSchema,
});

export const QueueModelSchema = z.object({
  fifo: z.boolean(),
  visibilityTimeoutSeconds: z.number().int(),
  deadLetter: z.object({ maxReceiveCount: z.number().int() }).optional(),
  subscribe: z.array(z.string()),
});

/** A database with its defaults: Aurora carries its capacity, an RDS instance its class. */
export const DatabaseModelSchema = z.object({
  engine: z.enum(DATABASE_ENGINES),
  databaseName: z.string(),
  minCapacity: z.number().optional(),
  maxCapacity: z.number().optional(),
  instanceClass: z.string().optional(),
});

export const FileSystemModelSchema = z.object({
  mountPath: z.string(),
});

export const ServiceModelSchema = z.object({
  service: z.string(),
  description: z.string().optional(),
  /** The spec file, relative to the project root, with forward slashes. */
  sourceFile: z.string(),
  tables: z.record(z.string(), TableSpecSchema),
  queues: z.record(z.string(), QueueModelSchema),
  topics: z.record(z.string(), z.object({ fifo: z.boolean() })),
  buckets: z.record(z.string(), BucketSpecSchema),
  databases: z.record(z.string(), DatabaseModelSchema),
  fileSystems: z.record(z.string(), FileSystemModelSchema),
  functions: z.record(z.string(), FunctionModelSchema),
});

export type ServiceModel = z.infer<typeof ServiceModelSchema>;
export type FunctionModel = z.infer<typeof FunctionModelSchema>;
export type TriggerModel = z.infer<typeof TriggerModelSchema>;
export type QueueModel = z.infer<typeof QueueModelSchema>;
export type DatabaseModel = z.infer<typeof DatabaseModelSchema>;
export type FileSystemModel = z.infer<typeof FileSystemModelSchema>;
export type AsyncConfig = z.infer<typeof AsyncConfigModel>;

/** How Lambda invokes a function: synchronously, asynchronously (Event), or by polling a stream or queue. */
export const INVOCATION_KINDS = ['sync', 'async', 'poll'] as const;
export type InvocationKind = (typeof INVOCATION_KINDS)[number];
export function invocationKind(trigger: TriggerModel): InvocationKind {
  return deliveryOf(trigger).invocation;
}

/** Triggers that deliver the same event more than once (retries, redelivery), so handlers must be idempotent. */
export function isRetried(trigger: TriggerModel): boolean {
  return deliveryOf(trigger).repeats;
}

/** The async settings of a trigger that Lambda invokes asynchronously. */
export function asyncConfigOf(trigger: TriggerModel): AsyncConfig | undefined {
  return 'async' in trigger ? trigger.async : undefined;
}

/** The functions whose sqs trigger consumes `queueId`. */
export function consumersOf(model: Pick<ServiceModel, 'functions'>, queueId: string): FunctionModel[] {
  return Object.values(model.functions).filter((fn) => fn.trigger.type === 'sqs' && fn.trigger.queue === queueId);
}

/** The file systems `fn` reads or writes (the rules allow at most one). */
export function fileSystemsOf(model: Pick<ServiceModel, 'fileSystems'>, fn: FunctionModel): string[] {
  const { read, write } = fn.permissions;
  return [...new Set([...read, ...write])].filter((id) => Object.hasOwn(model.fileSystems, id));
}

/** Whether `fn` runs in the service's VPC: it connects to a database or mounts a file system. */
export function runsInVpc(model: Pick<ServiceModel, 'fileSystems'>, fn: FunctionModel): boolean {
  return fn.permissions.connect.length > 0 || fileSystemsOf(model, fn).length > 0;
}

/** `createOrder` -> `create-order`. */
export function kebabCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}
