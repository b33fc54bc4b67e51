/**
 * The run of `npm start -- <spec>` for a spec without a scenario: one synthetic event through each
 * function's real trigger (an HTTP request, an item put into the table, a message sent to the queue,
 * a message published to the topic, a schedule firing, a direct invocation), then a report of each
 * function's invocations and outcome. Events carry the function's idempotency key where the spec
 * puts it in the payload, so that idempotent handlers accept them.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { FunctionModel, ServiceModel, TriggerModel } from '@kiro-serverless/model/model';
import type { TriggerKind, TriggerOf } from '@kiro-serverless/model/triggers';
import type { LocalCloud, LocalService } from './cloud.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './clients.js';
import { httpEvent, scheduledEvent, snsEvent, sqsEvent, sqsRecord, streamEvent, streamRecords } from '@kiro-serverless/events';

/** What one function's synthetic event came to. */
export interface SyntheticOutcome {
  readonly functionId: string;
  readonly trigger: string;
  /** How the event was sent, e.g. `POST /orders → 201`. */
  readonly sent: string;
  readonly invocations: number;
  readonly errors: number;
  /** `ok`, `failed`, `not invoked`, or `filtered` (the trigger's filter dropped the record, as it would on AWS). */
  readonly result: 'ok' | 'failed' | 'not invoked' | 'filtered';
}

export interface SyntheticReport {
  readonly outcomes: readonly SyntheticOutcome[];
  readonly lines: readonly string[];
  /** Every function was reached and none failed (a filtered stream record counts as reached). */
  readonly passed: boolean;
}

/** Sends the events, waits for the cloud to settle, and reports. */
export async function runSynthetic(cloud: LocalCloud, model: ServiceModel, note: (text: string) => void): Promise<SyntheticReport> {
  const service = cloud.services[model.service];
  if (!service) throw new Error(`service ${model.service} is not running`);
  const sent = new Map<string, string>();
  for (const fn of Object.values(model.functions)) {
    sent.set(fn.id, await send(cloud, model, fn));
    note(`synthetic: ${fn.id} ← ${sent.get(fn.id) ?? ''}`);
  }
  await cloud.waitForIdle({ timeoutMs: 120_000 });

  const counts = cloud.counters.snapshot();
  const outcomes = Object.values(model.functions).map((fn): SyntheticOutcome => {
    const c = counts.functions[fn.id];
    const invocations = c?.invocations ?? 0;
    const errors = c?.errors ?? 0;
    const filtered = Object.values(counts.mappings).some((m) => m.fn === fn.id && m.filteredOut > 0);
    const httpStatus = /→ (\d{3})$/.exec(sent.get(fn.id) ?? '')?.[1];
    let result: SyntheticOutcome['result'];
    if (invocations === 0) result = filtered ? 'filtered' : 'not invoked';
    else if (errors > 0 || (httpStatus !== undefined && Number(httpStatus) >= 500)) result = 'failed';
    else result = 'ok';
    return { functionId: fn.id, trigger: fn.trigger.type, sent: sent.get(fn.id) ?? '', invocations, errors, result };
  });

  const width = Math.max('function'.length, ...outcomes.map((o) => o.functionId.length));
  const lines = [
    `${'function'.padEnd(width)}  ${'trigger'.padEnd(14)}  invocations  errors  result`,
    ...outcomes.map((o) => `${o.functionId.padEnd(width)}  ${o.trigger.padEnd(14)}  ${String(o.invocations).padStart(11)}  ${String(o.errors).padStart(6)}  ${o.result}`),
  ];
  return { outcomes, lines, passed: outcomes.every((o) => o.result === 'ok' || o.result === 'filtered') };
}

async function send(cloud: LocalCloud, model: ServiceModel, fn: FunctionModel): Promise<string> {
  const service = cloud.services[model.service];
  if (!service) throw new Error(`service ${model.service} is not running`);
  const key = fn.idempotency && 'key' in fn.idempotency ? fn.idempotency.key : undefined;
  return syntheticOf(fn.trigger).send(fn.trigger, { cloud, model, fn, service, key });
}

/** An Idempotency-Key (or whatever header the spec keys on) for an HTTP request. */
function headerFor(key: string | undefined): Record<string, string> {
  const header = key?.match(/^headers\.(.+)$/)?.[1]?.replace(/^"|"$/g, '');
  return header ? { [header]: randomUUID() } : {};
}

/**
 * A JSON payload with a unique value where the idempotency key points inside it: `body.orderId`
 * gives `{ orderId: '<uuid>' }` for prefix `body`; a key elsewhere (a header, an event ID) gives `{}`.
 */
function payloadFor(key: string | undefined, prefix: string): Record<string, unknown> {
  if (key === undefined) return {};
  const rest = prefix === '' ? key : key.startsWith(`${prefix}.`) ? key.slice(prefix.length + 1) : undefined;
  if (rest === undefined || rest === '') return {};
  const segments = rest.split('.').map((s) => s.replace(/^"|"$/g, ''));
  const payload: Record<string, unknown> = {};
  let cursor = payload;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) cursor[segment] = randomUUID();
    else cursor = (cursor[segment] = {}) as Record<string, unknown>;
  });
  return payload;
}

function keyValue(type: 'string' | 'number' | 'binary'): AttributeValue {
  if (type === 'number') return { N: String(Date.now()) };
  if (type === 'binary') return { B: Buffer.from(randomUUID()) };
  return { S: `synthetic-${randomUUID()}` };
}

/** What a trigger's synthetic event is sent with. */
interface SendContext {
  readonly cloud: LocalCloud;
  readonly model: ServiceModel;
  readonly fn: FunctionModel;
  readonly service: LocalService;
  /** The function's idempotency key (a path into its input), if it has one. */
  readonly key: string | undefined;
}

/** What a test event is built for. */
interface EventContext {
  readonly model: ServiceModel;
  readonly fn: FunctionModel;
  readonly key: string | undefined;
  readonly aws: { readonly region: string; readonly accountId: string };
}

/** A trigger type's synthetic event (`npm start` on a spec without a scenario) and test event (`npm run invoke`). */
interface TriggerSynthetic<K extends TriggerKind> {
  /** Sends one event through the function's real trigger; resolves to how it was sent. */
  send(trigger: TriggerOf<K>, context: SendContext): Promise<string>;
  /** The event this trigger type delivers, shaped for the function (its route, queue, topic or table where it has one of this type). */
  event(context: EventContext): unknown;
}

/**
 * Every trigger type's synthetic and test events, keyed by the model's trigger types (a new type does
 * not compile until it has one). The keys, in this order, are the factory names of `npm run invoke`.
 *
 * @internal
 */
export const SYNTHETIC: { readonly [K in TriggerKind]: TriggerSynthetic<K> } = {
  http: {
    async send(trigger, { service, key }) {
      const requestPath = trigger.path.replace(/\{([^}+]+)\+?\}/g, (_m, name: string) => `synthetic-${name}`);
      const hasBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(trigger.method);
      const response = await fetch(`${service.httpUrl ?? ''}${requestPath}`, {
        method: trigger.method === 'ANY' ? 'POST' : trigger.method,
        headers: { 'content-type': 'application/json', ...headerFor(key) },
        ...(hasBody || trigger.method === 'ANY' ? { body: JSON.stringify(payloadFor(key, 'body')) } : {}),
      });
      await response.arrayBuffer();
      return `${trigger.method} ${requestPath} → ${response.status}`;
    },
    event({ fn, key, aws }) {
      const trigger = fn.trigger;
      const method = trigger.type === 'http' ? trigger.method : 'POST';
      const route = trigger.type === 'http' ? trigger.path : '/';
      const pathParameters: Record<string, string> = {};
      const requestPath = route.replace(/\{([^}+]+)\+?\}/g, (_m, name: string) => (pathParameters[name] = `example-${name}`));
      return httpEvent({ ...aws, method: method === 'ANY' ? 'POST' : method, path: requestPath, route, pathParameters, headers: headerFor(key), body: payloadFor(key, 'body') });
    },
  },
  sqs: {
    async send(trigger, { cloud, service, key }) {
      const queue = service.resources.queues[trigger.queue];
      await cloud.clients.sqs.send(new SendMessageCommand({
        QueueUrl: queue?.url,
        MessageBody: JSON.stringify(payloadFor(key, 'body')),
        ...(queue?.fifo ? { MessageGroupId: 'synthetic', MessageDeduplicationId: randomUUID() } : {}),
      }));
      return `a message on queue ${trigger.queue}`;
    },
    event: ({ model, fn, key, aws }) =>
      sqsEvent([sqsRecord(payloadFor(key, 'body'), { ...aws, queue: fn.trigger.type === 'sqs' ? `${model.service}-${fn.trigger.queue}` : `${model.service}-queue` })]),
  },
  sns: {
    async send(trigger, { cloud, service, key }) {
      const topic = service.resources.topics[trigger.topic];
      await cloud.clients.sns.send(new PublishCommand({
        TopicArn: topic?.arn,
        Message: JSON.stringify(payloadFor(key, 'Sns.Message')),
        ...(topic?.fifo ? { MessageGroupId: 'synthetic', MessageDeduplicationId: randomUUID() } : {}),
      }));
      return `a message published to topic ${trigger.topic}`;
    },
    event: ({ model, fn, key, aws }) =>
      snsEvent(payloadFor(key, 'Sns.Message'), { ...aws, topic: fn.trigger.type === 'sns' ? `${model.service}-${fn.trigger.topic}` : `${model.service}-topic` }),
  },
  dynamodbStream: {
    async send(trigger, { cloud, model, service, key }) {
      const table = model.tables[trigger.table];
      if (!table) throw new Error(`table ${trigger.table} is not in the model`);
      const item: Record<string, AttributeValue> = {};
      for (const attribute of [table.partitionKey, table.sortKey]) {
        if (attribute) item[attribute.name] = keyValue(attribute.type);
      }
      const imageKey = key?.match(/^dynamodb\.NewImage\.([^.]+)/)?.[1]?.replace(/^"|"$/g, '');
      if (imageKey && !item[imageKey]) item[imageKey] = { S: randomUUID() };
      await cloud.clients.dynamoDb.send(new PutItemCommand({ TableName: service.resources.tables[trigger.table]?.name, Item: item }));
      return `an item put into table ${trigger.table}`;
    },
    event({ model, fn, aws }) {
      const tableId = fn.trigger.type === 'dynamodbStream' ? fn.trigger.table : Object.keys(model.tables)[0];
      const table = tableId === undefined ? undefined : model.tables[tableId];
      const keyNames = table ? [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])] : ['pk'];
      const item = Object.fromEntries(keyNames.map((name) => [name, `example-${name}`]));
      return streamEvent([streamRecords({ ...aws, table: `${model.service}-${tableId ?? 'table'}`, keys: keyNames }).insert(item)]);
    },
  },
  schedule: {
    send(trigger, { fn, service }) {
      const schedule = service.schedules[fn.id];
      if (!schedule) throw new Error(`${fn.id} has no running schedule`);
      schedule.fireNow();
      return Promise.resolve(`schedule ${trigger.expression} fired once`);
    },
    event: ({ aws }) => scheduledEvent(aws),
  },
  direct: {
    async send(trigger, { fn, service, key }) {
      const event = payloadFor(key, '');
      await service.invoke(fn.id, event, trigger.invocation);
      return `a direct ${trigger.invocation === 'sync' ? 'RequestResponse' : 'Event'} invocation`;
    },
    event: ({ key }) => payloadFor(key, ''),
  },
};

/** The synthetic events of a trigger's type (its `send` takes that trigger). */
function syntheticOf(trigger: TriggerModel): TriggerSynthetic<TriggerKind> {
  return SYNTHETIC[trigger.type];
}

/** The factory names `npm run invoke -- <fn> --event <name>` takes: the trigger types. */
export const EVENT_FACTORIES = Object.keys(SYNTHETIC) as readonly TriggerKind[];

/**
 * A typed test event for `fn`, built by the event builders of @kiro-serverless/events: the shape its
 * trigger delivers (or the shape `factory` names), with the idempotency key filled in where the spec
 * puts it. Undefined for an unknown factory name.
 */
export function defaultEvent(factory: string, model: ServiceModel, fn: FunctionModel): unknown {
  if (!Object.hasOwn(SYNTHETIC, factory)) return undefined;
  const key = fn.idempotency && 'key' in fn.idempotency ? fn.idempotency.key : undefined;
  return SYNTHETIC[factory as TriggerKind].event({ model, fn, key, aws: { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID } });
}
