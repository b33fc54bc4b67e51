import { describe, expect, it } from 'vitest';
import { checkSpecText } from '../src/check.js';
import type { RuleId } from '../src/rules/catalog.js';
import { RULE_IDS } from '../src/rules/catalog.js';
import type { Edit } from '@kiro-serverless/fixtures';
import { edit, ORDERS, ORDERS_FILE, EXAMPLE_FILTER, positionOf } from '@kiro-serverless/fixtures';

interface RuleCase {
  readonly name: string;
  readonly rule: RuleId;
  /** Edits of the example spec that trip the rule. */
  readonly bad: readonly Edit[];
  /** Where the finding points, in the edited text: a needle, and which occurrence. */
  readonly at: string | readonly [needle: string, nth: number];
  readonly severity?: 'error' | 'warning';
  /** Edits of the example that fix it; the result has no finding at all. Default: the example itself. */
  readonly fixed?: readonly Edit[];
  /** Spec file name. @default ORDERS_FILE */
  readonly file?: string;
  /** A fragment the message must contain (did-you-mean, reason). */
  readonly says?: string;
  /** The spec has no other finding. */
  readonly only?: boolean;
}

const NOTIFY_TRIGGER = 'sns: { topic: orderEvents, maxRetries: 2, maxEventAgeSeconds: 3600, onFailure: notifyFailures }';
const ADD_FUNCTION = (yaml: string): Edit => [NOTIFY_TRIGGER, `${NOTIFY_TRIGGER}\n${yaml}`];

const CASES: readonly RuleCase[] = [
  // Format
  { name: 'malformed YAML', rule: 'SPEC-YAML', bad: [['\nservice: orders', '\nservice: [orders']], at: 'description: Order intake' },
  { name: 'a spec that is a list', rule: 'SPEC-YAML', bad: [[ORDERS, '- service: orders\n']], at: '- service' },
  { name: 'a misspelt key, with a did-you-mean', rule: 'SPEC-UNKNOWN-KEY', bad: [['batchSize: 10,', 'batchSze: 10,']], at: 'batchSze', says: 'Did you mean `batchSize`?' },
  { name: 'a missing required key', rule: 'SPEC-REQUIRED', bad: [['    partitionKey: { name: pk, type: string }\n', '']], at: 'orders:\n    sortKey' },
  { name: 'a string where a number belongs', rule: 'SPEC-TYPE', bad: [['    memoryMb: 512\n', '    memoryMb: lots\n']], at: 'lots' },
  { name: 'a value outside an enum, with a did-you-mean', rule: 'SPEC-TYPE', bad: [['runtime: nodejs22.x', 'runtime: nodejs22']], at: 'nodejs22 }', says: 'Did you mean `nodejs22.x`?' },
  { name: 'a service name that is not kebab-case', rule: 'SPEC-FORMAT', bad: [['\nservice: orders', '\nservice: Orders']], at: 'Orders', file: 'specs/Orders.yaml' },
  { name: 'an ID that is not camelCase', rule: 'SPEC-FORMAT', bad: [['  catalog: {}', '  Catalog: {}'], ['read: [catalog]', 'read: [Catalog]']], at: 'Catalog: {}' },
  { name: 'an HTTP path without a leading slash', rule: 'SPEC-FORMAT', bad: [['path: /orders', 'path: orders']], at: 'orders }' },
  { name: 'a greedy path parameter before the end', rule: 'SPEC-FORMAT', bad: [['path: /orders', 'path: "/{proxy+}/orders"']], at: '"/{proxy+}' },
  { name: 'a batch size above what Lambda accepts', rule: 'SPEC-RANGE', bad: [['batchSize: 100', 'batchSize: 20000']], at: '20000' },
  { name: 'a record age between 0 and 60 s', rule: 'SPEC-RANGE', bad: [['maxRecordAgeSeconds: 3600', 'maxRecordAgeSeconds: 30']], at: '30\n' },
  // Names and references
  { name: 'an ID declared in two maps', rule: 'SPEC-DUPLICATE-ID', bad: [['  catalog: {}', '  catalog: {}\n  orders: {}']], at: 'orders: {}' },
  { name: 'an ID declared twice in one map', rule: 'SPEC-DUPLICATE-ID', bad: [['  notifyFailures: {}', '  notifyFailures: {}\n  notifyFailures: {}']], at: ['notifyFailures: {}', 2], says: '`notifyFailures` appears twice' },
  { name: 'a queue sent to but consumed elsewhere, without a DLQ', rule: 'LBP-ERR-SQS-DLQ', bad: [['  notifyFailures: {}\n', '  notifyFailures: {}\n  outbox: {}\n'], ['    permissions: { read: [orders], publish: [orderEvents] }', '    permissions: { read: [orders], publish: [orderEvents], send: [outbox] }']], at: 'outbox: {}', says: 'no consumer in this spec' },
  { name: 'two function IDs that give one file name', rule: 'SPEC-DUPLICATE-ID', bad: [ADD_FUNCTION('  notifyCUSTOMER:\n    invocation: sync')], at: 'notifyCUSTOMER:', says: 'name the same files (notify-customer.ts)' },
  { name: 'a reserved word as a function ID', rule: 'SPEC-FORMAT', bad: [ADD_FUNCTION('  delete:\n    invocation: sync')], at: 'delete:', says: 'reserved word' },
  { name: 'a key written twice', rule: 'SPEC-DUPLICATE-ID', bad: [['    memoryMb: 512\n', '    memoryMb: 512\n    memoryMb: 1024\n']], at: 'memoryMb: 1024', says: '`memoryMb` appears twice' },
  { name: 'a file not named after its service', rule: 'SPEC-SERVICE-FILENAME', bad: [], file: 'specs/shop.yaml', at: 'orders\ndescription' },
  { name: 'a permission on an undeclared topic, with a did-you-mean', rule: 'SPEC-REF-UNKNOWN', bad: [['publish: [orderEvents]', 'publish: [orderEvent]']], at: 'orderEvent]', says: 'Did you mean `orderEvents`?' },
  { name: 'a trigger on an undeclared queue', rule: 'SPEC-REF-UNKNOWN', bad: [['queue: fulfilment', 'queue: fulfillment']], at: 'fulfillment' },
  { name: 'an undeclared OnFailure destination', rule: 'SPEC-REF-UNKNOWN', bad: [['onFailure: orderStreamFailures', 'onFailure: streamFailures']], at: 'streamFailures' },
  { name: 'a subscription to an undeclared topic', rule: 'SPEC-REF-UNKNOWN', bad: [['subscribe: [orderEvents]', 'subscribe: [events]']], at: 'events]' },
  { name: 'a queue in the publish list', rule: 'SPEC-REF-KIND', bad: [['publish: [orderEvents]', 'publish: [fulfilment]']], at: 'fulfilment]', says: 'is a queue' },
  // Triggers and invocation
  { name: 'two triggers', rule: 'SPEC-TRIGGER-ONE', bad: [['      http: { method: POST, path: /orders }', '      http: { method: POST, path: /orders }\n      schedule: { rate: 5 minutes }']], at: 'schedule:' },
  { name: 'an empty trigger map, and nothing else about it', rule: 'SPEC-TRIGGER-ONE', bad: [[`    trigger:\n      ${NOTIFY_TRIGGER}`, '    trigger: {}'], ['    idempotency: { key: Sns.MessageId }\n', '']], at: 'trigger: {}', only: true },
  { name: '`invocation` on a function with a trigger', rule: 'SPEC-INVOCATION', bad: [['    environment: { LOG_LEVEL: INFO }', '    environment: { LOG_LEVEL: INFO }\n    invocation: sync']], at: 'invocation: sync' },
  { name: '`async` on a function with an sns trigger', rule: 'SPEC-INVOCATION', bad: [['    idempotency: { key: Sns.MessageId }', '    idempotency: { key: Sns.MessageId }\n    async: { maxRetries: 1 }']], at: 'async:' },
  { name: 'a stream trigger on a table without a stream', rule: 'SPEC-STREAM-DISABLED', bad: [['    stream: newAndOldImages\n', '']], at: 'orders\n        startingPosition' },
  { name: 'an idempotency key on NewImage with a keys-only stream', rule: 'SPEC-STREAM-DISABLED', bad: [['stream: newAndOldImages', 'stream: keysOnly'], ['key: eventID', 'key: dynamodb.NewImage.pk.S']], at: 'dynamodb.NewImage.pk.S' },
  { name: 'a stream filter on a field records lack', rule: 'SPEC-FILTER', bad: [[EXAMPLE_FILTER, 'filter: { eventNme: [INSERT] }']], at: 'eventNme', says: 'Did you mean `eventName`?' },
  { name: 'an empty stream filter', rule: 'SPEC-FILTER', bad: [[EXAMPLE_FILTER, 'filter: {}']], at: 'filter:' },
  { name: 'a stream filter with a value JSON cannot hold', rule: 'SPEC-FILTER', bad: [[EXAMPLE_FILTER, 'filter: { eventName: [INSERT, .nan] }']], at: '.nan' },
  { name: 'a __proto__ key', rule: 'SPEC-YAML', bad: [['LOG_LEVEL: INFO', '__proto__: INFO']], at: '__proto__' },
  { name: 'brackets nested deeper than any spec', rule: 'SPEC-YAML', bad: [[EXAMPLE_FILTER, `filter: ${'['.repeat(65)}`]], at: '[\n' },
  { name: 'a stream filter with a single value', rule: 'SPEC-FILTER', bad: [[EXAMPLE_FILTER, 'filter: { eventName: INSERT }']], at: 'INSERT }' },
  { name: 'a FIFO queue read with a batching window', rule: 'SPEC-SQS-BATCH', bad: [['  fulfilment:\n    deadLetter: { maxReceiveCount: 5 }\n    subscribe: [orderEvents]', '  fulfilment:\n    fifo: true\n    deadLetter: { maxReceiveCount: 5 }']], at: '1, maxConcurrency', fixed: [['  fulfilment:\n    deadLetter: { maxReceiveCount: 5 }\n    subscribe: [orderEvents]', '  fulfilment:\n    fifo: true\n    deadLetter: { maxReceiveCount: 5 }'], [' batchingWindowSeconds: 1,', '']] },
  { name: 'a batch above 10 without a window', rule: 'SPEC-SQS-BATCH', bad: [['batchSize: 10, batchingWindowSeconds: 1,', 'batchSize: 20,']], at: '20,' },
  { name: 'maxConcurrency above reserved concurrency', rule: 'SPEC-SQS-CONCURRENCY', severity: 'warning', bad: [['    idempotency: { key: body.orderId }', '    idempotency: { key: body.orderId }\n    reservedConcurrency: 3']], at: '5, reportBatchItemFailures' },
  { name: 'a Lambda subscription to a FIFO topic', rule: 'SPEC-FIFO', bad: [['  orderEvents: {}', '  orderEvents: { fifo: true }'], ['    subscribe: [orderEvents]\n', '']], at: 'orderEvents, maxRetries' },
  { name: 'a FIFO OnFailure destination', rule: 'SPEC-FIFO', bad: [['  notifyFailures: {}', '  notifyFailures: { fifo: true }']], at: 'notifyFailures }' },
  { name: 'a FIFO queue subscribed to a standard topic', rule: 'SPEC-FIFO', bad: [['    subscribe: [orderEvents]', '    fifo: true\n    subscribe: [orderEvents]'], [' batchingWindowSeconds: 1,', '']], at: 'orderEvents]\n' },
  { name: 'a schedule with a malformed rate', rule: 'SPEC-SCHEDULE', bad: [['sns: { topic: orderEvents,', 'schedule: { rate: 5 minute,'], ['key: Sns.MessageId', 'key: id'], ['    subscribe: [orderEvents]\n', '']], at: '5 minute', fixed: [['sns: { topic: orderEvents,', 'schedule: { rate: 5 minutes,'], ['key: Sns.MessageId', 'key: id'], ['    subscribe: [orderEvents]\n', '']] },
  { name: 'a cron with five fields', rule: 'SPEC-SCHEDULE', bad: [['sns: { topic: orderEvents,', 'schedule: { cron: "0 12 * * ?",'], ['key: Sns.MessageId', 'key: id'], ['    subscribe: [orderEvents]\n', '']], at: '"0 12' },
  { name: 'a route served twice', rule: 'SPEC-HTTP-ROUTE', bad: [ADD_FUNCTION('  listOrders:\n    trigger:\n      http: { method: POST, path: /orders }')], at: ['/orders }', 2] },
  { name: 'an HTTP function slower than API Gateway waits', rule: 'SPEC-HTTP-TIMEOUT', severity: 'warning', bad: [['    timeoutSeconds: 10\n', '    timeoutSeconds: 60\n']], at: '60' },
  // Function configuration
  { name: 'both an idempotency key and an opt-out', rule: 'SPEC-IDEMPOTENCY', bad: [['{ key: body.orderId }', '{ key: body.orderId, disabled: "overwrites" }']], at: 'disabled' },
  { name: 'an idempotency key from a field the record lacks', rule: 'SPEC-IDEMPOTENCY', bad: [['key: Sns.MessageId', 'key: sns.MessageId']], at: 'sns.MessageId', says: 'Did you mean `Sns`?' },
  { name: 'an opt-out without a reason', rule: 'SPEC-IDEMPOTENCY', bad: [['{ key: body.orderId }', '{ disabled: " " }']], at: '" "' },
  { name: 'a reserved environment variable', rule: 'SPEC-ENV-NAME', bad: [['LOG_LEVEL: INFO', 'LOG_LEVEL: INFO, AWS_REGION: eu-west-1']], at: 'AWS_REGION' },
  { name: 'a variable the infrastructure sets', rule: 'SPEC-ENV-NAME', bad: [['LOG_LEVEL: INFO', 'LOG_LEVEL: INFO, TABLE_ORDERS: my-table']], at: 'TABLE_ORDERS', says: 'generated infrastructure' },
  { name: 'memory below Lambda\'s minimum', rule: 'LBP-CONFIG-EXPLICIT', bad: [['    memoryMb: 512\n', '    memoryMb: 64\n']], at: '64\n' },
  { name: 'a default timeout above Lambda\'s maximum', rule: 'LBP-CONFIG-EXPLICIT', bad: [['timeoutSeconds: 10, architecture', 'timeoutSeconds: 901, architecture']], at: '901' },
  { name: 'a number in the environment', rule: 'LBP-CONFIG-ENV', bad: [['LOG_LEVEL: INFO', 'LOG_LEVEL: 3']], at: '3 }', says: 'Quote the value' },
  { name: 'a hard-coded ARN in the environment', rule: 'LBP-CONFIG-ENV', severity: 'warning', bad: [['LOG_LEVEL: INFO', 'TABLE_ARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"']], at: '"arn:' },
  { name: 'an SQS consumer without idempotency', rule: 'LBP-IDEMPOTENCY', bad: [['    idempotency: { key: body.orderId }\n', '']], at: 'fulfilOrder:' },
  { name: 'a direct asynchronous function without idempotency', rule: 'LBP-IDEMPOTENCY', bad: [ADD_FUNCTION('  cleanUp:\n    async: { onFailure: notifyFailures }')], at: 'cleanUp:', fixed: [ADD_FUNCTION('  cleanUp:\n    idempotency: { disabled: "deletes are repeatable" }\n    async: { onFailure: notifyFailures }')] },
  { name: 'provisioned concurrency above reserved', rule: 'LBP-PROVISIONED-CONCURRENCY', bad: [['provisionedConcurrency: 2', 'provisionedConcurrency: 30']], at: '30' },
  // Error handling per invocation type
  { name: 'an sns trigger without onFailure', rule: 'LBP-ERR-ASYNC-DESTINATION', bad: [[', onFailure: notifyFailures', '']], at: 'sns:' },
  { name: 'an sns trigger retried 5 times', rule: 'LBP-ERR-ASYNC-DESTINATION', bad: [['maxRetries: 2, maxEventAgeSeconds', 'maxRetries: 5, maxEventAgeSeconds']], at: '5, maxEventAgeSeconds' },
  { name: 'an event age under 60 s', rule: 'LBP-ERR-ASYNC-DESTINATION', bad: [['maxEventAgeSeconds: 3600', 'maxEventAgeSeconds: 30']], at: '30, onFailure' },
  { name: 'a direct asynchronous function without onFailure', rule: 'LBP-ERR-ASYNC-DESTINATION', bad: [ADD_FUNCTION('  cleanUp:\n    idempotency: { disabled: "deletes are repeatable" }')], at: 'cleanUp:', fixed: [ADD_FUNCTION('  cleanUp:\n    idempotency: { disabled: "deletes are repeatable" }\n    async: { onFailure: notifyFailures }')] },
  { name: 'a consumed queue without a DLQ', rule: 'LBP-ERR-SQS-DLQ', bad: [['    deadLetter: { maxReceiveCount: 5 }\n', '']], at: 'fulfilment:\n    subscribe' },
  { name: 'a DLQ after 0 receives on a queue nobody consumes', rule: 'SPEC-RANGE', bad: [['  notifyFailures: {}', '  notifyFailures: { deadLetter: { maxReceiveCount: 0 } }']], at: '0 }' },
  { name: 'a DLQ after 3 receives', rule: 'LBP-ERR-SQS-DLQ', bad: [['maxReceiveCount: 5', 'maxReceiveCount: 3']], at: '3 }' },
  { name: 'a visibility timeout under 6x the consumer timeout', rule: 'LBP-ERR-SQS-DLQ', bad: [['    deadLetter: { maxReceiveCount: 5 }', '    visibilityTimeoutSeconds: 30\n    deadLetter: { maxReceiveCount: 5 }']], at: '30\n', says: 'at least 60' },
  { name: 'an SQS consumer without partial batch responses', rule: 'LBP-ERR-SQS-PARTIAL', bad: [['maxConcurrency: 5, reportBatchItemFailures: true', 'maxConcurrency: 5, reportBatchItemFailures: false']], at: 'false' },
  { name: 'a stream consumer without bisect', rule: 'LBP-ERR-STREAM-BISECT', severity: 'warning', bad: [['bisectOnError: true', 'bisectOnError: false']], at: 'false' },
  { name: 'a stream consumer without partial batch responses', rule: 'LBP-ERR-STREAM-CHECKPOINT', severity: 'warning', bad: [['        reportBatchItemFailures: true', '        reportBatchItemFailures: false']], at: 'false' },
  { name: 'unbounded stream retries', rule: 'LBP-ERR-STREAM-RETRIES', bad: [['maxRetries: 3', 'maxRetries: -1']], at: '-1' },
  { name: 'unbounded stream record age', rule: 'LBP-ERR-STREAM-RETRIES', bad: [['maxRecordAgeSeconds: 3600', 'maxRecordAgeSeconds: -1']], at: '-1' },
  { name: 'a stream consumer without onFailure', rule: 'LBP-ERR-STREAM-ONFAILURE', bad: [['        onFailure: orderStreamFailures\n', '']], at: 'dynamodbStream:' },
  // Databases and file systems
  { name: 'Aurora capacity on an RDS instance', rule: 'SPEC-DATABASE', bad: [['  catalog: {}', '  catalog: {}\n\ndatabases:\n  reports: { engine: postgres, minCapacity: 1 }']], at: 'minCapacity', fixed: [['  catalog: {}', '  catalog: {}\n\ndatabases:\n  reports: { engine: postgres }']] },
  { name: 'Aurora capacity that is not a multiple of 0.5', rule: 'SPEC-DATABASE', bad: [['  catalog: {}', '  catalog: {}\n\ndatabases:\n  reports: { maxCapacity: 2.2 }']], at: '2.2', fixed: [['  catalog: {}', '  catalog: {}\n\ndatabases:\n  reports: { maxCapacity: 2.5 }']] },
  { name: 'a database endpoint in the environment', rule: 'LBP-RDS-PROXY', bad: [['LOG_LEVEL: INFO', 'LOG_LEVEL: INFO, DB_HOST: orders.cluster-abc123.eu-west-1.rds.amazonaws.com']], at: 'orders.cluster-', says: 'permissions.connect' },
  { name: 'a connection string in the environment', rule: 'LBP-RDS-PROXY', bad: [['LOG_LEVEL: INFO', 'LOG_LEVEL: INFO, DATABASE_URL: "postgres://app:secret@db:5432/orders"']], at: '"postgres://', fixed: [['  catalog: {}', '  catalog: {}\n\ndatabases:\n  shop: {}'], ['read: [catalog], write: [orders] }', 'read: [catalog], write: [orders], connect: [shop] }']] },
  { name: 'a mount path outside /mnt', rule: 'LBP-EFS-ASSETS', bad: [['  catalog: {}', '  catalog: {}\n\nfileSystems:\n  assets: { mountPath: /data/assets }']], at: '/data/assets', fixed: [['  catalog: {}', '  catalog: {}\n\nfileSystems:\n  assets: { mountPath: /mnt/assets }'], ['read: [catalog], write', 'read: [catalog, assets], write']] },
  { name: 'a function using two file systems', rule: 'LBP-EFS-ASSETS', bad: [['  catalog: {}', '  catalog: {}\n\nfileSystems:\n  assets: {}\n  media: {}'], ['read: [catalog], write', 'read: [catalog, assets, media], write']], at: 'media], write' },
];

/** Rules whose cases need more than one spec; they are tested in check.test.ts. */
const TESTED_ELSEWHERE: readonly RuleId[] = ['SPEC-SERVICE-DUPLICATE'];

describe('spec rules', () => {
  it('passes the example with no finding', () => {
    // Act
    const result = checkSpecText(ORDERS, ORDERS_FILE);
    // Assert
    expect(result.findings).toEqual([]);
    expect(result.model?.service).toBe('orders');
  });

  it.each(CASES)('reports $rule for $name', (c) => {
    // Arrange
    const text = edit(ORDERS, c.bad);
    const file = c.file ?? ORDERS_FILE;
    const [needle, nth] = typeof c.at === 'string' ? [c.at, 1] : c.at;
    // Act
    const { findings, model } = checkSpecText(text, file);
    // Assert
    const hits = findings.filter((f) => f.rule === c.rule);
    expect(hits, JSON.stringify(findings, null, 1)).toHaveLength(1);
    const hit = hits[0]!;
    expect({ file: hit.file, line: hit.line, column: hit.column, severity: hit.severity })
      .toEqual({ file, ...positionOf(text, needle, nth), severity: c.severity ?? 'error' });
    expect(hit.message.length).toBeGreaterThan(10);
    expect(hit.fix.length).toBeGreaterThan(5);
    if (c.says) expect(`${hit.message} ${hit.fix}`).toContain(c.says);
    if (c.only) expect(findings).toEqual([hit]);
    expect(model === undefined).toBe(findings.some((f) => f.severity === 'error'));
  });

  it.each(CASES)('passes once $name is fixed', (c) => {
    // Act
    const { findings } = checkSpecText(edit(ORDERS, c.fixed ?? []), ORDERS_FILE);
    // Assert
    expect(findings).toEqual([]);
  });

  it('has a failing case for every rule', () => {
    const covered = new Set<RuleId>([...CASES.map((c) => c.rule), ...TESTED_ELSEWHERE]);
    expect(RULE_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });
});
