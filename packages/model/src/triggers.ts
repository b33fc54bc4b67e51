/**
 * One descriptor per trigger type: what the rest of the kit needs to know about a trigger, as data.
 * A function without a trigger is `direct`, invoked by Lambda `sync` (RequestResponse) or `async`
 * (Event) as its spec says. `TRIGGERS` is keyed by every trigger type, so a new type in
 * `TRIGGER_TYPES` is a compile error here until it has a descriptor; each consumer (generator, local
 * cloud, MCP server) then has its own `Record<TriggerKind, ...>` table that the compiler names in turn.
 */
import type { DEFAULTS, InvocationType, TriggerType } from './constants.js';
import { TRIGGER_TYPES } from './constants.js';
import type { InvocationKind, TriggerModel } from './model.js';

/** The `type` of a trigger in the model: a spec trigger type, or `direct` for a function without one. */
export type TriggerKind = TriggerType | 'direct';
export const TRIGGER_KINDS = [...TRIGGER_TYPES, 'direct'] as const satisfies readonly TriggerKind[];

/** The model of each trigger type (direct: both invocations). */
type TriggerByKind = { [T in TriggerModel as T['type']]: T };
/** The model of a trigger of type `K`, for consumers' per-type tables. */
export type TriggerOf<K extends TriggerKind> = TriggerByKind[K];

/** What the business logic handles per call: the whole event, or one record of a batch. */
export const UnitOfWork = { Event: 'event', Record: 'record' } as const;
export type UnitOfWork = (typeof UnitOfWork)[keyof typeof UnitOfWork];

/** The entries of `DEFAULTS` that hold a trigger's settings. */
export type TriggerDefaults = Extract<keyof typeof DEFAULTS, 'dynamodbStream' | 'sqs' | 'async'>;

/** How Lambda delivers events of a trigger, and what becomes of a failed one. */
export interface Delivery {
  /** How Lambda invokes the function. */
  readonly invocation: InvocationKind;
  /**
   * Whether the same event can arrive more than once (retries, redelivery), so that the function
   * must be idempotent or say why repeats are harmless (LBP-IDEMPOTENCY).
   */
  readonly repeats: boolean;
  /**
   * What a thrown error does, in one sentence. `{setting}` stands for a setting of the resolved
   * trigger (`{maxRetries}`, `{async.maxRetries}`); a `{...onFailure}` setting reads `to <queue>`, or
   * `nowhere` when the spec names none. {@link whatErrorDoes} fills them in.
   */
  readonly onError: string;
  /** The entry of `DEFAULTS` that the trigger's settings default from, if it has settings. */
  readonly defaults: TriggerDefaults | undefined;
}

/** Where an idempotency key can come from in the input of a trigger. */
export interface IdempotencyKeySource {
  /**
   * The fields a key may start from: the top-level keys of the event (http, schedule) or of one
   * record (stream, sqs, sns), as Powertools sees them. Empty when the caller chooses the event's
   * shape (direct), so any field goes.
   */
  readonly roots: readonly string[];
  /** Fields that Lambda delivers as JSON text (a body, an SNS message): a key inside one is parsed first. */
  readonly jsonTextFields: readonly string[];
  /** Fields whose own keys arrive in lower case whatever the sender wrote (HTTP API header names). */
  readonly lowerCaseKeysOf: readonly string[];
  /** A typical key, quoted in fixes. @default none (the caller chooses the event) */
  readonly example?: string;
}

export interface TriggerDescriptor<K extends TriggerKind = TriggerKind> {
  readonly type: K;
  /** What delivers the events, in prose. */
  readonly source: string;
  /** The `aws-lambda` type of the event Lambda passes; undefined for direct (its caller names it). */
  readonly eventType: string | undefined;
  /** The `aws-lambda` type of one record, for triggers that deliver batches; else undefined. */
  readonly recordType: string | undefined;
  /** What the business logic handles per call. */
  readonly unit: UnitOfWork;
  readonly idempotencyKey: IdempotencyKeySource;
  /** How events are delivered: one way for a trigger, the spec's `invocation` for direct. */
  readonly delivery: K extends 'direct' ? Readonly<Record<InvocationType, Delivery>> : Delivery;
}

/** What an asynchronous invocation does with a throw (SNS, schedules, direct async). */
const ASYNC_DELIVERY: Delivery = {
  invocation: 'async',
  repeats: true,
  onError: 'Throw to fail the invocation: Lambda retries it {async.maxRetries} time(s), then sends it {async.onFailure}.',
  defaults: 'async',
};

/** Every trigger type's descriptor. */
export const TRIGGERS: { readonly [K in TriggerKind]: TriggerDescriptor<K> } = {
  http: {
    type: 'http',
    source: 'API Gateway HTTP API',
    eventType: 'APIGatewayProxyEventV2',
    recordType: undefined,
    unit: UnitOfWork.Event,
    idempotencyKey: {
      roots: ['body', 'headers', 'pathParameters', 'queryStringParameters', 'requestContext'],
      jsonTextFields: ['body'],
      lowerCaseKeysOf: ['headers'],
      example: 'headers.idempotency-key',
    },
    delivery: {
      invocation: 'sync',
      repeats: false,
      onError: 'Throw an HttpError (400, 404, 409, 422) to answer the caller; any other error answers 500 and is logged.',
      defaults: undefined,
    },
  },
  dynamodbStream: {
    type: 'dynamodbStream',
    source: 'DynamoDB stream (event source mapping)',
    eventType: 'DynamoDBStreamEvent',
    recordType: 'DynamoDBRecord',
    unit: UnitOfWork.Record,
    idempotencyKey: { roots: ['dynamodb', 'eventID', 'eventName'], jsonTextFields: [], lowerCaseKeysOf: [], example: 'dynamodb.Keys.pk.S' },
    delivery: {
      invocation: 'poll',
      repeats: true,
      onError: "Throw to fail it: the shard retries from this record (up to {maxRetries} times), then sends the batch's details {onFailure} and moves on.",
      defaults: 'dynamodbStream',
    },
  },
  sqs: {
    type: 'sqs',
    source: 'SQS queue (event source mapping)',
    eventType: 'SQSEvent',
    recordType: 'SQSRecord',
    unit: UnitOfWork.Record,
    idempotencyKey: { roots: ['body', 'messageId', 'attributes', 'messageAttributes'], jsonTextFields: ['body'], lowerCaseKeysOf: [], example: 'body.orderId' },
    delivery: {
      invocation: 'poll',
      repeats: true,
      onError: 'Throw to fail this message alone: it returns after the visibility timeout, and goes to the dead-letter queue after maxReceiveCount.',
      defaults: 'sqs',
    },
  },
  sns: {
    type: 'sns',
    source: 'SNS topic subscription',
    eventType: 'SNSEvent',
    recordType: 'SNSEventRecord',
    unit: UnitOfWork.Record,
    idempotencyKey: { roots: ['Sns'], jsonTextFields: ['Sns.Message'], lowerCaseKeysOf: [], example: 'Sns.MessageId' },
    delivery: ASYNC_DELIVERY,
  },
  schedule: {
    type: 'schedule',
    source: 'EventBridge schedule',
    eventType: 'ScheduledEvent',
    recordType: undefined,
    unit: UnitOfWork.Event,
    idempotencyKey: { roots: ['id', 'time', 'detail', 'resources'], jsonTextFields: [], lowerCaseKeysOf: [], example: 'id' },
    delivery: ASYNC_DELIVERY,
  },
  direct: {
    type: 'direct',
    source: 'Lambda Invoke',
    eventType: undefined,
    recordType: undefined,
    unit: UnitOfWork.Event,
    idempotencyKey: { roots: [], jsonTextFields: [], lowerCaseKeysOf: [] },
    delivery: {
      sync: {
        invocation: 'sync',
        repeats: false,
        onError: 'Throw to answer the caller with the error; Lambda does not retry.',
        defaults: undefined,
      },
      async: { ...ASYNC_DELIVERY, onError: 'Throw to fail it: Lambda retries it {async.maxRetries} time(s), then sends it {async.onFailure}.' },
    },
  },
};

/** How events reach a function with this trigger (for direct, the way its spec's `invocation` says). */
export function deliveryOf(trigger: TriggerModel): Delivery {
  return trigger.type === 'direct' ? TRIGGERS.direct.delivery[trigger.invocation] : TRIGGERS[trigger.type].delivery;
}

/** The `aws-lambda` type of what the business logic gets per call: one record, or the event. */
export function inputTypeOf(descriptor: TriggerDescriptor): string | undefined {
  return descriptor.unit === UnitOfWork.Record ? descriptor.recordType : descriptor.eventType;
}

/**
 * What a thrown error does for this trigger, with its settings filled in:
 * `Throw to fail the invocation: Lambda retries it 2 time(s), then sends it to failures.`
 */
export function whatErrorDoes(trigger: TriggerModel): string {
  return deliveryOf(trigger).onError.replace(/\{([A-Za-z]+(?:\.[A-Za-z]+)*)\}/g, (_match, setting: string) => {
    let value: unknown = trigger;
    for (const segment of setting.split('.')) value = (value as Record<string, unknown> | undefined)?.[segment];
    if (setting.endsWith('onFailure')) return value === undefined ? 'nowhere' : `to ${String(value)}`;
    if (value === undefined) throw new Error(`The onError sentence of ${trigger.type} names {${setting}}, which the trigger does not have.`);
    return String(value);
  });
}
