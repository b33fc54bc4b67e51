/**
 * The generated stacks, synthesized: the orders fixture project and every fixture spec (billing, with
 * a different mix of triggers, and the others), generated into a temporary project. Each assertion
 * names the practice it proves. Bundling is skipped (`aws:cdk:bundling-stacks: []`): the templates
 * are what matters here; `npm run synth` bundles for real.
 */
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceFunction } from '@kiro-serverless/constructs';
import type { ServiceStackClass } from '@kiro-serverless/constructs/app';
import { buildApp } from '@kiro-serverless/constructs/app';
import { FIXTURE_SPECS, FIXTURE_SPECS_DIR, fixtureProject } from '@kiro-serverless/fixtures';
import { STACKS_INDEX } from '@kiro-serverless/model/layout';
import { stackName } from '@kiro-serverless/model/naming';
import { main as generate } from '../src/cli.js';
import { loadServiceModels } from '@kiro-serverless/model/check';
import { functionEnvironment } from '@kiro-serverless/model/environment';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { invocationKind } from '@kiro-serverless/model/model';

const CONTEXT = { 'aws:cdk:bundling-stacks': [] };
const STAGE = 'test';

type Resource = { Type: string; Properties?: Record<string, unknown> };
interface Synthesized {
  readonly model: ServiceModel;
  readonly stack: Stack;
  readonly template: Template;
  readonly resources: Record<string, Resource>;
}

function synthesized(app: App, model: ServiceModel): Synthesized {
  const stack = app.node.findChild(stackName(STAGE, model.service)) as Stack;
  const template = Template.fromStack(stack);
  return { model, stack, template, resources: template.toJSON().Resources as Record<string, Resource> };
}

/** Every fixture spec (the fixtures package's specs/), synthesized with the orders fixture project. */
const FIXTURES = FIXTURE_SPECS;

let tmp: string;
const services: Synthesized[] = [];

beforeAll(async () => {
  // The orders fixture project with every fixture spec beside it, generated into a temporary
  // project that links the repository's node_modules (and with it the kit's constructs).
  tmp = await fixtureProject('orders', 'stacks');
  for (const fixture of FIXTURES) await cp(path.join(FIXTURE_SPECS_DIR, `${fixture}.yaml`), path.join(tmp, `specs/${fixture}.yaml`));
  const errors: string[] = [];
  expect(await generate([], () => undefined, (s) => errors.push(s), tmp), errors.join('\n')).toBe(0);
  const models = await loadServiceModels(tmp);
  const { STACKS } = (await import(pathToFileURL(path.join(tmp, STACKS_INDEX)).href)) as { STACKS: Record<string, ServiceStackClass> };
  const app = await buildApp({ root: tmp, models, stacks: STACKS, context: CONTEXT, stage: STAGE, builtinValidation: false });
  for (const service of ['orders', ...FIXTURES]) services.push(synthesized(app, models.find((m) => m.service === service)!));
}, 120_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// ---- helpers over the template ----------------------------------------------------------------

const ofType = (s: Synthesized, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const props = (r: Resource) => r.Properties ?? {};
const refOf = (value: unknown): string | undefined => (value as { Ref?: string } | undefined)?.Ref;
const getAttOf = (value: unknown): string | undefined => (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];

/** The Lambda function resource of a spec function, found through its construct (`CreateOrderFunction`). */
function lambdaOf(s: Synthesized, fn: FunctionModel): [string, Resource] {
  const construct = s.stack.node.findChild(`${fn.id.charAt(0).toUpperCase()}${fn.id.slice(1)}Function`) as ServiceFunction;
  const id = s.stack.getLogicalId(construct.function.node.defaultChild as CfnElement);
  const resource = s.resources[id];
  if (!resource) throw new Error(`no Lambda function ${id} for ${fn.id}`);
  return [id, resource];
}

/** The live alias of a spec function. */
function aliasOf(s: Synthesized, fn: FunctionModel): [string, Resource] {
  const [fnId] = lambdaOf(s, fn);
  const alias = ofType(s, 'AWS::Lambda::Alias').find(([, r]) => refOf(props(r).FunctionName) === fnId);
  if (!alias) throw new Error(`no alias for ${fn.id}`);
  return alias;
}

/** Whether a value refers to a resource (by Ref, possibly inside an intrinsic function). */
const mentions = (value: unknown, logicalId: string) => JSON.stringify(value).includes(`{"Ref":"${logicalId}"}`);

/** The event source mapping of a spec function (on its alias). */
function mappingOf(s: Synthesized, fn: FunctionModel): [string, Resource] | undefined {
  const [alias] = aliasOf(s, fn);
  return ofType(s, 'AWS::Lambda::EventSourceMapping').find(([, m]) => mentions(props(m).FunctionName, alias));
}

/** Every IAM action granted to the role of a spec function. */
function actionsOf(s: Synthesized, fn: FunctionModel): string[] {
  const [, lambda] = lambdaOf(s, fn);
  const role = getAttOf(props(lambda).Role);
  return ofType(s, 'AWS::IAM::Policy')
    .filter(([, p]) => (props(p).Roles as unknown[] | undefined)?.some((r) => refOf(r) === role))
    .flatMap(([, p]) => (props(p).PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement)
    .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
}

const functions = (s: Synthesized) => Object.values(s.model.functions);
const each = () => services.map((s) => [s.model.service, s] as const);

describe.each<[string]>([['orders'], ...FIXTURES.map((f): [string] => [f])])('the %s stack', (service) => {
  const s = () => services.find((x) => x.model.service === service)!;

  it('LBP-DEPLOY-VERSIONS: every function has a live alias, and every trigger targets it', () => {
    const aliases = new Set(functions(s()).map((fn) => aliasOf(s(), fn)[0]));
    for (const fn of functions(s())) expect(props(aliasOf(s(), fn)[1]).Name).toBe('live');
    const targets = [
      ...ofType(s(), 'AWS::Lambda::EventSourceMapping').map(([, r]) => props(r).FunctionName),
      ...ofType(s(), 'AWS::SNS::Subscription').filter(([, r]) => props(r).Protocol === 'lambda').map(([, r]) => props(r).Endpoint),
      ...ofType(s(), 'AWS::ApiGatewayV2::Integration').map(([, r]) => props(r).IntegrationUri),
      ...ofType(s(), 'AWS::Events::Rule').flatMap(([, r]) => (props(r).Targets as { Arn: unknown }[]).map((t) => t.Arn)),
    ];
    expect(targets.length).toBeGreaterThan(0);
    // A target names the alias by its ARN (Ref) or as `<function>:live` built from it.
    for (const target of targets) expect([...aliases].some((alias) => JSON.stringify(target).includes(`{"Ref":"${alias}"}`)), JSON.stringify(target)).toBe(true);
  });

  it('LBP-CONFIG-EXPLICIT, LBP-OBSERVE: memory, timeout, architecture, active tracing and JSON logs as the spec says', () => {
    for (const fn of functions(s())) {
      const p = props(lambdaOf(s(), fn)[1]);
      expect(p).toMatchObject({
        MemorySize: fn.memoryMb,
        Timeout: fn.timeoutSeconds,
        Architectures: [fn.architecture],
        Runtime: fn.runtime,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      if (fn.reservedConcurrency !== undefined) expect(p.ReservedConcurrentExecutions).toBe(fn.reservedConcurrency);
    }
    for (const [, group] of ofType(s(), 'AWS::Logs::LogGroup')) expect(props(group).RetentionInDays).toBeGreaterThan(0);
  });

  it('LBP-CONFIG-ENV: each function gets exactly the variables of its environment contract', () => {
    for (const fn of functions(s())) {
      const variables = (props(lambdaOf(s(), fn)[1]).Environment as { Variables: Record<string, unknown> }).Variables;
      const expected = functionEnvironment(s().model, fn).map((v) => v.name);
      expect(Object.keys(variables).filter((k) => k !== 'NODE_OPTIONS' && k !== 'AWS_NODEJS_CONNECTION_REUSE_ENABLED').sort()).toEqual([...expected].sort());
      for (const v of functionEnvironment(s().model, fn)) if (v.value !== undefined) expect(variables[v.name]).toBe(v.value);
    }
  });

  it('LBP-SEC-LEAST-PRIVILEGE: no statement allows `*` or `service:*`, and each function can publish or send only where its spec says', () => {
    for (const [, policy] of ofType(s(), 'AWS::IAM::Policy')) {
      for (const st of (props(policy).PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement) {
        for (const action of Array.isArray(st.Action) ? st.Action : [st.Action]) expect(action).not.toMatch(/^\*$|:\*$/);
      }
    }
    for (const fn of functions(s())) {
      const actions = actionsOf(s(), fn);
      // Lambda sends to a failure destination with the function's role, so a queue or topic named by onFailure counts.
      const t = fn.trigger;
      const destinations = [t.type === 'dynamodbStream' ? t.onFailure : undefined, 'async' in t ? t.async.onFailure : undefined];
      const failureTo = (kind: 'queues' | 'topics') => destinations.some((id) => id !== undefined && Object.hasOwn(s().model[kind], id));
      expect(actions.includes('sns:Publish')).toBe(fn.permissions.publish.length > 0 || failureTo('topics'));
      expect(actions.includes('sqs:SendMessage')).toBe(fn.permissions.send.length > 0 || failureTo('queues'));
      const writesTable = fn.permissions.write.some((id) => Object.hasOwn(s().model.tables, id)) || (fn.idempotency !== undefined && 'key' in fn.idempotency);
      expect(actions.includes('dynamodb:PutItem')).toBe(writesTable);
    }
  });

  it('LBP-ERR-STREAM-BISECT, -RETRIES, -CHECKPOINT, -ONFAILURE: stream mappings as the spec says', () => {
    for (const fn of functions(s())) {
      const t = fn.trigger;
      if (t.type !== 'dynamodbStream') continue;
      const mapping = mappingOf(s(), fn);
      expect(mapping, `mapping of ${fn.id}`).toBeDefined();
      expect(props(mapping![1])).toMatchObject({
        BisectBatchOnFunctionError: t.bisectOnError,
        MaximumRetryAttempts: t.maxRetries,
        MaximumRecordAgeInSeconds: t.maxRecordAgeSeconds,
        BatchSize: t.batchSize,
        ParallelizationFactor: t.parallelization,
        StartingPosition: t.startingPosition === 'trimHorizon' ? 'TRIM_HORIZON' : 'LATEST',
        ...(t.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
      });
      if (t.onFailure !== undefined) expect(props(mapping![1]).DestinationConfig).toMatchObject({ OnFailure: { Destination: expect.anything() as unknown } });
      if (t.filter !== undefined) expect(JSON.parse((props(mapping![1]).FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]!.Pattern)).toEqual(t.filter);
    }
  });

  it('LBP-ERR-SQS-DLQ, LBP-ERR-SQS-PARTIAL: consumed queues have a DLQ (maxReceiveCount >= 5) and a visibility timeout >= 6x the consumer\'s; mappings report item failures', () => {
    for (const fn of functions(s())) {
      const t = fn.trigger;
      if (t.type !== 'sqs') continue;
      const [, mapping] = mappingOf(s(), fn)!;
      expect(props(mapping)).toMatchObject({ BatchSize: t.batchSize, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      const queueId = getAttOf(props(mapping).EventSourceArn)!;
      const queue = props(s().resources[queueId]!);
      expect((queue.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.timeoutSeconds);
    }
  });

  it('LBP-ERR-ASYNC-DESTINATION: asynchronously invoked functions have retries, an event age and an OnFailure destination on the alias', () => {
    for (const fn of functions(s())) {
      if (invocationKind(fn.trigger) !== 'async' || !('async' in fn.trigger)) continue;
      const a = fn.trigger.async;
      const [, lambdaResource] = lambdaOf(s(), fn);
      const [lambdaId] = lambdaOf(s(), fn);
      expect(lambdaResource).toBeDefined();
      const config = ofType(s(), 'AWS::Lambda::EventInvokeConfig').find(([, c]) => refOf(props(c).FunctionName) === lambdaId);
      expect(config, `EventInvokeConfig of ${fn.id}`).toBeDefined();
      expect(props(config![1])).toMatchObject({ MaximumRetryAttempts: a.maxRetries, MaximumEventAgeInSeconds: a.maxEventAgeSeconds });
      expect(mentions(props(config![1]).Qualifier, aliasOf(s(), fn)[0]), 'the qualifier is the live alias').toBe(true);
      if (a.onFailure !== undefined) expect(props(config![1]).DestinationConfig).toMatchObject({ OnFailure: { Destination: expect.anything() as unknown } });
    }
  });

  it('cdk-nag: no unacknowledged AwsSolutions or Serverless finding', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const report = pack.validateScope(s().stack);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.description} (${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')})`)).toEqual([]);
    }
  });
});

describe('the orders stack, specifically', () => {
  const s = () => services.find((x) => x.model.service === 'orders')!;
  const createOrder = () => s().model.functions.createOrder!;

  it('LBP-DEPLOY-CANARY: createOrder shifts traffic with CodeDeploy canary 10% / 5 min, rolls back on its errors alarm', () => {
    const groups = ofType(s(), 'AWS::CodeDeploy::DeploymentGroup');
    expect(groups).toHaveLength(1);
    expect(props(groups[0]![1])).toMatchObject({
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AlarmConfiguration: { Enabled: true },
      AutoRollbackConfiguration: { Enabled: true },
    });
  });

  it('LBP-PROVISIONED-CONCURRENCY: createOrder keeps 2 environments initialised on its alias', () => {
    expect(props(aliasOf(s(), createOrder())[1]).ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 2 });
  });

  it('LBP-ERR-SYNC: POST /orders is routed to createOrder through the HTTP API, with throttling and access logs', () => {
    expect(ofType(s(), 'AWS::ApiGatewayV2::Route').map(([, r]) => props(r).RouteKey)).toEqual(['POST /orders']);
    const [, stage] = ofType(s(), 'AWS::ApiGatewayV2::Stage')[0]!;
    expect(props(stage)).toMatchObject({ AccessLogSettings: { DestinationArn: expect.anything() as unknown }, DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number) as unknown } });
  });

  it('tables: point-in-time recovery, the spec\'s stream and TTL; the idempotency table expires records', () => {
    const tables = ofType(s(), 'AWS::DynamoDB::GlobalTable').map(([, t]) => props(t));
    const orders = tables.find((t) => (t.KeySchema as { AttributeName: string }[])[0]?.AttributeName === 'pk')!;
    expect(orders).toMatchObject({ StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' }, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    expect(JSON.stringify(orders.Replicas)).toContain('"PointInTimeRecoveryEnabled":true');
    const idempotency = tables.find((t) => (t.KeySchema as { AttributeName: string }[])[0]?.AttributeName === 'id')!;
    expect(idempotency).toMatchObject({ TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } });
  });
});

describe('the reports stack, specifically', () => {
  const s = () => services.find((x) => x.model.service === 'reports')!;
  const fn = (id: string) => s().model.functions[id]!;
  const vpcConfig = (id: string) => props(lambdaOf(s(), fn(id))[1]).VpcConfig as { SecurityGroupIds: unknown[]; SubnetIds: unknown[] } | undefined;

  it('LBP-RDS-PROXY: functions that connect run in the VPC, get the proxy endpoint and rds-db:connect on the proxy only', () => {
    const [proxyId] = ofType(s(), 'AWS::RDS::DBProxy')[0]!;
    expect(props(ofType(s(), 'AWS::RDS::DBProxy')[0]![1])).toMatchObject({ RequireTLS: true, Auth: [expect.objectContaining({ IAMAuth: 'REQUIRED' })] });
    for (const id of ['getReport', 'renderReport']) {
      expect(vpcConfig(id)?.SubnetIds.length).toBeGreaterThan(0);
      const variables = (props(lambdaOf(s(), fn(id))[1]).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(getAttOf(variables.DB_ANALYTICS_PROXY_ENDPOINT)).toBe(proxyId);
      expect(actionsOf(s(), fn(id))).toContain('rds-db:connect');
    }
    expect(actionsOf(s(), fn('publishTemplates'))).not.toContain('rds-db:connect');
    expect(vpcConfig('publishTemplates')).toBeDefined();
  });

  it('LBP-EFS-ASSETS: the functions that use the file system mount its access point at /mnt/templates, read-only where the spec says read', () => {
    const [apId] = ofType(s(), 'AWS::EFS::AccessPoint')[0]!;
    for (const id of ['renderReport', 'publishTemplates']) {
      const configs = props(lambdaOf(s(), fn(id))[1]).FileSystemConfigs as { Arn: unknown; LocalMountPath: string }[];
      expect(configs).toHaveLength(1);
      expect(configs[0]!.LocalMountPath).toBe('/mnt/templates');
      expect(JSON.stringify(configs[0]!.Arn)).toContain(apId);
    }
    expect(actionsOf(s(), fn('renderReport'))).not.toContain('elasticfilesystem:ClientWrite');
    expect(actionsOf(s(), fn('publishTemplates'))).toContain('elasticfilesystem:ClientWrite');
    expect(props(lambdaOf(s(), fn('getReport'))[1]).FileSystemConfigs).toBeUndefined();
  });
});

it('synthesizes every fixture spec there is', async () => {
  const files = (await readdir(FIXTURE_SPECS_DIR)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
  expect(files.sort()).toEqual([...FIXTURES]);
});

it('builds one stack per spec, named <stage>-<service>', () => {
  expect(each().map(([service, s]) => [service, s.stack.stackName])).toEqual(['orders', ...FIXTURES].map((service) => [service, `test-${service}`]));
});
