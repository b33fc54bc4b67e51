/**
 * The environment contract of a function: which variables the infrastructure (and the local cloud)
 * sets, and which the generated entry point reads and validates at INIT. Derived from the model in
 * one place so that generated code, CDK and the local cloud agree (LBP-CONFIG-ENV).
 */
import { compareCodeUnits } from './constants.js';
import type { FunctionModel, ServiceModel } from './model.js';

export const EnvKind = {
  Table: 'table',
  Bucket: 'bucket',
  Topic: 'topic',
  Queue: 'queue',
  IdempotencyTable: 'idempotencyTable',
  Powertools: 'powertools',
  User: 'user',
} as const;
export type EnvKind = (typeof EnvKind)[keyof typeof EnvKind];

export interface EnvVariable {
  readonly name: string;
  readonly kind: EnvKind;
  /** The resource ID it refers to (tables, buckets, topics, queues). */
  readonly resource?: string;
  /** What the value is, for error messages and docs. */
  readonly description: string;
  /** Set for user variables (from the spec) and Powertools settings; resources get theirs at deploy time. */
  readonly value?: string;
}

export const IDEMPOTENCY_TABLE_ENV = 'IDEMPOTENCY_TABLE';

/**
 * The shape of a service's idempotency table, as Powertools' DynamoDB persistence layer uses it by
 * default: a string partition key `id` and the expiry (epoch seconds) in `expiration`, which the
 * table's TTL should name so that DynamoDB deletes expired records. Infra and the local cloud create
 * it from this.
 */
export const IDEMPOTENCY_TABLE_SCHEMA = { partitionKey: 'id', timeToLiveAttribute: 'expiration' } as const;

/** `orderEvents` -> `ORDER_EVENTS` */
export function envSegment(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The variable that carries a resource: a table or bucket name, a topic ARN, a queue URL. */
export function resourceEnvName(kind: 'table' | 'bucket' | 'topic' | 'queue', id: string): string {
  const suffix = { table: '', bucket: '', topic: '_ARN', queue: '_URL' }[kind];
  return `${kind.toUpperCase()}_${envSegment(id)}${suffix}`;
}

/** Every variable `fn` gets, generated ones first (sorted), then the spec's own. */
export function functionEnvironment(model: Pick<ServiceModel, 'service' | 'tables'>, fn: FunctionModel): EnvVariable[] {
  const resources: EnvVariable[] = [];
  const add = (kind: 'table' | 'bucket' | 'topic' | 'queue', id: string, what: string) => {
    const name = resourceEnvName(kind, id);
    if (!resources.some((v) => v.name === name)) resources.push({ name, kind, resource: id, description: `${what} of ${kind} ${id}` });
  };
  const { read, write, publish, send } = fn.permissions;
  for (const id of [...read, ...write]) {
    // read/write take tables and buckets; the rules guarantee every ID is one of them.
    add(Object.hasOwn(model.tables, id) ? 'table' : 'bucket', id, 'the name');
  }
  for (const id of publish) add('topic', id, 'the ARN');
  for (const id of send) add('queue', id, 'the URL');
  resources.sort((a, b) => compareCodeUnits(a.name, b.name));
  const generated: EnvVariable[] = [
    { name: 'POWERTOOLS_SERVICE_NAME', kind: EnvKind.Powertools, description: 'the service name in logs and metrics', value: model.service },
    { name: 'POWERTOOLS_METRICS_NAMESPACE', kind: EnvKind.Powertools, description: 'the metrics namespace', value: model.service },
    ...(fn.idempotency && 'key' in fn.idempotency
      ? [{ name: IDEMPOTENCY_TABLE_ENV, kind: EnvKind.IdempotencyTable, description: 'the name of the idempotency table' }]
      : []),
    ...resources,
  ];
  const user = Object.entries(fn.environment).map(([name, value]): EnvVariable => ({ name, kind: EnvKind.User, description: 'set in the spec', value }));
  return [...generated, ...user];
}

/** The names of the variables the generated infrastructure sets for `fn` (user variables must not reuse them). */
export function generatedEnvNames(model: Pick<ServiceModel, 'service' | 'tables'>, fn: FunctionModel): string[] {
  return functionEnvironment(model, fn).filter((v) => v.kind !== EnvKind.User).map((v) => v.name);
}

