/**
 * get_deployment_status and get_recent_failures with target "aws", against AWS doubles
 * (aws-sdk-client-mock: CloudFormation, Lambda, CloudWatch and CodeDeploy have no local emulator).
 * The deployed template is the real synthesis of the orders fixture, so a change in how the constructs
 * name their resources shows up here. Every call any test makes must be a Describe/Get/List call.
 */
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand, GetEventSourceMappingCommand, GetFunctionConfigurationCommand, LambdaClient, ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Stack } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '@kiro-serverless/constructs/app';
import { createAwsClients } from '../src/aws.js';
import type { AwsServiceStatusT, RecentFailuresT } from '../src/schemas.js';
import type { CfnTemplateJson, Connected } from './support.js';
import { connect, generatedOrders, physicalIdOf, textOf } from './support.js';

const STACK = 'dev-orders';
const cfn = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const sqs = mockClient(SQSClient);
const cloudWatch = mockClient(CloudWatchClient);
const codeDeploy = mockClient(CodeDeployClient);
const mocks = [cfn, lambda, sqs, cloudWatch, codeDeploy];

let root: string;
let fixtureRoot: string | undefined;
let template: CfnTemplateJson;
let server: Connected;

/** Logical IDs of the template by type and construct path prefix (`CreateOrderFunction/`). */
function logicalIds(type: string, pathPrefix = ''): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type && String(r.Metadata?.['aws:cdk:path'] ?? '').startsWith(`${STACK}/${pathPrefix}`))
    .map(([id]) => id);
}
const physical = (logicalId: string): string => physicalIdOf(STACK, logicalId, template.Resources[logicalId]!.Type);
const only = (ids: string[]): string => {
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

const fnName = (construct: string) => physical(only(logicalIds('AWS::Lambda::Function', `${construct}/Function/`)));
const esmOf = (construct: string) => physical(only(logicalIds('AWS::Lambda::EventSourceMapping', `${construct}/`)));
const queueUrl = (pathPrefix: string) => physical(only(logicalIds('AWS::SQS::Queue', pathPrefix)));

/** A healthy deployment of exactly the synthesized template. */
function healthyAccount(status = 'CREATE_COMPLETE'): void {
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [{
    StackName: STACK, StackStatus: status as never, CreationTime: new Date('2026-11-20T10:00:00Z'), LastUpdatedTime: new Date('2026-11-21T09:30:00Z'),
    Outputs: [{ OutputKey: 'HttpApiUrl', OutputValue: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' }],
  }] });
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: Object.entries(template.Resources).map(([id, r]) => ({
      LogicalResourceId: id, ResourceType: r.Type, PhysicalResourceId: physical(id), ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date(),
    })),
  });
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  lambda.on(GetFunctionConfigurationCommand).callsFake((input: { FunctionName: string }) => ({
    FunctionName: input.FunctionName, State: 'Active', LastUpdateStatus: 'Successful', Runtime: 'nodejs22.x', MemorySize: 512, Timeout: 10,
    Environment: { Variables: { TABLE_ORDERS: 'dev-orders-OrdersTableD407578C-1XYZ0ABC', PAYMENT_API_KEY: 'pk-123', WEBHOOK_URL: 'https://user:hunter2@hooks.example.com/x' } },
  }));
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '$LATEST' }, { Version: '1' }, { Version: '2' }] });
  lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '2' });
  lambda.on(GetEventSourceMappingCommand).callsFake((input: { UUID: string }) => ({ UUID: input.UUID, State: 'Enabled', LastProcessingResult: 'OK', EventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:q' }));
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' } });
  cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
}

async function status(args: Record<string, unknown> = {}): Promise<AwsServiceStatusT> {
  const r = await server.call('get_deployment_status', { target: 'aws', ...args });
  expect(r.isError, textOf(r)).toBeFalsy();
  const aws = (r.structuredContent as { aws: AwsServiceStatusT[] }).aws;
  expect(aws).toHaveLength(1);
  return aws[0]!;
}

beforeAll(async () => {
  // The CDK CLI turns path metadata on (`aws:cdk:path`), as `npm run deploy` does.
  const context = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true };
  const fixture = await generatedOrders('mcp-aws-fixture');
  fixtureRoot = fixture.root;
  const app = await buildApp({ root: fixture.root, stacks: fixture.stacks, stage: 'dev', context, builtinValidation: false });
  const stack = app.node.findChild(STACK) as Stack;
  template = app.synth().getStackByName(stack.stackName).template as CfnTemplateJson;
  root = await mkdtemp(path.join(tmpdir(), 'mcp-aws-'));
  await mkdir(path.join(root, 'specs'));
  await copyFile(path.join(fixture.root, 'specs/orders.yaml'), path.join(root, 'specs/orders.yaml'));
  server = await connect({ root, awsClients: () => createAwsClients('eu-west-1'), awsTimeoutMs: 2_000 });
}, 60_000);

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
  if (fixtureRoot !== undefined) await rm(fixtureRoot, { recursive: true, force: true });
});

beforeEach(async () => {
  for (const m of mocks) m.reset();
  // cdk.out holds the same template, newer than the spec: the synthesis is current.
  await mkdir(path.join(root, 'cdk.out'), { recursive: true });
  await writeFile(path.join(root, 'cdk.out', `${STACK}.template.json`), JSON.stringify(template));
  const past = new Date(Date.now() - 60_000);
  await utimes(path.join(root, 'specs/orders.yaml'), past, past);
});

afterEach(() => {
  // Read-only by construction, checked on what was actually sent.
  const sent = mocks.flatMap((m) => m.calls().map((c) => (c.args[0] as object).constructor.name));
  for (const name of sent) expect(name).toMatch(/^(Describe|Get|List)\w+Command$/);
});

describe('get_deployment_status, target aws', () => {
  it('a stack in CREATE_COMPLETE: status, last update, outputs, functions with versions and alias, in sync with cdk.out, no problems', async () => {
    healthyAccount();
    const s = await status();
    expect(s).toMatchObject({ service: 'orders', stage: 'dev', stackName: STACK, region: 'eu-west-1' });
    expect(s.stack).toMatchObject({
      status: 'CREATE_COMPLETE', healthy: true, inProgress: false, lastUpdated: '2026-11-21T09:30:00.000Z',
      outputs: { HttpApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' },
    });
    expect(s.functions.map((f) => f.id)).toEqual(['createOrder', 'publishOrderEvents', 'fulfilOrder', 'notifyCustomer']);
    const create = s.functions[0]!;
    expect(create).toMatchObject({
      functionName: fnName('CreateOrderFunction'), state: 'Active', lastUpdateStatus: 'Successful', publishedVersions: ['1', '2'],
      alias: { name: 'live', version: '2', routing: [], canaryInProgress: false },
    });
    expect(s.functions.find((f) => f.id === 'fulfilOrder')?.eventSourceMappings).toEqual([
      expect.objectContaining({ uuid: esmOf('FulfilOrderFunction'), state: 'Enabled', lastProcessingResult: 'OK' }),
    ]);
    expect(s.drift).toMatchObject({ state: 'in-sync', added: [], removed: [], changed: [] });
    expect(s.queues.map((q) => [q.label, q.role])).toEqual(expect.arrayContaining([
      ['FulfilmentQueue', 'queue'], ['FulfilmentQueue/DeadLetter', 'dead-letter'], ['OrderStreamFailuresQueue', 'on-failure'], ['NotifyFailuresQueue', 'on-failure'],
    ]));
    expect(s.problems).toEqual([]);
  });

  it('redacts environment values that look secret, by name or by value, and keeps the others', async () => {
    healthyAccount();
    const env = (await status()).functions[0]!.environment;
    expect(env).toEqual({ PAYMENT_API_KEY: '[redacted]', TABLE_ORDERS: 'dev-orders-OrdersTableD407578C-1XYZ0ABC', WEBHOOK_URL: '[redacted]' });
  });

  it('UPDATE_ROLLBACK_COMPLETE: the failure reason of the last update, not the cancelled follow-ups nor older failures', async () => {
    healthyAccount('UPDATE_ROLLBACK_COMPLETE');
    const at = (minute: number) => new Date(`2026-11-21T10:${String(minute).padStart(2, '0')}:00Z`);
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [
      { StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-orders/1', StackName: STACK, EventId: '9', LogicalResourceId: STACK, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE', Timestamp: at(9) },
      { StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-orders/1', StackName: STACK, EventId: '8', LogicalResourceId: 'HttpApi9292168F', ResourceType: 'AWS::ApiGatewayV2::Api', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Resource update cancelled', Timestamp: at(8) },
      { StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-orders/1', StackName: STACK, EventId: '7', LogicalResourceId: 'CreateOrderFunction22B43E3A', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: "Resource handler returned message: \"'MemorySize' value failed to satisfy constraint\"", Timestamp: at(7) },
      { StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-orders/1', StackName: STACK, EventId: '6', LogicalResourceId: STACK, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'UPDATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated', Timestamp: at(6) },
      { StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-orders/1', StackName: STACK, EventId: '5', LogicalResourceId: 'OldThing', ResourceType: 'AWS::SQS::Queue', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'an older failure', Timestamp: at(5) },
    ] });
    const s = await status();
    expect(s.stack).toMatchObject({ status: 'UPDATE_ROLLBACK_COMPLETE', healthy: false });
    expect(s.stack.failureReasons).toEqual([
      expect.objectContaining({ logicalId: 'CreateOrderFunction22B43E3A', status: 'UPDATE_FAILED', reason: expect.stringContaining("'MemorySize' value failed") }),
    ]);
    expect(s.problems[0]).toMatch(/^Stack is UPDATE_ROLLBACK_COMPLETE: Resource handler returned message: "'MemorySize'/);

    const failures = await server.call('get_recent_failures', { target: 'aws', service: 'orders' });
    const f = failures.structuredContent as RecentFailuresT;
    expect(f.stackEvents.map((e) => e.logicalId)).toEqual(['HttpApi9292168F', 'CreateOrderFunction22B43E3A', 'OldThing']);
    expect(textOf(failures)).toContain('3 failed CloudFormation event(s)');
    // One read for get_deployment_status, one for get_recent_failures (which shares it with the status).
    expect(cfn.commandCalls(DescribeStackEventsCommand)).toHaveLength(2);
  });

  it('a stack that is not deployed is an error that says how to deploy it', async () => {
    healthyAccount();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id dev-orders does not exist'), { name: 'ValidationError' }));
    const r = await server.call('get_deployment_status', { target: 'aws', service: 'orders' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('[STACK_NOT_DEPLOYED] Stack dev-orders is not deployed in eu-west-1. Fix: Deploy it with `STAGE=dev npm run deploy`, or check the stage (the stack name is <stage>-<service>) and the region/account of your credentials.');
  });

  it('the stage names the stack', async () => {
    healthyAccount();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id prod-orders does not exist'), { name: 'ValidationError' }));
    const r = await server.call('get_deployment_status', { target: 'aws', stage: 'prod' });
    expect(textOf(r)).toContain('Stack prod-orders is not deployed');
    expect(cfn.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({ StackName: 'prod-orders' });
  });

  it('a canary in progress: the alias weights and the CodeDeploy deployment', async () => {
    healthyAccount('UPDATE_COMPLETE');
    const create = fnName('CreateOrderFunction');
    lambda.on(GetAliasCommand, { FunctionName: create }).resolves({ Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { 3: 0.1 } } });
    lambda.on(ListVersionsByFunctionCommand, { FunctionName: create }).resolves({ Versions: [{ Version: '1' }, { Version: '2' }, { Version: '3' }] });
    codeDeploy.on(ListDeploymentsCommand).callsFake((input: { deploymentGroupName: string }) => ({ deployments: input.deploymentGroupName.includes('CreateOrder') ? ['d-ABC123'] : [] }));
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-ABC123', status: 'InProgress', createTime: new Date('2026-11-21T11:00:00Z') } });
    const s = await status();
    const fn = s.functions.find((f) => f.id === 'createOrder');
    expect(fn?.alias).toEqual({ name: 'live', version: '2', routing: [{ version: '3', weight: 0.1 }], canaryInProgress: true });
    expect(fn?.deployment).toMatchObject({ id: 'd-ABC123', status: 'InProgress', createTime: '2026-11-21T11:00:00.000Z' });
    expect(s.problems).toEqual(expect.arrayContaining([
      'createOrder: canary in progress, 10% to version 3, the rest to version 2.',
      'createOrder: CodeDeploy deployment d-ABC123 is InProgress.',
    ]));
    expect(codeDeploy.commandCalls(ListDeploymentsCommand).some((c) => c.args[0].input.includeOnlyStatuses?.includes('InProgress'))).toBe(true);
  });

  it('a disabled event source mapping and its last processing result', async () => {
    healthyAccount('UPDATE_COMPLETE');
    const uuid = esmOf('FulfilOrderFunction');
    lambda.on(GetEventSourceMappingCommand, { UUID: uuid }).resolves({ UUID: uuid, State: 'Disabled', StateTransitionReason: 'USER_INITIATED', LastProcessingResult: 'PROBLEM: Function call failed' });
    const s = await status();
    expect(s.functions.find((f) => f.id === 'fulfilOrder')?.eventSourceMappings).toEqual([
      { uuid, state: 'Disabled', stateTransitionReason: 'USER_INITIATED', lastProcessingResult: 'PROBLEM: Function call failed' },
    ]);
    expect(s.problems).toEqual([
      `fulfilOrder: event source mapping ${uuid} is Disabled (USER_INITIATED).`,
      `fulfilOrder: event source mapping ${uuid} last processing result: PROBLEM: Function call failed.`,
    ]);
  });

  it('a DLQ holding messages, and its alarm in ALARM; get_recent_failures says why bodies are not read on AWS', async () => {
    healthyAccount('UPDATE_COMPLETE');
    const dlq = queueUrl('FulfilmentQueue/DeadLetter/');
    sqs.on(GetQueueAttributesCommand, { QueueUrl: dlq }).resolves({ Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' } });
    const alarm = physical(only(logicalIds('AWS::CloudWatch::Alarm', 'FulfilmentQueue/DeadLetter/')));
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 1 datapoint [3.0] >= 1.0', StateUpdatedTimestamp: new Date('2026-11-21T12:00:00Z') }] });
    const s = await status();
    expect(s.queues.find((q) => q.label === 'FulfilmentQueue/DeadLetter')).toEqual({ label: 'FulfilmentQueue/DeadLetter', role: 'dead-letter', url: dlq, depth: { visible: 3, inFlight: 0, delayed: 0 } });
    expect(s.alarmsInAlarm).toEqual([{ name: alarm, reason: 'Threshold Crossed: 1 datapoint [3.0] >= 1.0', since: '2026-11-21T12:00:00.000Z' }]);
    expect(s.problems).toEqual([
      'FulfilmentQueue/DeadLetter (dead-letter) holds 3 message(s): call get_recent_failures, fix the cause, then redrive them.',
      `Alarm ${alarm} is in ALARM: Threshold Crossed: 1 datapoint [3.0] >= 1.0.`,
    ]);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toMatchObject({ StateValue: 'ALARM' });

    const r = await server.call('get_recent_failures', { target: 'aws', service: 'orders' });
    const f = r.structuredContent as RecentFailuresT;
    expect(f.deadLetters.find((d) => d.label === 'FulfilmentQueue/DeadLetter')).toEqual({ label: 'FulfilmentQueue/DeadLetter', role: 'dead-letter', depth: 3, messages: [] });
    expect(f.notes.join(' ')).toMatch(/not read on AWS.*receive-message/);
    expect(sqs.calls().map((c) => (c.args[0] as object).constructor.name)).not.toContain('ReceiveMessageCommand');
  });

  it('no credentials: an error that says where to put them, and the server keeps serving', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    cfn.onAnyCommand().rejects(noCredentials);
    lambda.onAnyCommand().rejects(noCredentials);
    sqs.onAnyCommand().rejects(noCredentials);
    cloudWatch.onAnyCommand().rejects(noCredentials);
    codeDeploy.onAnyCommand().rejects(noCredentials);
    const r = await server.call('get_deployment_status', { target: 'aws' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^\[NO_CREDENTIALS\] No AWS credentials were found for stack dev-orders .*Fix: .*AWS_PROFILE.*\.kiro\/settings\/mcp\.json/s);
    expect((await server.call('list_services', {})).isError).toBeFalsy();
  });

  it('throttling that outlasts the retries is an error that says to wait', async () => {
    healthyAccount();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $retryable: { throttling: true } }));
    const r = await server.call('get_deployment_status', { target: 'aws' });
    expect(textOf(r)).toMatch(/^\[THROTTLED\] AWS throttled the read calls for stack dev-orders.*Fix: Wait a few seconds/);
  });

  it('an unreachable region is an error about the network', async () => {
    healthyAccount();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.eu-west-9.amazonaws.com'), { name: 'Error', code: 'ENOTFOUND' }));
    const r = await server.call('get_deployment_status', { target: 'aws' });
    expect(textOf(r)).toMatch(/^\[REGION_UNREACHABLE\] The AWS endpoint for eu-west-1 cannot be reached/);
  });

  it('a call that never answers ends at the deadline', async () => {
    healthyAccount();
    cfn.on(DescribeStacksCommand).callsFake(() => new Promise(() => {}));
    const started = Date.now();
    const r = await server.call('get_deployment_status', { target: 'aws' });
    expect(textOf(r)).toMatch(/^\[TIMEOUT\]/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('finds each function by its logical ID when the template has no path metadata (synthesized with --no-path-metadata)', async () => {
    healthyAccount();
    const bare = structuredClone(template);
    for (const resource of Object.values(bare.Resources)) delete resource.Metadata;
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(bare) });
    const s = await status();
    expect(s.functions.map((f) => [f.id, f.functionName])).toEqual([
      ['createOrder', fnName('CreateOrderFunction')], ['publishOrderEvents', fnName('PublishOrderEventsFunction')],
      ['fulfilOrder', fnName('FulfilOrderFunction')], ['notifyCustomer', fnName('NotifyCustomerFunction')],
    ]);
    expect(s.functions.find((f) => f.id === 'fulfilOrder')?.eventSourceMappings.map((m) => m.uuid)).toEqual([esmOf('FulfilOrderFunction')]);
  });
});

describe('drift against cdk.out', () => {
  it('no cdk.out: says to synthesize', async () => {
    healthyAccount();
    await rm(path.join(root, 'cdk.out'), { recursive: true });
    expect((await status()).drift).toMatchObject({ state: 'not-synthesized', message: expect.stringContaining('npm run synth') });
  });

  it('cdk.out older than a spec: says to synthesize again instead of comparing with an old template', async () => {
    healthyAccount();
    const old = new Date(Date.now() - 120_000);
    await utimes(path.join(root, 'cdk.out', `${STACK}.template.json`), old, old);
    await utimes(path.join(root, 'specs/orders.yaml'), new Date(), new Date());
    expect((await status()).drift).toMatchObject({ state: 'synthesis-outdated', message: expect.stringContaining('older than specs/orders.yaml') });
  });

  it('resources added, removed and changed since the deploy', async () => {
    healthyAccount();
    const deployed = structuredClone(template);
    const fn = only(logicalIds('AWS::Lambda::Function', 'FulfilOrderFunction/Function/'));
    (deployed.Resources[fn]!.Properties as { MemorySize: number }).MemorySize = 256;
    deployed.Resources.RemovedQueue = { Type: 'AWS::SQS::Queue', Properties: {} };
    const topic = only(logicalIds('AWS::SNS::Topic'));
    deployed.Resources = Object.fromEntries(Object.entries(deployed.Resources).filter(([id]) => id !== topic));
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(deployed) });
    const drift = (await status()).drift;
    expect(drift).toMatchObject({ state: 'differs', added: [topic], removed: ['RemovedQueue'], changed: [fn] });
    expect(JSON.parse(await readFile(path.join(root, 'cdk.out', `${STACK}.template.json`), 'utf8'))).toEqual(template);
  });
});
