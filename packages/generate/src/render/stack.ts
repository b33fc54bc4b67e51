/**
 * `infra/generated/<service>-stack.ts`: one CDK stack per spec, a declarative use of the constructs
 * of @kiro-serverless/constructs (which carry the best-practice defaults), with least-privilege grants from the
 * spec's `permissions` and nothing else. `infra/generated/stacks.ts` lists them for infra/app.ts.
 *
 * The generated code's line width is 120 columns (LINE_WIDTH in ts.ts, as in the rest of the
 * repository): an object literal or import list that would make its line longer is written one
 * property per line, indented, with trailing commas; a long comment is wrapped. Only what has no
 * place to break can exceed it: a long string literal (a description), or very long IDs in a call.
 */
import { EnvKind, functionEnvironment } from '@kiro-serverless/model/environment';
import { entryPath, importSpecifier, KIT_PACKAGES, STACKS_INDEX, stackPath } from '@kiro-serverless/model/layout';
import { constructId } from '@kiro-serverless/model/naming';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { asyncConfigOf, fileSystemsOf, runsInVpc } from '@kiro-serverless/model/model';
import { tsHeader } from '../header.js';
import { idempotencyKeyOf } from './resources.js';
import { rendererOf } from './triggers/trigger-renderers.js';
import type { ObjectLiteral } from './ts.js';
import { doc, docComment, indent, key, layoutObject, lineComment, pascalCase, str } from './ts.js';

/** The constructor body's indentation: where the stack's statements start (lines are LINE_WIDTH at most). */
const BODY_COLUMN = 4;

/** `const <name> = new <kind>(this, '<id>'[, <props>]);`: the `const` only if something refers to the name. */
interface Construct {
  readonly name: string;
  readonly kind: string;
  readonly id: string;
  readonly props?: ObjectLiteral;
}

/** A statement of the constructor: code as written, or a construct laid out once its name is known to be used. */
type Statement = string | Construct;

const construct = (name: string, kind: string, id: string, props?: ObjectLiteral): Construct => ({ name, kind, id, ...(props ? { props } : {}) });

function renderConstruct(c: Construct, named: boolean): string {
  const head = `${named ? `const ${c.name} = ` : ''}new ${c.kind}(this, ${str(c.id)}`;
  return c.props === undefined ? `${head});` : layoutObject(`${head}, `, c.props, ');', BODY_COLUMN);
}

/**
 * The statements, one per line or laid out over several; a construct whose name nothing else uses is
 * created without a `const` (noUnusedLocals). Names are counted in code only: a description or setting
 * that spells one (in a string literal or a comment) is not a use.
 */
function renderStatements(statements: readonly Statement[]): string {
  const draft = statements.map((s) => (typeof s === 'string' ? s : renderConstruct(s, true))).join('\n');
  const code = draft.replace(/'(?:[^'\\\n]|\\.)*'/g, "''").replace(/\/\/.*$/gm, '');
  const used = (name: string) => (code.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0) > 1;
  return statements.map((s) => (typeof s === 'string' ? s : renderConstruct(s, used(s.name)))).join('\n');
}

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
function networkResources(model: ServiceModel): Statement[] {
  if (!needsVpc(model)) return [];
  // The fixed construct ID `Network` does not end in a kind, so no spec ID can collide with it.
  const lines: Statement[] = [construct('vpc', 'ServiceVpc', 'Network')];
  for (const [id, db] of Object.entries(model.databases)) {
    const props = [
      'vpc', `engine: ${str(db.engine)}`, `databaseName: ${str(db.databaseName)}`,
      ...(db.minCapacity === undefined ? [] : [`minCapacity: ${db.minCapacity}`]),
      ...(db.maxCapacity === undefined ? [] : [`maxCapacity: ${db.maxCapacity}`]),
      ...(db.instanceClass === undefined ? [] : [`instanceClass: ${str(db.instanceClass)}`]),
    ];
    lines.push(construct(local(id, 'Database'), 'ServiceDatabase', constructId('Database', id), { props }));
  }
  for (const [id, fs] of Object.entries(model.fileSystems)) {
    lines.push(construct(local(id, 'FileSystem'), 'ServiceFileSystem', constructId('FileSystem', id), { props: ['vpc', `mountPath: ${str(fs.mountPath)}`] }));
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

function resources(model: ServiceModel): Statement[] {
  const lines: Statement[] = [...networkResources(model)];
  for (const [id, t] of Object.entries(model.tables)) {
    const keyProps = (k: { name: string; type: string }): ObjectLiteral => ({ props: [`name: ${str(k.name)}`, `type: ${str(k.type)}`] });
    const props = [
      { key: 'partitionKey', value: keyProps(t.partitionKey) },
      ...(t.sortKey ? [{ key: 'sortKey', value: keyProps(t.sortKey) }] : []),
      ...(t.stream ? [`stream: ${str(t.stream)}`] : []),
      ...(t.timeToLiveAttribute ? [`timeToLiveAttribute: ${str(t.timeToLiveAttribute)}`] : []),
    ];
    lines.push(construct(local(id, 'Table'), 'ServiceTable', constructId('Table', id), { props }));
  }
  for (const id of Object.keys(model.buckets)) {
    lines.push(construct(local(id, 'Bucket'), 'ServiceBucket', constructId('Bucket', id)));
  }
  for (const [id, q] of Object.entries(model.queues)) {
    const props = [
      `fifo: ${q.fifo}`, `visibilityTimeoutSeconds: ${q.visibilityTimeoutSeconds}`,
      ...(q.deadLetter ? [{ key: 'deadLetter', value: { props: [`maxReceiveCount: ${q.deadLetter.maxReceiveCount}`] } }] : []),
    ];
    lines.push(construct(local(id, 'Queue'), 'ServiceQueue', constructId('Queue', id), { props }));
  }
  for (const [id, t] of Object.entries(model.topics)) {
    lines.push(construct(local(id, 'Topic'), 'ServiceTopic', constructId('Topic', id), { props: [`fifo: ${t.fifo}`] }));
  }
  for (const [id, q] of Object.entries(model.queues)) {
    for (const topic of q.subscribe) lines.push(`${local(topic, 'Topic')}.subscribeQueue(${local(id, 'Queue')});`);
  }
  return lines;
}

/** The function's environment: one variable per line, always (the list grows with the spec). */
function environment(model: ServiceModel, fn: FunctionModel): ObjectLiteral {
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
    return `${key(v.name)}: ${value}`;
  });
  return { props: entries, multiline: true };
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
  return rendererOf(fn.trigger).wire(fn.trigger, { model, fn: fnLocal(fn), ref: (id) => ref(model, id), column: BODY_COLUMN });
}

function functionBlock(model: ServiceModel, fn: FunctionModel): Statement[] {
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
    ...(a === undefined ? [] : [{
      key: 'async',
      value: { props: [`maxRetries: ${a.maxRetries}`, `maxEventAgeSeconds: ${a.maxEventAgeSeconds}`, ...(a.onFailure === undefined ? [] : [`onFailure: ${ref(model, a.onFailure)}`])] },
    }]),
    { key: 'environment', value: environment(model, fn) },
    ...(runsInVpc(model, fn) ? ['vpc'] : []),
    ...fileSystemsOf(model, fn).map((id) => ({
      key: 'fileSystem',
      value: { props: [`fileSystem: ${ref(model, id)}`, `access: ${str(fn.permissions.write.includes(id) ? 'readWrite' : 'read')}`] },
    })),
    'projectRoot: props.projectRoot',
  ];
  const comment = lineComment(`${fn.id}${fn.description === undefined ? '' : `: ${doc(fn.description)}`}`, BODY_COLUMN);
  return [
    comment,
    // One property per line, always: the props grow with the spec.
    construct(fnLocal(fn), 'ServiceFunction', constructId('Function', fn.id), { props, multiline: true }),
    ...grants(model, fn),
    ...trigger(model, fn),
  ];
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

  const statements: Statement[] = [
    ...resources(model),
    // Construct IDs end in their kind (OrdersTable, CreateOrderFunction); the fixed ones below end
    // otherwise, so that no spec ID can collide with them.
    ...(needsIdempotency ? [construct('idempotency', 'IdempotencyTable', 'Idempotency')] : []),
    ...(needsApi ? [
      construct('api', 'ServiceHttpApi', 'HttpApi'),
      layoutObject(`new CfnOutput(this, 'HttpApiUrl', `, { props: ['value: api.api.apiEndpoint', `description: 'Base URL of the HTTP API'`] }, ');', BODY_COLUMN),
    ] : []),
    // A blank line before each function.
    ...fns.flatMap((fn) => ['', ...functionBlock(model, fn)]),
  ];
  const body = renderStatements(statements);
  const imports = [
    `import { ${needsApi ? 'CfnOutput, ' : ''}Stack } from 'aws-cdk-lib';`,
    `import type { StackProps } from 'aws-cdk-lib';`,
    `import type { Construct } from 'constructs';`,
    ...(constructs.size > 0 ? [layoutObject('import ', { props: [...constructs].sort() }, ` from '${KIT_PACKAGES.constructs}';`, 0)] : []),
  ];
  const describe = model.description === undefined ? '' : `: ${doc(model.description)}`;
  const classDoc = docComment(`The ${model.service} service (${model.sourceFile})${describe}.`, 0);
  return `${tsHeader(model.sourceFile)}${imports.join('\n')}

export interface ${stackClassName(model)}Props extends StackProps {
  /** The project root, against which function entries resolve. */
  readonly projectRoot: string;
}

${classDoc}
export class ${stackClassName(model)} extends Stack {
  constructor(scope: Construct, id: string, props: ${stackClassName(model)}Props) {
    super(scope, id, props);
${indent(body, BODY_COLUMN)}
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
