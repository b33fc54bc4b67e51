/**
 * The trigger descriptors (src/triggers.ts): one per trigger type and `direct`, and their facts agree
 * with the rest of the model: invocation kinds, retries, the defaults resolve.ts applies, the
 * idempotency key roots the rules accept, and the error sentences with the settings filled in.
 */
import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '@kiro-serverless/fixtures';
import { checkSpecText } from '../src/check.js';
import { DEFAULTS, TRIGGER_TYPES } from '../src/constants.js';
import type { TriggerType } from '../src/constants.js';
import type { ServiceModel, TriggerModel } from '../src/model.js';
import { invocationKind, isRetried } from '../src/model.js';
import type { TriggerKind } from '../src/triggers.js';
import { deliveryOf, inputTypeOf, TRIGGER_KINDS, TRIGGERS, UnitOfWork, whatErrorDoes } from '../src/triggers.js';

function modelOf(text: string, file = 'specs/t.yaml'): ServiceModel {
  const { model, findings } = checkSpecText(text, file);
  if (!model) throw new Error(`${file} has errors: ${JSON.stringify(findings, null, 2)}`);
  return model;
}

const billing = modelOf(fixtureSpec('billing'), 'specs/billing.yaml');
const trigger = (id: string): TriggerModel => {
  const fn = billing.functions[id];
  if (!fn) throw new Error(`no function ${id} in billing`);
  return fn.trigger;
};

/** One trigger of each type (both direct invocations), from the billing fixture. */
const FIXTURE_TRIGGERS: readonly [string, TriggerModel][] = [
  ['http', trigger('getInvoice')],
  ['dynamodbStream', trigger('projectLedger')],
  ['sqs', trigger('applyPayment')],
  ['sns', trigger('archiveInvoiceEvent')],
  ['schedule', trigger('sendReminders')],
  ['direct async', trigger('renderInvoicePdf')],
  ['direct sync', trigger('quoteTax')],
];

/** A spec whose only function has `trigger` (YAML flow) and `extra` lines, with every resource it may name. */
function specWith(triggerYaml: string | undefined, extra = ''): string {
  return `service: t
tables:
  items: { partitionKey: { name: id, type: string }, stream: newImage }
queues:
  jobs: { deadLetter: { maxReceiveCount: 5 }, visibilityTimeoutSeconds: 60 }
  failures: { deadLetter: { maxReceiveCount: 5 } }
topics:
  events: {}
functions:
  f:
${triggerYaml === undefined ? '' : `    trigger: ${triggerYaml}\n`}${extra}`;
}

/** The smallest trigger of each spec trigger type, every setting left to its default. */
const BARE_TRIGGERS: Readonly<Record<TriggerType, string>> = {
  http: '{ http: { method: POST, path: /items } }',
  dynamodbStream: '{ dynamodbStream: { table: items, onFailure: failures } }',
  sqs: '{ sqs: { queue: jobs } }',
  sns: '{ sns: { topic: events, onFailure: failures } }',
  schedule: "{ schedule: { rate: '5 minutes', onFailure: failures } }",
};

describe('TRIGGERS', () => {
  it('has one descriptor for every trigger type of the spec and for direct, each under its own type', () => {
    // Arrange
    const expected = [...TRIGGER_TYPES, 'direct'].sort();

    // Act
    const keys = Object.keys(TRIGGERS).sort();

    // Assert
    expect(keys).toEqual(expected);
    expect([...TRIGGER_KINDS].sort()).toEqual(expected);
    for (const kind of TRIGGER_KINDS) expect(TRIGGERS[kind].type).toBe(kind);
  });

  it.each(FIXTURE_TRIGGERS)('%s: invocationKind and isRetried read the descriptor', (_name, t) => {
    expect(invocationKind(t)).toBe(deliveryOf(t).invocation);
    expect(isRetried(t)).toBe(deliveryOf(t).repeats);
  });

  it('says how Lambda invokes each trigger, and that every trigger but a synchronous one repeats deliveries', () => {
    // Act
    const facts = Object.fromEntries(FIXTURE_TRIGGERS.map(([name, t]) => [name, [invocationKind(t), isRetried(t)]]));

    // Assert
    expect(facts).toEqual({
      'http': ['sync', false],
      'dynamodbStream': ['poll', true],
      'sqs': ['poll', true],
      'sns': ['async', true],
      'schedule': ['async', true],
      'direct async': ['async', true],
      'direct sync': ['sync', false],
    });
  });

  it('describes the input: batches deliver records of a record type, the others one event', () => {
    const inputs = Object.fromEntries(TRIGGER_KINDS.map((kind) => [kind, [TRIGGERS[kind].unit, inputTypeOf(TRIGGERS[kind])]]));
    expect(inputs).toEqual({
      http: [UnitOfWork.Event, 'APIGatewayProxyEventV2'],
      dynamodbStream: [UnitOfWork.Record, 'DynamoDBRecord'],
      sqs: [UnitOfWork.Record, 'SQSRecord'],
      sns: [UnitOfWork.Record, 'SNSEventRecord'],
      schedule: [UnitOfWork.Event, 'ScheduledEvent'],
      direct: [UnitOfWork.Event, undefined],
    });
    for (const kind of TRIGGER_KINDS) {
      const d = TRIGGERS[kind];
      expect(d.recordType !== undefined, kind).toBe(d.unit === UnitOfWork.Record);
    }
  });

  it.each(TRIGGER_TYPES)('%s: the DEFAULTS entry it names is the one resolve.ts applies to a bare trigger', (type) => {
    // Arrange
    const model = modelOf(specWith(BARE_TRIGGERS[type], type === 'http' ? '' : '    idempotency: { disabled: "test" }\n'));
    const t = model.functions.f!.trigger;
    const entry = deliveryOf(t).defaults;

    // Act
    const settings = entry === undefined ? {} : entry === 'async' ? ('async' in t ? t.async : {}) : t;

    // Assert
    if (entry === undefined) expect(Object.keys(t).sort()).toEqual(['method', 'path', 'type']);
    else expect(settings).toMatchObject(DEFAULTS[entry]);
  });

  it('a direct function defaults to the invocation DEFAULTS names, with the async defaults when asynchronous', () => {
    const model = modelOf(specWith(undefined, '    idempotency: { disabled: "test" }\n    async: { onFailure: failures }\n'));
    const t = model.functions.f!.trigger;
    expect(t.type === 'direct' && t.invocation).toBe(DEFAULTS.invocation);
    expect(deliveryOf(t)).toBe(TRIGGERS.direct.delivery[DEFAULTS.invocation]);
    expect('async' in t ? t.async : undefined).toMatchObject(DEFAULTS[deliveryOf(t).defaults ?? 'async']);
  });
});

describe('idempotency key sources', () => {
  const roots = TRIGGER_TYPES.flatMap((type) => TRIGGERS[type].idempotencyKey.roots.map((root): [TriggerType, string] => [type, root]));

  it.each(roots)('%s: the rules accept a key that starts at %s', (type, root) => {
    const { findings } = checkSpecText(specWith(BARE_TRIGGERS[type], `    idempotency: { key: ${root}.x }\n`), 'specs/t.yaml');
    expect(findings.filter((f) => f.rule === 'SPEC-IDEMPOTENCY')).toEqual([]);
  });

  it.each(TRIGGER_TYPES)('%s: the rules refuse a key that starts elsewhere, listing the roots', (type) => {
    const { findings } = checkSpecText(specWith(BARE_TRIGGERS[type], '    idempotency: { key: nowhere.x }\n'), 'specs/t.yaml');
    const refused = findings.filter((f) => f.rule === 'SPEC-IDEMPOTENCY');
    expect(refused).toHaveLength(1);
    for (const root of TRIGGERS[type].idempotencyKey.roots) expect(refused[0]!.fix).toContain(`\`${root}\``);
  });

  it('direct takes a key anywhere: the caller chooses the event', () => {
    const { findings } = checkSpecText(specWith(undefined, '    idempotency: { key: anything.x }\n    async: { onFailure: failures }\n'), 'specs/t.yaml');
    expect(TRIGGERS.direct.idempotencyKey.roots).toEqual([]);
    expect(findings.filter((f) => f.rule === 'SPEC-IDEMPOTENCY')).toEqual([]);
  });

  it.each(TRIGGER_KINDS)('%s: JSON text fields, lower-cased fields and the example start at one of its roots', (kind: TriggerKind) => {
    const source = TRIGGERS[kind].idempotencyKey;
    const starts = [...source.jsonTextFields, ...source.lowerCaseKeysOf, ...(source.example === undefined ? [] : [source.example])]
      .map((path) => path.split('.')[0]);
    for (const start of starts) expect(source.roots).toContain(start);
  });

  it('the LBP-IDEMPOTENCY fix quotes the example key of the trigger', () => {
    const { findings } = checkSpecText(specWith(BARE_TRIGGERS.sqs), 'specs/t.yaml');
    expect(findings.find((f) => f.rule === 'LBP-IDEMPOTENCY')?.fix).toContain('(e.g. `body.orderId`)');
  });
});

describe('whatErrorDoes', () => {
  it('fills in the settings of each trigger, and says where failed events go', () => {
    // Act
    const sentences = Object.fromEntries(FIXTURE_TRIGGERS.map(([name, t]) => [name, whatErrorDoes(t)]));

    // Assert
    expect(sentences).toEqual({
      'http': 'Throw an HttpError (400, 404, 409, 422) to answer the caller; any other error answers 500 and is logged.',
      'dynamodbStream': "Throw to fail it: the shard retries from this record (up to 3 times), then sends the batch's details to billingFailures and moves on.",
      'sqs': 'Throw to fail this message alone: it returns after the visibility timeout, and goes to the dead-letter queue after maxReceiveCount.',
      'sns': 'Throw to fail the invocation: Lambda retries it 2 time(s), then sends it to billingFailures.',
      'schedule': 'Throw to fail the invocation: Lambda retries it 1 time(s), then sends it to billingFailures.',
      'direct async': 'Throw to fail it: Lambda retries it 2 time(s), then sends it to billingFailures.',
      'direct sync': 'Throw to answer the caller with the error; Lambda does not retry.',
    });
  });

  it('says "nowhere" when a trigger names no OnFailure destination', () => {
    const { onFailure: _onFailure, ...withoutDestination } = billingStream();
    const t: TriggerModel = withoutDestination;
    expect(whatErrorDoes(t)).toContain('then sends the batch\'s details nowhere and moves on.');
  });
});

function billingStream(): Extract<TriggerModel, { type: 'dynamodbStream' }> {
  const t = trigger('projectLedger');
  if (t.type !== 'dynamodbStream') throw new Error('projectLedger has no stream trigger');
  return t;
}
