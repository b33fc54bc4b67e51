/**
 * Every rule the spec checker can report, with the one-line summary that docs/spec.md expands on.
 * `LBP-*` IDs are practices from docs/best-practices.md; `SPEC-*` IDs are the format's own rules.
 * A meta-test asserts that each ID here is documented and has a failing and a passing case.
 */
export const RULES = {
  'SPEC-YAML': 'The file is well-formed YAML holding one document whose root is a map.',
  'SPEC-UNKNOWN-KEY': 'Only the keys of the format are allowed (a misspelt key would be silently ignored otherwise).',
  'SPEC-REQUIRED': 'Required keys are present.',
  'SPEC-TYPE': 'Each value has the type the format expects (number, string, list, map, one of a set).',
  'SPEC-FORMAT': 'Names and expressions follow their pattern: kebab-case service, camelCase IDs (no reserved word for a function), HTTP paths.',
  'SPEC-RANGE': 'Numbers stay within the range the AWS service accepts.',
  'SPEC-DUPLICATE-ID': 'Resource and function IDs are unique within a spec (function IDs also by the file names they give), and no key appears twice in a map.',
  'SPEC-SERVICE-DUPLICATE': 'Service names are unique across specs.',
  'SPEC-SERVICE-FILENAME': 'A spec is named after its service: specs/<service>.yaml.',
  'SPEC-REF-UNKNOWN': 'Every reference names a declared resource.',
  'SPEC-REF-KIND': 'Every reference names a resource of the right kind (a queue where a queue is expected).',
  'SPEC-TRIGGER-ONE': 'A `trigger` map holds exactly one trigger.',
  'SPEC-INVOCATION': '`invocation` and `async` describe functions with no trigger, and agree with each other.',
  'SPEC-STREAM-DISABLED': 'A table consumed by a stream trigger declares `stream`, with the images its consumers read.',
  'SPEC-SQS-BATCH': 'SQS batch settings are ones Lambda accepts (FIFO: at most 10 and no window; above 10: a window).',
  'SPEC-SQS-CONCURRENCY': 'An SQS trigger\'s maxConcurrency does not exceed the function\'s reserved concurrency.',
  'SPEC-FIFO': 'FIFO queues and topics are wired only where FIFO is supported.',
  'SPEC-FILTER': 'A stream filter maps fields of the stream record to lists of allowed values.',
  'SPEC-SCHEDULE': 'A schedule has exactly one of `rate` or `cron`, in EventBridge syntax.',
  'SPEC-HTTP-ROUTE': 'Each HTTP method and path is served by one function.',
  'SPEC-HTTP-TIMEOUT': 'An HTTP function\'s timeout fits API Gateway\'s 29 s integration limit.',
  'SPEC-IDEMPOTENCY': 'An idempotency block has either `key` (a path from a field of the event) or `disabled` (a reason).',
  'SPEC-ENV-NAME': 'Environment variable names are valid, not reserved by Lambda, and not ones the generated infrastructure sets.',
  'SPEC-DATABASE': 'Database settings fit the engine: capacity (steps of 0.5 ACU, min <= max) for `auroraPostgresql`, `instanceClass` for `postgres`.',
  'LBP-CONFIG-EXPLICIT': 'Memory and timeout are within Lambda\'s limits.',
  'LBP-CONFIG-ENV': 'Environment values are plain strings; resource names and ARNs come from the infrastructure.',
  'LBP-IDEMPOTENCY': 'Functions whose trigger retries declare an idempotency key or say why they need none.',
  'LBP-PROVISIONED-CONCURRENCY': 'Provisioned concurrency does not exceed reserved concurrency.',
  'LBP-ERR-ASYNC-DESTINATION': 'Asynchronous invocations bound retries (0-2) and event age (60-21600 s) and name an OnFailure destination.',
  'LBP-ERR-SQS-DLQ': 'Every queue but a failure destination has a dead-letter queue (maxReceiveCount >= 5); a consumed queue has a visibility timeout >= 6x its consumer\'s timeout.',
  'LBP-ERR-SQS-PARTIAL': 'SQS consumers report batch item failures.',
  'LBP-ERR-STREAM-BISECT': 'Stream consumers bisect a failing batch.',
  'LBP-ERR-STREAM-CHECKPOINT': 'Stream consumers report batch item failures so that Lambda checkpoints at the failed record.',
  'LBP-ERR-STREAM-RETRIES': 'Stream consumers bound retries and record age.',
  'LBP-ERR-STREAM-ONFAILURE': 'Stream consumers name an OnFailure destination.',
  'LBP-RDS-PROXY': 'Functions reach a database only through its RDS Proxy (`permissions.connect`): no database endpoint or connection string in `environment`.',
  'LBP-EFS-ASSETS': 'A file system is mounted at /mnt/<name>, and a function uses at most one.',
} as const;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];
