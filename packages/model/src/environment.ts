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
  Database: 'database',
  FileSystem: 'fileSystem',
  IdempotencyTable: 'idempotencyTable',
  Powertools: 'powertools',
  User: 'user',
} as const;
export type EnvKind = (typeof EnvKind)[keyof typeof EnvKind];

export interface EnvVariable {
  readonly name: string;
  readonly kind: EnvKind;
  /** The resource ID it refers to (tables, buckets, topics, queues, databases, file systems). */
  readonly resource?: string;
  /** For a database or file system, which of its values this is. */
  readonly attribute?: ResourceAttribute;
  /** What the value is, for error messages and docs. */
  readonly description: string;
  /** Set for user variables (from the spec) and Powertools settings; resources get theirs at deploy time. */
  readonly value?: string;
}

/** The values a database or file system passes to a function, each in a variable of its own. */
export type ResourceAttribute = 'proxyEndpoint' | 'databaseName' | 'user' | 'mountPath';

export const IDEMPOTENCY_TABLE_ENV = 'IDEMPOTENCY_TABLE';

/**
 * The database user functions connect as, through the proxy with an IAM token (LBP-RDS-PROXY): the
 * user of the credentials secret that the proxy holds. No password reaches a function.
 */
export const DATABASE_USER = 'postgres';

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

/** `DB_<ID>_PROXY_ENDPOINT`, `DB_<ID>_NAME`, `DB_<ID>_USER`; `FS_<ID>_PATH`. */
export function attributeEnvName(attribute: ResourceAttribute, id: string): string {
  if (attribute === 'mountPath') return `FS_${envSegment(id)}_PATH`;
  return `DB_${envSegment(id)}_${{ proxyEndpoint: 'PROXY_ENDPOINT', databaseName: 'NAME', user: 'USER' }[attribute]}`;
}

/** The part of a model the environment contract reads. */
export type EnvironmentScope = Pick<ServiceModel, 'service' | 'tables'> & Partial<Pick<ServiceModel, 'databases' | 'fileSystems'>>;

/** Every variable `fn` gets, generated ones first (sorted), then the spec's own. */
export function functionEnvironment(model: EnvironmentScope, fn: FunctionModel): EnvVariable[] {
  const resources: EnvVariable[] = [];
  const add = (kind: 'table' | 'bucket' | 'topic' | 'queue', id: string, what: string) => {
    const name = resourceEnvName(kind, id);
    if (!resources.some((v) => v.name === name)) resources.push({ name, kind, resource: id, description: `${what} of ${kind} ${id}` });
  };
  const addAttribute = (kind: 'database' | 'fileSystem', attribute: ResourceAttribute, id: string, description: string, value?: string) => {
    const name = attributeEnvName(attribute, id);
    if (!resources.some((v) => v.name === name)) resources.push({ name, kind, resource: id, attribute, description, ...(value === undefined ? {} : { value }) });
  };
  const { read, write, publish, send, connect } = fn.permissions;
  const databases = model.databases ?? {};
  const fileSystems = model.fileSystems ?? {};
  for (const id of [...read, ...write]) {
    // read/write take tables, buckets and file systems; the rules guarantee every ID is one of them.
    const fileSystem = fileSystems[id];
    if (fileSystem) addAttribute('fileSystem', 'mountPath', id, `the mount path of file system ${id}`, fileSystem.mountPath);
    else add(Object.hasOwn(model.tables, id) ? 'table' : 'bucket', id, 'the name');
  }
  for (const id of publish) add('topic', id, 'the ARN');
  for (const id of send) add('queue', id, 'the URL');
  for (const id of connect) {
    addAttribute('database', 'proxyEndpoint', id, `the RDS Proxy endpoint of database ${id} (IAM authentication, TLS)`);
    addAttribute('database', 'databaseName', id, `the database name of database ${id}`, databases[id]?.databaseName);
    addAttribute('database', 'user', id, `the user to connect to database ${id} as (with an IAM token)`, DATABASE_USER);
  }
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
export function generatedEnvNames(model: EnvironmentScope, fn: FunctionModel): string[] {
  return functionEnvironment(model, fn).filter((v) => v.kind !== EnvKind.User).map((v) => v.name);
}

