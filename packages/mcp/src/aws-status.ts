/**
 * The state of a service's stack on AWS, read with Describe/Get/List calls only: the stack and its
 * last failure, drift against cdk.out, each function (versions, the `live` alias and its canary
 * weights, state, event source mappings, a CodeDeploy deployment in progress), queue and DLQ depths
 * and alarms in ALARM. The spec elements are found in the stack through the `aws:cdk:path` metadata
 * of the deployed template (packages/model/src/naming.ts gives each element's construct ID).
 *
 * @module
 */
import type { Stack, StackEvent, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { constructId } from '@kiro-serverless/model/naming';
import type { ConstructKind } from '@kiro-serverless/model/naming';
import type { ServiceModel } from '@kiro-serverless/model/model';
import type { AwsReader } from './aws.js';
import type { CfnTemplate } from './drift.js';
import { diffTemplates, localTemplate, parseTemplate } from './drift.js';
import { redactEnvironment } from './redact.js';
import { describeTrigger } from './trigger-description.js';
import type {
  AwsFunctionStatusT, AwsQueueStatusT, AwsServiceStatusT, DriftOutputT, RecentFailuresT, StackFailureEventT,
} from './schemas.js';

const HEALTHY = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);
/** ESM LastProcessingResult values that mean nothing is wrong. */
const ESM_OK = new Set(['OK', 'No records processed']);

/** One resource of the deployed stack with the spec element that owns it (if any). */
export interface OwnedResource {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  /** The construct path below the stack: `FulfilOrderFunction/Function/Resource`. */
  readonly path: string;
  readonly owner?: { readonly kind: ConstructKind; readonly id: string };
}

/** Attributes each resource of the stack to the spec element whose construct holds it. */
export function ownedResources(model: ServiceModel, stackName: string, summaries: readonly StackResourceSummary[], template: CfnTemplate): OwnedResource[] {
  const owners = new Map<string, { kind: ConstructKind; id: string }>();
  const add = (kind: ConstructKind, ids: readonly string[]) => { for (const id of ids) owners.set(constructId(kind, id), { kind, id }); };
  add('Function', Object.keys(model.functions));
  add('Table', Object.keys(model.tables));
  add('Queue', Object.keys(model.queues));
  add('Topic', Object.keys(model.topics));
  add('Bucket', Object.keys(model.buckets));
  add('Database', Object.keys(model.databases));
  add('FileSystem', Object.keys(model.fileSystems));
  return summaries.map((s) => {
    const logicalId = s.LogicalResourceId ?? '';
    const cdkPath = template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
    const path = typeof cdkPath === 'string' && cdkPath.startsWith(`${stackName}/`) ? cdkPath.slice(stackName.length + 1) : logicalId;
    const top = path.split('/')[0] ?? '';
    // Without path metadata, a logical ID starts with its construct ID followed by a hash.
    const owner = owners.get(top) ?? [...owners.entries()].find(([cid]) => logicalId.startsWith(cid))?.[1];
    return {
      logicalId, type: s.ResourceType ?? '', path,
      ...(s.PhysicalResourceId ? { physicalId: s.PhysicalResourceId } : {}),
      ...(owner ? { owner } : {}),
    };
  });
}

export interface AwsStatusInput {
  readonly model: ServiceModel;
  readonly stage: string;
  readonly stackName: string;
  readonly root: string;
  readonly reader: AwsReader;
  readonly region?: string;
  /** The stack's events when the caller reads them anyway (get_recent_failures), so they are read once. */
  readonly stackEvents?: Promise<readonly StackEvent[]>;
}

/** The stack, drift, functions, queues and alarms of one service. Throws on any AWS error (the caller sorts it). */
export async function awsServiceStatus(input: AwsStatusInput): Promise<AwsServiceStatusT> {
  const { model, stage, stackName, reader } = input;
  const stack = await reader.stack(stackName);
  if (!stack) throw Object.assign(new Error(`Stack with id ${stackName} does not exist`), { name: 'ValidationError' });
  const [templateBody, summaries] = await Promise.all([reader.template(stackName), reader.stackResources(stackName)]);
  const deployed = templateBody ? parseTemplate(templateBody) : {};
  const resources = ownedResources(model, stackName, summaries, deployed);
  const status = stack.StackStatus ?? 'UNKNOWN';
  const needsEvents = /FAILED|ROLLBACK/.test(status);

  const [drift, functions, queues, alarms, failureReasons] = await Promise.all([
    driftOf(input.root, stackName, deployed),
    Promise.all(Object.keys(model.functions).map((id) => functionStatus(reader, id, resources))),
    queueStatuses(reader, model, resources),
    alarmsInAlarm(reader, resources),
    needsEvents ? (input.stackEvents ?? reader.stackEvents(stackName)).then(lastOperationFailures) : Promise.resolve([]),
  ]);

  const summary = stackSummary(stack, failureReasons);
  return {
    service: model.service, stage, stackName, ...(input.region ? { region: input.region } : {}),
    stack: summary, drift, functions, queues, alarmsInAlarm: alarms,
    problems: problemsOf(summary, drift, functions, queues, alarms),
  };
}

function stackSummary(stack: Stack, failureReasons: StackFailureEventT[]): AwsServiceStatusT['stack'] {
  const status = stack.StackStatus ?? 'UNKNOWN';
  const updated = stack.LastUpdatedTime ?? stack.CreationTime;
  return {
    status,
    ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
    ...(updated ? { lastUpdated: updated.toISOString() } : {}),
    inProgress: status.endsWith('_IN_PROGRESS'),
    healthy: HEALTHY.has(status),
    outputs: Object.fromEntries((stack.Outputs ?? []).filter((o) => o.OutputKey).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
    failureReasons,
  };
}

/** Failed events, newest first, limited to `limit`. */
export function failedEvents(events: readonly StackEvent[], limit = 20): StackFailureEventT[] {
  return events.filter((e) => e.ResourceStatus?.endsWith('_FAILED')).slice(0, limit).map(eventOf);
}

/**
 * The failed events of the stack's last operation (events come newest first; the operation starts
 * at the newest event of the stack itself with a "User Initiated" reason).
 */
export function lastOperationFailures(events: readonly StackEvent[]): StackFailureEventT[] {
  const start = events.findIndex((e) => e.ResourceType === 'AWS::CloudFormation::Stack' && e.ResourceStatusReason === 'User Initiated');
  const operation = start === -1 ? events : events.slice(0, start + 1);
  // The root causes are the failures that are not CloudFormation's own "cancelled" follow-ups.
  const failures = operation.filter((e) => e.ResourceStatus?.endsWith('_FAILED'));
  const causes = failures.filter((e) => !/cancelled|canceled/i.test(e.ResourceStatusReason ?? ''));
  return (causes.length > 0 ? causes : failures).slice(0, 10).map(eventOf);
}

function eventOf(e: StackEvent): StackFailureEventT {
  return {
    ...(e.Timestamp ? { time: e.Timestamp.toISOString() } : {}),
    ...(e.LogicalResourceId ? { logicalId: e.LogicalResourceId } : {}),
    ...(e.ResourceType ? { type: e.ResourceType } : {}),
    ...(e.ResourceStatus ? { status: e.ResourceStatus } : {}),
    ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}),
  };
}

async function driftOf(root: string, stackName: string, deployed: CfnTemplate): Promise<DriftOutputT> {
  const local = await localTemplate(root, stackName);
  const none = { added: [], removed: [], changed: [] };
  if (local.state === 'missing') {
    return { state: 'not-synthesized', templateFile: local.file, ...none, message: `${local.file} does not exist: run \`npm run synth\` (with the same STAGE) to compare the deployed stack with the project.` };
  }
  if (local.state === 'outdated') {
    return { state: 'synthesis-outdated', templateFile: local.file, ...none, message: `${local.file} is older than ${local.newerInput}: run \`npm run synth\` to compare the deployed stack with the project as it is now.` };
  }
  const diff = diffTemplates(deployed, local.template);
  const count = diff.added.length + diff.removed.length + diff.changed.length;
  return count === 0
    ? { state: 'in-sync', templateFile: local.file, ...diff, message: 'The deployed template matches the current synthesis.' }
    : { state: 'differs', templateFile: local.file, ...diff, message: `${diff.added.length} resource(s) to add, ${diff.removed.length} to remove, ${diff.changed.length} changed: \`npm run diff\` shows the details, \`npm run deploy\` applies them.` };
}

async function functionStatus(reader: AwsReader, id: string, resources: readonly OwnedResource[]): Promise<AwsFunctionStatusT> {
  const own = resources.filter((r) => r.owner?.kind === 'Function' && r.owner.id === id);
  const fn = own.find((r) => r.type === 'AWS::Lambda::Function' && r.physicalId);
  if (!fn?.physicalId) return { id, state: 'NOT_IN_STACK', publishedVersions: [], environment: {}, eventSourceMappings: [] };
  const name = fn.physicalId;
  const group = own.find((r) => r.type === 'AWS::CodeDeploy::DeploymentGroup' && r.physicalId);
  const application = own.find((r) => r.type === 'AWS::CodeDeploy::Application' && r.physicalId);
  const [config, versions, alias, mappings, deployment] = await Promise.all([
    reader.functionConfiguration(name),
    reader.versions(name),
    reader.alias(name, 'live'),
    Promise.all(own.filter((r) => r.type === 'AWS::Lambda::EventSourceMapping' && r.physicalId).map((r) => reader.eventSourceMapping(r.physicalId ?? ''))),
    group?.physicalId && application?.physicalId ? reader.activeDeployment(application.physicalId, group.physicalId) : Promise.resolve(undefined),
  ]);
  const routing = Object.entries(alias?.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([version, weight]) => ({ version, weight }));
  return {
    id,
    functionName: name,
    ...(config.State ? { state: config.State } : {}),
    ...(config.StateReason ? { stateReason: config.StateReason } : {}),
    ...(config.LastUpdateStatus ? { lastUpdateStatus: config.LastUpdateStatus } : {}),
    ...(config.LastUpdateStatusReason ? { lastUpdateStatusReason: config.LastUpdateStatusReason } : {}),
    ...(config.Runtime ? { runtime: config.Runtime } : {}),
    ...(config.MemorySize !== undefined ? { memoryMb: config.MemorySize } : {}),
    ...(config.Timeout !== undefined ? { timeoutSeconds: config.Timeout } : {}),
    publishedVersions: versions,
    ...(alias?.FunctionVersion ? { alias: { name: alias.Name ?? 'live', version: alias.FunctionVersion, routing, canaryInProgress: routing.some((r) => r.weight > 0) } } : {}),
    environment: redactEnvironment(config.Environment?.Variables),
    eventSourceMappings: mappings.map((m) => ({
      uuid: m.UUID ?? '',
      ...(m.EventSourceArn ? { source: m.EventSourceArn } : {}),
      ...(m.State ? { state: m.State } : {}),
      ...(m.StateTransitionReason ? { stateTransitionReason: m.StateTransitionReason } : {}),
      ...(m.LastProcessingResult ? { lastProcessingResult: m.LastProcessingResult } : {}),
    })),
    ...(deployment?.deploymentId && group?.physicalId && application?.physicalId ? {
      deployment: {
        id: deployment.deploymentId, application: application.physicalId, group: group.physicalId,
        ...(deployment.status ? { status: deployment.status } : {}),
        ...(deployment.createTime ? { createTime: deployment.createTime.toISOString() } : {}),
      },
    } : {}),
  };
}

/** Every SQS queue of the stack, with its role (the service's queues, their DLQs, OnFailure queues) and depth. */
export async function queueStatuses(reader: AwsReader, model: ServiceModel, resources: readonly OwnedResource[]): Promise<AwsQueueStatusT[]> {
  const onFailure = onFailureQueues(model);
  const queues = resources.filter((r) => r.type === 'AWS::SQS::Queue' && r.physicalId);
  return Promise.all(queues.map(async (q) => {
    const label = q.path.replace(/\/Resource$/, '').replace(/\/Queue$/, '');
    const role: AwsQueueStatusT['role'] = /DeadLetter/.test(q.path) ? 'dead-letter'
      : q.owner?.kind === 'Queue' && onFailure.has(q.owner.id) ? 'on-failure' : 'queue';
    const url = q.physicalId ?? '';
    return { label, role, url, depth: await reader.queueDepth(url) };
  }));
}

/** Queue IDs that receive OnFailure records (stream mappings and async destinations). */
export function onFailureQueues(model: ServiceModel): Set<string> {
  const ids = new Set<string>();
  for (const fn of Object.values(model.functions)) {
    const target = describeTrigger(fn.trigger).onFailure;
    if (target !== undefined && Object.hasOwn(model.queues, target)) ids.add(target);
  }
  return ids;
}

async function alarmsInAlarm(reader: AwsReader, resources: readonly OwnedResource[]) {
  const names = resources.filter((r) => r.type === 'AWS::CloudWatch::Alarm' && r.physicalId).map((r) => r.physicalId ?? '');
  const alarms = await reader.alarmsInAlarm(names);
  return alarms.map((a) => ({
    name: a.AlarmName ?? '',
    ...(a.StateReason ? { reason: a.StateReason } : {}),
    ...(a.StateUpdatedTimestamp ? { since: a.StateUpdatedTimestamp.toISOString() } : {}),
  }));
}

/** What is failing in one function: its state, its last update, its event source mappings. */
export function functionFailures(f: AwsFunctionStatusT): string[] {
  const failures: string[] = [];
  if (f.state && f.state !== 'Active' && f.state !== 'NOT_IN_STACK') failures.push(`state ${f.state}${f.stateReason ? ` (${f.stateReason})` : ''}`);
  if (f.lastUpdateStatus === 'Failed') failures.push(`last update failed${f.lastUpdateStatusReason ? ` (${f.lastUpdateStatusReason})` : ''}`);
  for (const m of f.eventSourceMappings) {
    if (m.state && m.state !== 'Enabled') failures.push(`event source mapping ${m.uuid} is ${m.state}${m.stateTransitionReason ? ` (${m.stateTransitionReason})` : ''}`);
    if (m.lastProcessingResult && !ESM_OK.has(m.lastProcessingResult)) failures.push(`event source mapping ${m.uuid} last processing result: ${m.lastProcessingResult}`);
  }
  return failures;
}

/** Messages held in a queue: visible, in flight and delayed. */
const held = (q: AwsQueueStatusT): number => (q.depth?.visible ?? 0) + (q.depth?.inFlight ?? 0) + (q.depth?.delayed ?? 0);

function problemsOf(
  stack: AwsServiceStatusT['stack'], drift: DriftOutputT, functions: readonly AwsFunctionStatusT[],
  queues: readonly AwsQueueStatusT[], alarms: AwsServiceStatusT['alarmsInAlarm'],
): string[] {
  const problems: string[] = [];
  if (!stack.healthy) {
    const why = stack.failureReasons[0]?.reason ?? stack.statusReason;
    problems.push(`Stack is ${stack.status}${why ? `: ${why}` : ''}.`);
  }
  if (drift.state === 'differs') problems.push(`Not deployed yet: ${drift.message}`);
  for (const f of functions) {
    if (f.state === 'NOT_IN_STACK') problems.push(`${f.id}: no function in the stack (deploy the current spec).`);
    for (const failure of functionFailures(f)) problems.push(`${f.id}: ${failure}.`);
    if (f.alias?.canaryInProgress) {
      problems.push(`${f.id}: canary in progress, ${f.alias.routing.map((r) => `${Math.round(r.weight * 100)}% to version ${r.version}`).join(', ')}, the rest to version ${f.alias.version}.`);
    }
    if (f.deployment) problems.push(`${f.id}: CodeDeploy deployment ${f.deployment.id} is ${f.deployment.status ?? 'running'}.`);
  }
  for (const q of queues) {
    if (q.role !== 'queue' && held(q) > 0) problems.push(`${q.label} (${q.role}) holds ${held(q)} message(s): call get_recent_failures, fix the cause, then redrive them.`);
  }
  for (const a of alarms) problems.push(`Alarm ${a.name} is in ALARM${a.reason ? `: ${a.reason}` : ''}.`);
  return problems;
}

/** get_recent_failures on AWS: failed stack events, failing functions and mappings, DLQ and OnFailure depths, alarms. */
export function awsFailures(status: AwsServiceStatusT, stackEvents: readonly StackEvent[]): RecentFailuresT {
  const deadLetters = status.queues.flatMap((q) => (q.role === 'queue' ? [] : [{ label: q.label, role: q.role, depth: held(q), messages: [] }]));
  const notes = deadLetters.some((d) => d.depth > 0)
    ? ['Message bodies are not read on AWS: receiving a message changes its receive count and visibility, and this server only reads. To look at them: `aws sqs receive-message --queue-url <url> --max-number-of-messages 10 --visibility-timeout 0` (queue URLs in get_deployment_status), or the SQS console\'s "Poll for messages".']
    : [];
  return {
    target: 'aws', service: status.service, stackEvents: failedEvents(stackEvents),
    functionProblems: status.functions.flatMap((f) => functionFailures(f).map((problem) => ({ fn: f.id, problem }))),
    deadLetters, engineFailures: [], alarmsInAlarm: status.alarmsInAlarm, notes,
  };
}
