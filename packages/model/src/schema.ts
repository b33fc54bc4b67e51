/**
 * The spec format as written by a user: the single source of truth for its shape, for the
 * `ServiceSpec` type and for the JSON Schema that editors use (specs/schema/service.schema.json).
 *
 * The schema checks structure and types. Limits that a practice owns (memory, timeout, retries,
 * event age, maxReceiveCount) are documented here through `.meta()` for editors but checked by the
 * rules in `rules/`, so that a finding carries the practice's ID. Defaults are documented here and
 * applied in one place, `resolve.ts`.
 */
import { z } from 'zod';
import {
  ARCHITECTURES, DATABASE_ENGINES, DEFAULTS, DEPLOYMENT_TYPES, HTTP_METHODS, ID_PATTERN, INVOCATION_TYPES, KEY_TYPES, RESERVED_WORDS,
  LAMBDA_LIMITS, PRACTICE_LIMITS, RUNTIMES, SERVICE_NAME_PATTERN, STARTING_POSITIONS, STREAM_VIEW_TYPES,
} from './constants.js';

const L = LAMBDA_LIMITS;

const int = (description: string) => z.number().int().describe(description);
const ranged = (min: number, max: number, description: string, fallback?: number) =>
  z.number().int().min(min).max(max).meta({ description, ...(fallback === undefined ? {} : { default: fallback }) });
/** An integer whose bounds a practice rule checks (so the finding carries its ID); editors still see them. */
const practiceBounded = (min: number, max: number, description: string, fallback?: number) =>
  int(description).meta({ minimum: min, maximum: max, ...(fallback === undefined ? {} : { default: fallback }) });

const Id = z.string().regex(ID_PATTERN, { error: 'IDs are camelCase: a lower-case letter, then letters and digits' });
const ServiceName = z.string().regex(SERVICE_NAME_PATTERN, { error: 'service names are kebab-case: lower-case letters and digits separated by single dashes' });
/** A reference to a declared resource; whether it exists is checked by SPEC-REF-* rules. */
const Ref = z.string().min(1);
const RefList = z.array(Ref);
const FunctionId = Id.refine((id) => !RESERVED_WORDS.has(id), { error: 'function IDs name TypeScript constants, and this one is a reserved word' });
const idMap = <T extends z.ZodType>(value: T, description: string, key: z.ZodType<string> = Id) => z.record(key, value).describe(description);

const KeyAttribute = z.strictObject({
  name: z.string().min(1).describe('Attribute name.'),
  type: z.enum(KEY_TYPES).describe('Attribute type.'),
});

export const TableSpecSchema = z.strictObject({
  partitionKey: KeyAttribute.describe('Partition (hash) key.'),
  sortKey: KeyAttribute.optional().describe('Sort (range) key.'),
  stream: z.enum(STREAM_VIEW_TYPES).optional().describe('Turns on the table\'s stream with this view of each item. Needed by dynamodbStream triggers.'),
  timeToLiveAttribute: z.string().min(1).optional().describe('Attribute holding the expiry time (epoch seconds).'),
});

export const QueueSpecSchema = z.strictObject({
  fifo: z.boolean().optional().meta({ description: 'FIFO queue (ordered, exactly-once processing).', default: DEFAULTS.queue.fifo }),
  visibilityTimeoutSeconds: ranged(L.visibilityTimeoutSeconds.min, L.visibilityTimeoutSeconds.max,
    `Visibility timeout. Default: ${PRACTICE_LIMITS.visibilityTimeoutFactor}x the consuming function's timeout, or ${DEFAULTS.queue.unconsumedVisibilityTimeoutSeconds} s for a queue no function consumes.`).optional(),
  deadLetter: z.strictObject({
    maxReceiveCount: practiceBounded(PRACTICE_LIMITS.minMaxReceiveCount, L.maxReceiveCount.max,
      'Receives before a message moves to the dead-letter queue.'),
  }).optional().describe('Dead-letter queue. Required for a queue that a function consumes (LBP-ERR-SQS-DLQ).'),
  subscribe: RefList.optional().describe('Topics that deliver into this queue (raw message delivery).'),
});

export const TopicSpecSchema = z.strictObject({
  fifo: z.boolean().optional().meta({ description: 'FIFO topic.', default: DEFAULTS.topic.fifo }),
});

export const BucketSpecSchema = z.strictObject({});
const DB = DEFAULTS.database;
const capacity = (description: string, fallback: number) =>
  z.number().min(L.auroraCapacity.min).max(L.auroraCapacity.max).meta({ description, default: fallback, multipleOf: L.auroraCapacity.step });
/** A relational database, always reached through its RDS Proxy with IAM authentication (LBP-RDS-PROXY). */
export const DatabaseSpecSchema = z.strictObject({
  engine: z.enum(DATABASE_ENGINES).optional().meta({ description: 'Aurora PostgreSQL Serverless v2 (`auroraPostgresql`) or an RDS for PostgreSQL instance (`postgres`).', default: DB.engine }),
  databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: 'database names are lower-case letters, digits and "_", starting with a letter, at most 63 characters' })
    .optional().describe('Name of the database created in the cluster or instance. Default: the ID in snake_case (`reportData` -> `report_data`).'),
  minCapacity: capacity('Aurora Serverless v2: least capacity, in ACUs (steps of 0.5). Only for `auroraPostgresql`.', DB.minCapacity).optional(),
  maxCapacity: capacity('Aurora Serverless v2: most capacity, in ACUs (steps of 0.5). Only for `auroraPostgresql`.', DB.maxCapacity).optional(),
  instanceClass: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'instance classes are written like t4g.micro or r6g.large (without "db.")' })
    .optional().meta({ description: 'RDS instance class, without `db.`. Only for `postgres`.', default: DB.instanceClass }),
});
/** An EFS file system, mounted through an access point by the functions that read or write it (LBP-EFS-ASSETS). */
export const FileSystemSpecSchema = z.strictObject({
  mountPath: z.string().optional().describe('Where functions see the file system: `/mnt/<name>` (LBP-EFS-ASSETS). Default: `/mnt/<id>`.'),
});

const AsyncShape = {
  maxRetries: practiceBounded(L.asyncMaxRetries.min, L.asyncMaxRetries.max, 'Retries of a failed asynchronous invocation.', DEFAULTS.async.maxRetries).optional(),
  maxEventAgeSeconds: practiceBounded(L.asyncMaxEventAgeSeconds.min, L.asyncMaxEventAgeSeconds.max, 'Oldest age of an event still attempted.', DEFAULTS.async.maxEventAgeSeconds).optional(),
  onFailure: Ref.optional().describe('Queue or topic that receives the events whose attempts are exhausted (LBP-ERR-ASYNC-DESTINATION).'),
};
export const AsyncSpecSchema = z.strictObject(AsyncShape);

const DS = DEFAULTS.dynamodbStream;
export const HttpTriggerSchema = z.strictObject({
  method: z.enum(HTTP_METHODS).describe('HTTP method.'),
  path: z.string().regex(/^\/(?:(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\+?\})(?:\/(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\+?\}))*)?$/, {
    error: 'paths start with "/" and hold segments of letters, digits, ".", "_", "~", "-" or a parameter like {id} (or {proxy+})',
  }).describe('Route path, with {param} segments.'),
});

export const StreamTriggerSchema = z.strictObject({
  table: Ref.describe('Table whose stream invokes the function.'),
  startingPosition: z.enum(STARTING_POSITIONS).optional().meta({ description: 'Where a new mapping starts reading.', default: DS.startingPosition }),
  batchSize: ranged(L.streamBatchSize.min, L.streamBatchSize.max, 'Records per invocation.', DS.batchSize).optional(),
  batchingWindowSeconds: ranged(L.batchingWindowSeconds.min, L.batchingWindowSeconds.max, 'Seconds to gather records before invoking.', DS.batchingWindowSeconds).optional(),
  bisectOnError: z.boolean().optional().meta({ description: 'Split a failing batch in two and retry each half (LBP-ERR-STREAM-BISECT).', default: DS.bisectOnError }),
  maxRetries: ranged(L.streamMaxRetries.min, L.streamMaxRetries.max, 'Retries of a failing batch; -1 (unbounded) is refused (LBP-ERR-STREAM-RETRIES).', DS.maxRetries).optional(),
  maxRecordAgeSeconds: ranged(-1, L.streamMaxRecordAgeSeconds.max, 'Oldest record still processed; -1 (unbounded) is refused (LBP-ERR-STREAM-RETRIES).', DS.maxRecordAgeSeconds).optional(),
  parallelization: ranged(L.streamParallelization.min, L.streamParallelization.max, 'Concurrent batches per shard.', DS.parallelization).optional(),
  reportBatchItemFailures: z.boolean().optional().meta({ description: 'Report the failed sequence number so that Lambda checkpoints there (LBP-ERR-STREAM-CHECKPOINT).', default: DS.reportBatchItemFailures }),
  filter: z.record(z.string(), z.unknown()).optional().meta({ type: 'object', description: 'Event filter pattern: record fields mapped to lists of allowed values, e.g. { eventName: [INSERT] }.' }),
  onFailure: Ref.optional().describe('Queue or topic that receives the metadata of batches whose retries or age ran out (LBP-ERR-STREAM-ONFAILURE).'),
});

export const SqsTriggerSchema = z.strictObject({
  queue: Ref.describe('Queue that the function consumes.'),
  batchSize: ranged(L.sqsBatchSize.min, L.sqsBatchSize.max, 'Messages per invocation (FIFO: at most 10).', DEFAULTS.sqs.batchSize).optional(),
  batchingWindowSeconds: ranged(L.batchingWindowSeconds.min, L.batchingWindowSeconds.max, 'Seconds to gather messages before invoking (not for FIFO).', DEFAULTS.sqs.batchingWindowSeconds).optional(),
  maxConcurrency: ranged(L.sqsMaxConcurrency.min, L.sqsMaxConcurrency.max, 'Most concurrent invocations from this queue.').optional(),
  reportBatchItemFailures: z.boolean().optional().meta({ description: 'Return only the failed messages to the queue (LBP-ERR-SQS-PARTIAL).', default: DEFAULTS.sqs.reportBatchItemFailures }),
});

export const SnsTriggerSchema = z.strictObject({ topic: Ref.describe('Topic that invokes the function.'), ...AsyncShape });

export const ScheduleTriggerSchema = z.strictObject({
  rate: z.string().optional().describe('EventBridge rate, e.g. "5 minutes" or "1 hour".'),
  cron: z.string().optional().describe('EventBridge cron with six fields, e.g. "0 12 * * ? *".'),
  ...AsyncShape,
});

export const TriggerSpecSchema = z.strictObject({
  http: HttpTriggerSchema.optional(),
  dynamodbStream: StreamTriggerSchema.optional(),
  sqs: SqsTriggerSchema.optional(),
  sns: SnsTriggerSchema.optional(),
  schedule: ScheduleTriggerSchema.optional(),
}).describe('Exactly one trigger. Without `trigger` the function is invoked directly.');

const FunctionSettingsShape = {
  memoryMb: practiceBounded(L.memoryMb.min, L.memoryMb.max, 'Memory in MB (CPU scales with it).', DEFAULTS.function.memoryMb).optional(),
  timeoutSeconds: practiceBounded(L.timeoutSeconds.min, L.timeoutSeconds.max, 'Timeout in seconds.', DEFAULTS.function.timeoutSeconds).optional(),
  architecture: z.enum(ARCHITECTURES).optional().meta({ description: 'Instruction set.', default: DEFAULTS.function.architecture }),
  runtime: z.enum(RUNTIMES).optional().meta({ description: 'Node.js runtime.', default: DEFAULTS.function.runtime }),
  deployment: z.enum(DEPLOYMENT_TYPES).optional().meta({ description: 'How traffic shifts to a new version (CodeDeploy).', default: DEFAULTS.function.deployment }),
};

export const FunctionSpecSchema = z.strictObject({
  description: z.string().optional().describe('What the function does.'),
  ...FunctionSettingsShape,
  reservedConcurrency: z.number().int().min(0).optional().describe('Environments reserved for (and capping) this function.'),
  provisionedConcurrency: z.number().int().min(1).optional().describe('Environments kept initialised on the `live` alias.'),
  permissions: z.strictObject({
    read: RefList.optional().describe('Tables, buckets and file systems read (a file system is mounted read-only).'),
    write: RefList.optional().describe('Tables, buckets and file systems written (a file system is mounted read-write).'),
    publish: RefList.optional().describe('Topics published to.'),
    send: RefList.optional().describe('Queues sent to.'),
    connect: RefList.optional().describe('Databases connected to, through their RDS Proxy with IAM authentication; the function runs in the service\'s VPC (LBP-RDS-PROXY).'),
  }).optional().describe('Least-privilege grants; nothing else is allowed.'),
  idempotency: z.strictObject({
    key: z.string().optional().describe('Dotted path into the event (or one record of a batch) that identifies a request, e.g. body.orderId.'),
    expiresAfterSeconds: z.number().int().min(1).optional().meta({ description: 'How long a result is remembered.', default: DEFAULTS.idempotency.expiresAfterSeconds }),
    disabled: z.string().optional().describe('Why this function needs no idempotency (the reason is kept for reviewers).'),
  }).optional().describe('Either { key } or { disabled: <reason> } (LBP-IDEMPOTENCY).'),
  environment: z.record(z.string(), z.unknown()).optional()
    .meta({ additionalProperties: { type: 'string' }, description: 'Extra environment variables: plain strings (LBP-CONFIG-ENV).' }),
  trigger: TriggerSpecSchema.optional(),
  invocation: z.enum(INVOCATION_TYPES).optional().meta({ description: 'For a function with no trigger: how it is invoked.', default: DEFAULTS.invocation }),
  async: AsyncSpecSchema.optional().describe('Retries, event age and OnFailure of a directly, asynchronously invoked function.'),
});

export const ServiceSpecSchema = z.strictObject({
  service: ServiceName.describe('Service name, kebab-case; the spec file is specs/<service>.yaml.'),
  description: z.string().optional().describe('What the service does.'),
  defaults: z.strictObject({
    function: z.strictObject(FunctionSettingsShape).optional().describe('Settings every function gets unless it overrides them.'),
  }).optional(),
  tables: idMap(TableSpecSchema, 'DynamoDB tables.').optional(),
  queues: idMap(QueueSpecSchema, 'SQS queues.').optional(),
  topics: idMap(TopicSpecSchema, 'SNS topics.').optional(),
  buckets: idMap(BucketSpecSchema, 'S3 buckets.').optional(),
  databases: idMap(DatabaseSpecSchema, 'Relational databases, reached through RDS Proxy.').optional(),
  fileSystems: idMap(FileSystemSpecSchema, 'EFS file systems for large or shared assets.').optional(),
  functions: idMap(FunctionSpecSchema, 'Lambda functions, one trigger each.', FunctionId).optional(),
}).meta({ title: 'Kiro Serverless Starter service spec' });

export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;
export type FunctionSpec = z.infer<typeof FunctionSpecSchema>;
