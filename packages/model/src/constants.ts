/**
 * Fixed sets, Lambda limits and spec defaults. Every default value of the spec format is written
 * here once; `resolve.ts` applies them, the JSON Schema and docs/spec.md quote them.
 */

export const Severity = { Error: 'error', Warning: 'warning' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const TRIGGER_TYPES = ['http', 'dynamodbStream', 'sqs', 'sns', 'schedule'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** How a function with no `trigger` is invoked. */
export const INVOCATION_TYPES = ['async', 'sync'] as const;
export type InvocationType = (typeof INVOCATION_TYPES)[number];

export const KEY_TYPES = ['string', 'number', 'binary'] as const;
export const STREAM_VIEW_TYPES = ['keysOnly', 'newImage', 'oldImage', 'newAndOldImages'] as const;
export type StreamViewType = (typeof STREAM_VIEW_TYPES)[number];
export const STARTING_POSITIONS = ['trimHorizon', 'latest'] as const;
export const ARCHITECTURES = ['arm64', 'x86_64'] as const;
export const RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;
/** Relational engines: Aurora PostgreSQL Serverless v2, or an RDS for PostgreSQL instance. */
export const DATABASE_ENGINES = ['auroraPostgresql', 'postgres'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

/** CodeDeploy's predefined Lambda configurations, in the spec's camelCase spelling. */
export const DEPLOYMENT_TYPES = [
  'allAtOnce',
  'canary10Percent5Minutes',
  'canary10Percent10Minutes',
  'canary10Percent15Minutes',
  'canary10Percent30Minutes',
  'linear10PercentEvery1Minute',
  'linear10PercentEvery2Minutes',
  'linear10PercentEvery3Minutes',
  'linear10PercentEvery10Minutes',
] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

export const PERMISSION_KINDS = ['read', 'write', 'publish', 'send', 'connect'] as const;
export type PermissionKind = (typeof PERMISSION_KINDS)[number];

/** Top-level maps of the spec that declare IDs, in the order they are documented. */
export const RESOURCE_KINDS = ['tables', 'queues', 'topics', 'buckets', 'databases', 'fileSystems'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Naming: services are kebab-case (they name files and stacks), IDs camelCase. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const ID_PATTERN = /^[a-z][a-zA-Z0-9]*$/;
/** Words that cannot name a function: its ID becomes an exported constant of TypeScript. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in',
  'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'undefined', 'var', 'void', 'while', 'with', 'yield',
]);
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variables Lambda sets itself and refuses in a function's configuration. */
export const RESERVED_ENV_NAMES = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
] as const;

/** Lambda's own limits. */
export const LAMBDA_LIMITS = {
  memoryMb: { min: 128, max: 10_240 },
  timeoutSeconds: { min: 1, max: 900 },
  asyncMaxRetries: { min: 0, max: 2 },
  asyncMaxEventAgeSeconds: { min: 60, max: 21_600 },
  streamBatchSize: { min: 1, max: 10_000 },
  streamMaxRetries: { min: -1, max: 10_000 },
  streamMaxRecordAgeSeconds: { min: 60, max: 604_800 },
  streamParallelization: { min: 1, max: 10 },
  batchingWindowSeconds: { min: 0, max: 300 },
  sqsBatchSize: { min: 1, max: 10_000 },
  sqsFifoBatchSize: { max: 10 },
  /** Above this batch size, SQS event sources need a batching window of at least 1 s. */
  sqsBatchSizeWithoutWindow: 10,
  sqsMaxConcurrency: { min: 2, max: 1_000 },
  visibilityTimeoutSeconds: { min: 0, max: 43_200 },
  maxReceiveCount: { min: 1, max: 1_000 },
  /** API Gateway gives up on an integration after 30 s. */
  httpIntegrationTimeoutSeconds: 29,
  /** Aurora Serverless v2 capacity, in ACUs (steps of 0.5). */
  auroraCapacity: { min: 0.5, max: 256, step: 0.5 },
  /** A function mounts at most one file system, under /mnt/. */
  fileSystemsPerFunction: 1,
  mountPath: /^\/mnt\/[A-Za-z0-9._-]+$/,
} as const;

/** What the practices ask for, beyond Lambda's limits. */
export const PRACTICE_LIMITS = {
  /** LBP-ERR-SQS-DLQ: a message gets at least this many receives before it goes to the DLQ. */
  minMaxReceiveCount: 5,
  /** LBP-ERR-SQS-DLQ: visibility timeout at least this many times the consumer's timeout. */
  visibilityTimeoutFactor: 6,
} as const;

/** Spec defaults, applied once by resolve.ts. */
export const DEFAULTS = {
  function: {
    memoryMb: 512,
    timeoutSeconds: 10,
    architecture: 'arm64',
    runtime: 'nodejs22.x',
    deployment: 'allAtOnce',
  },
  /** A function with no trigger. */
  invocation: 'async',
  async: { maxRetries: 2, maxEventAgeSeconds: 21_600 },
  dynamodbStream: {
    startingPosition: 'trimHorizon',
    batchSize: 100,
    batchingWindowSeconds: 0,
    bisectOnError: true,
    maxRetries: 3,
    maxRecordAgeSeconds: 3_600,
    parallelization: 1,
    reportBatchItemFailures: true,
  },
  sqs: { batchSize: 10, batchingWindowSeconds: 0, reportBatchItemFailures: true },
  queue: { fifo: false, unconsumedVisibilityTimeoutSeconds: 30 },
  topic: { fifo: false },
  idempotency: { expiresAfterSeconds: 3_600 },
  database: { engine: 'auroraPostgresql', minCapacity: 0.5, maxCapacity: 2, instanceClass: 't4g.micro' },
  /** A file system's mount path is `/mnt/<id>` unless it says otherwise. */
  fileSystemMountRoot: '/mnt',
} as const satisfies {
  function: { architecture: (typeof ARCHITECTURES)[number]; runtime: (typeof RUNTIMES)[number]; deployment: DeploymentType } & Record<string, unknown>;
  invocation: InvocationType;
  dynamodbStream: { startingPosition: (typeof STARTING_POSITIONS)[number] } & Record<string, unknown>;
  database: { engine: DatabaseEngine } & Record<string, unknown>;
} & Record<string, unknown>;

/** The fields of a DynamoDB stream record that an event filter may match on. */
export const STREAM_FILTER_FIELDS = ['eventName', 'eventID', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'userIdentity'] as const;

export const SPEC_FILE_EXTENSIONS = ['.yaml', '.yml'] as const;

/** Orders strings by UTF-16 code unit, the same on every machine (unlike `localeCompare`). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
