/**
 * The resources a function may touch, as the generated code exposes them: the environment contract
 * (packages/model/src/environment.ts) grouped by kind, with the zod schema that validates each variable.
 */
import type { EnvVariable } from '@kiro-serverless/model/environment';
import { EnvKind, functionEnvironment } from '@kiro-serverless/model/environment';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';

export interface ResourceEntry {
  /** Property name in the resources object: the resource ID, or the variable name for settings. */
  readonly property: string;
  readonly variable: EnvVariable;
  /** What the value is, e.g. `the name of table orders (read, write)`. */
  readonly description: string;
  /** Runtime config helper that validates it: `envString`, `envArn`, `envUrl` or `envValue`. */
  readonly schema: 'envString' | 'envArn' | 'envUrl' | 'envValue';
  /** A value of the right shape for scaffolded tests. */
  readonly sample: string;
}

export interface ResourceGroup {
  /** `tables`, `buckets`, `topics`, `queues`, `databases`, `fileSystems` or `settings`. */
  readonly name: string;
  readonly entries: readonly ResourceEntry[];
}

const GROUPS: readonly { kind: EnvKind; name: string }[] = [
  { kind: EnvKind.Table, name: 'tables' },
  { kind: EnvKind.Bucket, name: 'buckets' },
  { kind: EnvKind.Topic, name: 'topics' },
  { kind: EnvKind.Queue, name: 'queues' },
  { kind: EnvKind.Database, name: 'databases' },
  { kind: EnvKind.FileSystem, name: 'fileSystems' },
  { kind: EnvKind.User, name: 'settings' },
];

const SAMPLE_ACCOUNT = '123456789012';
const SAMPLE_REGION = 'eu-west-1';

function access(fn: FunctionModel, id: string): string {
  const { read, write, publish, send, connect } = fn.permissions;
  const rights = [
    read.includes(id) && 'read', write.includes(id) && 'write', publish.includes(id) && 'publish', send.includes(id) && 'send',
    connect.includes(id) && 'connect',
  ];
  return rights.filter(Boolean).join(', ');
}

function entryOf(model: ServiceModel, fn: FunctionModel, v: EnvVariable): ResourceEntry {
  const id = v.resource ?? v.name;
  const rights = v.resource === undefined ? '' : ` (${access(fn, id)})`;
  switch (v.kind) {
    case EnvKind.Topic:
      return { property: id, variable: v, description: `${v.description}${rights}`, schema: 'envArn', sample: `arn:aws:sns:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:${model.service}-${id}` };
    case EnvKind.Queue:
      return { property: id, variable: v, description: `${v.description}${rights}`, schema: 'envUrl', sample: `https://sqs.${SAMPLE_REGION}.amazonaws.com/${SAMPLE_ACCOUNT}/${model.service}-${id}` };
    case EnvKind.Database: {
      // A database passes three values: `<id>ProxyEndpoint`, `<id>Name`, `<id>User`.
      const suffix = { proxyEndpoint: 'ProxyEndpoint', databaseName: 'Name', user: 'User', mountPath: 'Path' }[v.attribute ?? 'proxyEndpoint'];
      const sample = v.value ?? `${id.toLowerCase()}.proxy-abcdefghijkl.${SAMPLE_REGION}.rds.amazonaws.com`;
      return { property: `${id}${suffix}`, variable: v, description: `${v.description}${rights}`, schema: 'envString', sample };
    }
    case EnvKind.FileSystem:
      return { property: id, variable: v, description: `${v.description}${rights}`, schema: 'envString', sample: v.value ?? `/mnt/${id}` };
    case EnvKind.User:
      return { property: id, variable: v, description: `${v.name}, ${v.description}`, schema: 'envValue', sample: v.value ?? '' };
    default:
      return { property: id, variable: v, description: `${v.description}${rights}`, schema: 'envString', sample: `test-${id}` };
  }
}

/** The non-empty groups of `fn`'s resources, in a fixed order (tables, buckets, topics, queues, databases, fileSystems, settings). */
export function resourceGroups(model: ServiceModel, fn: FunctionModel): ResourceGroup[] {
  const variables = functionEnvironment(model, fn);
  return GROUPS.map(({ kind, name }) => ({
    name,
    entries: variables.filter((v) => v.kind === kind).map((v) => entryOf(model, fn, v)),
  })).filter((g) => g.entries.length > 0);
}

/** Whether `fn` stores idempotency records (it has a key, not `disabled`). */
export function idempotencyKeyOf(fn: FunctionModel): { key: string; expiresAfterSeconds: number } | undefined {
  return fn.idempotency !== undefined && 'key' in fn.idempotency ? fn.idempotency : undefined;
}
