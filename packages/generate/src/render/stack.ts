/**
 * `infra/generated/<service>-stack.ts`: one CDK stack per spec, a declarative use of the constructs
 * of @kiro-serverless/constructs (which carry the best-practice defaults), with least-privilege grants from the
 * spec's `permissions` and nothing else. `infra/generated/stacks.ts` lists them for infra/app.ts.
 */
import { EnvKind, functionEnvironment } from '@kiro-serverless/model/environment';
import { entryPath, importSpecifier, KIT_PACKAGES, STACKS_INDEX, stackPath } from '@kiro-serverless/model/layout';
import { constructId } from '@kiro-serverless/model/naming';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { asyncConfigOf, fileSystemsOf, runsInVpc } from '@kiro-serverless/model/model';
import { tsHeader } from '../header.js';
import { idempotencyKeyOf } from './resources.js';
import { rendererOf } from './triggers/trigger-renderers.js';
import { doc, indent, key, pascalCase, str } from './ts.js';

/**
 * `orders-v2` -> `OrdersV2Stack`; `orders-2` -> `Orders_2Stack` (digits have no case, so an underscore
 * keeps `orders-2` and `orders2` apart).
 */
export function stackClassName(model: ServiceModel): string {
  return `${model.service.split('-').map((seg, i) => (i > 0 && /^\d/.test(seg) ? `_${seg}` : pascalCase(seg))).join('')}Stack`;
}

type ResourceKind = 'Table' | 'Queue' | 'Topic' | 'Bucket' | 'Database' | 'FileSystem';
/** Local variable of a resource: `ordersTable`, `fulfilmentQueue`, `orderEventsTopic`, `catalogBucket`, `analyticsDatabase`, `templatesFileSystem`. */
const local = (id: string, kind: ResourceKind) => `${id}${kind}`;
/** Local variable of a function (suffixed so that IDs never clash with the stack's own names). */
const fnLocal = (fn: FunctionModel) => `${fn.id}Fn`;

/** The construct that holds a resource ID, and its kind. */
function resourceOf(model: ServiceModel, id: string): { variable: string; kind: ResourceKind } | undefined {
  if (Object.hasOwn(model.tables, id)) return { variable: local(id, 'Table'), kind: 'Table' };
  if (Object.hasOwn(model.queues, id)) return { variable: local(id, 'Queue'), kind: 'Queue' };
  if (Object.hasOwn(model.topics, id)) return { variable: local(id, 'Topic'), kind: 'Topic' };
  if (Object.hasOwn(model.buckets, id)) return { variable: local(id, 'Bucket'), kind: 'Bucket' };
  if (Object.hasOwn(model.databases, id)) return { variable: local(id, 'Database'), kind: 'Database' };
  if (Object.hasOwn(model.fileSystems, id)) return { variable: local(id, 'FileSystem'), kind: 'FileSystem' };
  return undefined;
}

function ref(model: ServiceModel, id: string): string {
  const r = resourceOf(model, id);
  if (!r) throw new Error(`Unknown resource ${id} (the spec rules should have refused it).`);
  return r.variable;
}

/** Whether the service needs a VPC: it declares a database or a file system. */
function needsVpc(model: ServiceModel): boolean {
  return Object.keys(model.databases).length > 0 || Object.keys(model.fileSystems).length > 0;
}

/** The VPC, databases (behind RDS Proxy) and file systems, and the interface endpoints its VPC functions call. */
function networkResources(model: ServiceModel): string[] {
  if (!needsVpc(model)) return [];
  // The fixed construct ID `Network` does not end in a kind, so no spec ID can collide with it.
  const lines = [`const vpc = new ServiceVpc(this, 'Network');`];
  for (const [id, db] of Object.entries(model.databases)) {
    const props = [
      'vpc', `engine: ${str(db.engine)}`, `databaseName: ${str(db.databaseName)}`,
      ...(db.minCapacity === undefined ? [] : [`minCapacity: ${db.minCapacity}`]),
      ...(db.maxCapacity === undefined ? [] : [`maxCapacity: ${db.maxCapacity}`]),
      ...(db.instanceClass === undefined ? [] : [`instanceClass: ${str(db.instanceClass)}`]),
    ];
    lines.push(`const ${local(id, 'Database')} = new ServiceDatabase(this, ${str(constructId('Database', id))}, { ${props.join(', ')} });`);
  }
  for (const [id, fs] of Object.entries(model.fileSystems)) {
    lines.push(`const ${local(id, 'FileSystem')} = new ServiceFileSystem(this, ${str(constructId('FileSystem', id))}, { vpc, mountPath: ${str(fs.mountPath)} });`);
  }
  const vpcFns = Object.values(model.functions).filter((fn) => runsInVpc(model, fn));
  if (vpcFns.some((fn) => fn.permissions.send.length > 0)) lines.push(`vpc.addInterfaceEndpoint('sqs');`);
  if (vpcFns.some((fn) => fn.permissions.publish.length > 0)) lines.push(`vpc.addInterfaceEndpoint('sns');`);
  return lines;
}

/** Whether a function in the VPC calls AWS APIs (tables, buckets, topics, queues, idempotency records). */
function callsAwsApis(model: ServiceModel, fn: FunctionModel): boolean {
  const { read, write, publish, send } = fn.permissions;
  const fileSystems = fileSystemsOf(model, fn);
  return [...read, ...write].some((id) => !fileSystems.includes(id)) || publish.length > 0 || send.length > 0 || idempotencyKeyOf(fn) !== undefined;
}

function resources(model: ServiceModel): string[] {
  const lines: string[] = [...networkResources(model)];
  for (const [id, t] of Object.entries(model.tables)) {
    const props = [
      `partitionKey: { name: ${str(t.partitionKey.name)}, type: ${str(t.partitionKey.type)} }`,
      ...(t.sortKey ? [`sortKey: { name: ${str(t.sortKey.name)}, type: ${str(t.sortKey.type)} }`] : []),
      ...(t.stream ? [`stream: ${str(t.stream)}`] : []),
      ...(t.timeToLiveAttribute ? [`timeToLiveAttribute: ${str(t.timeToLiveAttribute)}`] : []),
    ];
    lines.push(`const ${local(id, 'Table')} = new ServiceTable(this, ${str(constructId('Table', id))}, { ${props.join(', ')} });`);
  }
  for (const id of Object.keys(model.buckets)) {
    lines.push(`const ${local(id, 'Bucket')} = new ServiceBucket(this, ${str(constructId('Bucket', id))});`);
  }
  for (const [id, q] of Object.entries(model.queues)) {
    const props = [`fifo: ${q.fifo}`, `visibilityTimeoutSeconds: ${q.visibilityTimeoutSeconds}`, ...(q.deadLetter ? [`deadLetter: { maxReceiveCount: ${q.deadLetter.maxReceiveCount} }`] : [])];
    lines.push(`const ${local(id, 'Queue')} = new ServiceQueue(this, ${str(constructId('Queue', id))}, { ${props.join(', ')} });`);
  }
  for (const [id, t] of Object.entries(model.topics)) {
    lines.push(`const ${local(id, 'Topic')} = new ServiceTopic(this, ${str(constructId('Topic', id))}, { fifo: ${t.fifo} });`);
  }
  for (const [id, q] of Object.entries(model.queues)) {
    for (const topic of q.subscribe) lines.push(`${local(topic, 'Topic')}.subscribeQueue(${local(id, 'Queue')});`);
  }
  return lines;
}

function environment(model: ServiceModel, fn: FunctionModel): string {
  const entries = functionEnvironment(model, fn).map((v) => {
    let value: string;
    switch (v.kind) {
      case EnvKind.Table: value = `${ref(model, v.resource ?? '')}.table.tableName`; break;
      case EnvKind.Bucket: value = `${ref(model, v.resource ?? '')}.bucket.bucketName`; break;
      case EnvKind.Topic: value = `${ref(model, v.resource ?? '')}.topic.topicArn`; break;
      case EnvKind.Queue: value = `${ref(model, v.resource ?? '')}.queue.queueUrl`; break;
      case EnvKind.Database: {
        const db = ref(model, v.resource ?? '');
        value = v.attribute === 'databaseName' ? `${db}.databaseName` : v.attribute === 'user' ? `${db}.username` : `${db}.proxy.endpoint`;
        break;
      }
      case EnvKind.FileSystem: value = `${ref(model, v.resource ?? '')}.mountPath`; break;
      case EnvKind.IdempotencyTable: value = 'idempotency.table.tableName'; break;
      default: value = str(v.value ?? '');
    }
    return `${key(v.name)}: ${value},`;
  });
  return `{\n${indent(entries.join('\n'), 2)}\n}`;
}

/** Least privilege: exactly the access the spec's `permissions` name (LBP-SEC-LEAST-PRIVILEGE). */
function grants(model: ServiceModel, fn: FunctionModel): string[] {
  const f = `${fnLocal(fn)}.function`;
  const { read, write, publish, send } = fn.permissions;
  const lines: string[] = [];
  for (const id of [...new Set([...read, ...write])]) {
    const r = resourceOf(model, id);
    const both = read.includes(id) && write.includes(id);
    if (r?.kind === 'Table') lines.push(`${r.variable}.table.${both ? 'grantReadWriteData' : read.includes(id) ? 'grantReadData' : 'grantWriteData'}(${f});`);
    // The bucket construct's grants list object actions one by one (aws-cdk-lib's use `s3:GetObject*`).
    if (r?.kind === 'Bucket' && read.includes(id)) lines.push(`${r.variable}.grantRead(${fnLocal(fn)});`);
    if (r?.kind === 'Bucket' && write.includes(id)) lines.push(`${r.variable}.grantWrite(${fnLocal(fn)});`);
  }
  for (const id of publish) lines.push(`${ref(model, id)}.topic.grantPublish(${f});`);
  for (const id of send) lines.push(`${ref(model, id)}.queue.grantSendMessages(${f});`);
  if (idempotencyKeyOf(fn)) lines.push(`idempotency.table.grantReadWriteData(${f});`);
  // Databases only through their proxy, with IAM authentication (LBP-RDS-PROXY).
  for (const id of fn.permissions.connect) lines.push(`${ref(model, id)}.grantConnect(${fnLocal(fn)});`);
  if (runsInVpc(model, fn) && callsAwsApis(model, fn)) lines.push(`vpc.allowAwsApis(${fnLocal(fn)});`);
  return lines;
}

/** The statements that connect the function to its event source (the trigger's renderer). */
function trigger(model: ServiceModel, fn: FunctionModel): string[] {
  return rendererOf(fn.trigger).wire(fn.trigger, { model, fn: fnLocal(fn), ref: (id) => ref(model, id) });
}

function functionBlock(model: ServiceModel, fn: FunctionModel): string {
  const a = asyncConfigOf(fn.trigger);
  const props = [
    `entry: ${str(entryPath(model, fn))}`,
    ...(fn.description === undefined ? [] : [`description: ${str(fn.description)}`]),
    `memoryMb: ${fn.memoryMb}`,
    `timeoutSeconds: ${fn.timeoutSeconds}`,
    `architecture: ${str(fn.architecture)}`,
    `runtime: ${str(fn.runtime)}`,
    `deployment: ${str(fn.deployment)}`,
    ...(fn.reservedConcurrency === undefined ? [] : [`reservedConcurrency: ${fn.reservedConcurrency}`]),
    ...(fn.provisionedConcurrency === undefined ? [] : [`provisionedConcurrency: ${fn.provisionedConcurrency}`]),
    ...(a === undefined ? [] : [`async: { maxRetries: ${a.maxRetries}, maxEventAgeSeconds: ${a.maxEventAgeSeconds}${a.onFailure === undefined ? '' : `, onFailure: ${ref(model, a.onFailure)}`} }`]),
    `environment: ${environment(model, fn)}`,
    ...(runsInVpc(model, fn) ? ['vpc'] : []),
    ...fileSystemsOf(model, fn).map((id) => `fileSystem: { fileSystem: ${ref(model, id)}, access: ${str(fn.permissions.write.includes(id) ? 'readWrite' : 'read')} }`),
    'projectRoot: props.projectRoot',
  ];
  const comment = `// ${fn.id}${fn.description === undefined ? '' : `: ${doc(fn.description)}`}`;
  return [
    comment,
    `const ${fnLocal(fn)} = new ServiceFunction(this, ${str(constructId('Function', fn.id))}, {\n${indent(props.map((p) => `${p},`).join('\n'), 2)}\n});`,
    ...grants(model, fn),
    ...trigger(model, fn),
  ].join('\n');
}

/** `const x = new ...` where nothing else names `x` becomes `new ...` (noUnusedLocals). */
function dropUnusedConstants(text: string): string {
  // Names are counted in code only: a description or setting that spells one (in a `str` literal or
  // a comment) is not a use.
  const code = text.replace(/'(?:[^'\\\n]|\\.)*'/g, "''").replace(/\/\/.*$/gm, '');
  return text.replace(/^(\s*)const (\w+) = (new .*)$/gm, (line: string, pad: string, name: string, rest: string) => {
    const uses = code.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
    return uses > 1 ? line : `${pad}${rest}`;
  });
}

export function renderStack(model: ServiceModel): string {
  const fns = Object.values(model.functions);
  const needsIdempotency = fns.some((fn) => idempotencyKeyOf(fn) !== undefined);
  const needsApi = fns.some((fn) => rendererOf(fn.trigger).needsHttpApi);
  const constructs = new Set<string>(['ServiceFunction']);
  if (Object.keys(model.tables).length > 0) constructs.add('ServiceTable');
  if (Object.keys(model.buckets).length > 0) constructs.add('ServiceBucket');
  if (Object.keys(model.queues).length > 0) constructs.add('ServiceQueue');
  if (Object.keys(model.topics).length > 0) constructs.add('ServiceTopic');
  if (needsIdempotency) constructs.add('IdempotencyTable');
  if (needsApi) constructs.add('ServiceHttpApi');
  if (needsVpc(model)) constructs.add('ServiceVpc');
  if (Object.keys(model.databases).length > 0) constructs.add('ServiceDatabase');
  if (Object.keys(model.fileSystems).length > 0) constructs.add('ServiceFileSystem');
  if (fns.length === 0) constructs.delete('ServiceFunction');

  const lines = [
    ...resources(model),
    // Construct IDs end in their kind (OrdersTable, CreateOrderFunction); the fixed ones below end
    // otherwise, so that no spec ID can collide with them.
    ...(needsIdempotency ? [`const idempotency = new IdempotencyTable(this, 'Idempotency');`] : []),
    ...(needsApi ? [`const api = new ServiceHttpApi(this, 'HttpApi');`, `new CfnOutput(this, 'HttpApiUrl', { value: api.api.apiEndpoint, description: 'Base URL of the HTTP API' });`] : []),
    ...fns.map((fn) => `\n${functionBlock(model, fn)}`),
  ].join('\n');
  const body = dropUnusedConstants(lines);
  const imports = [
    `import { ${needsApi ? 'CfnOutput, ' : ''}Stack } from 'aws-cdk-lib';`,
    `import type { StackProps } from 'aws-cdk-lib';`,
    `import type { Construct } from 'constructs';`,
    ...(constructs.size > 0 ? [`import { ${[...constructs].sort().join(', ')} } from '${KIT_PACKAGES.constructs}';`] : []),
  ];
  const describe = model.description === undefined ? '' : `: ${doc(model.description)}`;
  return `${tsHeader(model.sourceFile)}${imports.join('\n')}

export interface ${stackClassName(model)}Props extends StackProps {
  /** The project root, against which function entries resolve. */
  readonly projectRoot: string;
}

/** The ${model.service} service (${model.sourceFile})${describe}. */
export class ${stackClassName(model)} extends Stack {
  constructor(scope: Construct, id: string, props: ${stackClassName(model)}Props) {
    super(scope, id, props);
${indent(body, 4)}
  }
}
`;
}

/** `infra/generated/stacks.ts`: every service's stack class, by service name. */
export function renderStacksIndex(models: readonly ServiceModel[], source: string): string {
  const sorted = [...models].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  const imports = sorted.map((m) => `import { ${stackClassName(m)} } from '${importSpecifier(STACKS_INDEX, stackPath(m))}';`);
  const entries = sorted.map((m) => `  ${str(m.service)}: ${stackClassName(m)},`);
  return `${tsHeader(source)}${imports.join('\n')}${imports.length > 0 ? '\n' : ''}
/** The stack class of every service, by service name (infra/app.ts builds one stack per spec). */
export const STACKS = {
${entries.join('\n')}
} as const;
`;
}
