/**
 * The best-practice defaults of the hand-written constructs, asserted on synthesized templates.
 * One App and one stack (every construct, wired like the orders example) serve most tests; small
 * extra stacks cover options and refusals; one more App really bundles a function with esbuild.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_LOG_FORMAT, ESM_REQUIRE_BANNER, IdempotencyTable, ServiceBucket, ServiceFunction, ServiceHttpApi, ServiceQueue,
  ServiceTable, ServiceTopic, VISIBILITY_TIMEOUT_WARNING,
} from '../src/index.js';
import { DEPLOYMENT_TYPES } from '@kiro-serverless/model/constants';
import { IDEMPOTENCY_TABLE_SCHEMA } from '@kiro-serverless/model/environment';
import {
  buildExampleStack, functionProps, logicalIdOf, removeOutdir, testApp, type ExampleStack, type TestAppOptions,
} from './support.js';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdatePolicy?: unknown };

const app = testApp();
/** Apps of the small extra stacks: each gets its own, since an App cannot change after its synthesis. */
const extraApps: App[] = [];
function scratchStack(id: string, options: TestAppOptions = {}): Stack {
  const extra = testApp(options);
  extraApps.push(extra);
  return new Stack(extra, id);
}
let ex: ExampleStack;
let template: Template;
let resources: Record<string, Resource>;

/** The synthesized resource of a construct (its L1). */
function resourceOf(construct: Parameters<typeof logicalIdOf>[0]): Resource {
  const resource = resources[logicalIdOf(construct)];
  if (!resource) throw new Error(`no resource for ${construct.node.path}`);
  return resource;
}
const ref = (construct: Parameters<typeof logicalIdOf>[0]) => ({ Ref: logicalIdOf(construct) });
const arnOf = (construct: Parameters<typeof logicalIdOf>[0]) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });
function ofType(type: string): Resource[] {
  return Object.values(resources).filter((r) => r.Type === type);
}

beforeAll(() => {
  ex = buildExampleStack(app);
  template = Template.fromStack(ex.stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
});
afterAll(() => {
  for (const a of [app, ...extraApps]) removeOutdir(a);
});

describe('ServiceFunction', () => {
  it('LBP-CONFIG-EXPLICIT: memory, timeout, runtime and architecture are the ones given', () => {
    expect(resourceOf(ex.createOrder.function).Properties).toMatchObject({
      MemorySize: 512, Timeout: 10, Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler',
      Description: 'Accept an order over HTTP and store it',
    });
    expect(resourceOf(ex.publishOrderEvents.function).Properties).toMatchObject({
      MemorySize: 256, Timeout: 30, Runtime: 'nodejs24.x', Architectures: ['x86_64'],
    });
  });

  it('LBP-OBSERVE: tracing Active, JSON logs into its own log group, retention one month by default', () => {
    const fn = resourceOf(ex.createOrder.function).Properties;
    expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: ref(ex.createOrder.logGroup) });
    expect(resourceOf(ex.createOrder.logGroup).Properties).toEqual({ RetentionInDays: 30 });
    expect(resourceOf(ex.nightlyReport.logGroup).Properties).toEqual({ RetentionInDays: 7 });
  });

  it('LBP-OBSERVE / LBP-SEC-LEAST-PRIVILEGE: own role without managed policies; logs only to its group; X-Ray in a policy of its own', () => {
    const role = resourceOf(ex.createOrder.role);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(resourceOf(ex.createOrder.function).Properties.Role).toEqual(arnOf(ex.createOrder.role));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(ex.createOrder.role)],
      PolicyDocument: { Statement: Match.arrayWith([
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: arnOf(ex.createOrder.logGroup) },
      ]) },
    });
    const tracing = ex.createOrder.node.findChild('TracingPolicy');
    expect(resourceOf(tracing).Properties).toMatchObject({
      Roles: [ref(ex.createOrder.role)],
      PolicyDocument: { Statement: [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' }] },
    });
  });

  it('LBP-CONFIG-ENV: the environment given, plus NODE_OPTIONS=--enable-source-maps', () => {
    expect(resourceOf(ex.createOrder.function).Properties.Environment).toEqual({
      Variables: {
        NODE_OPTIONS: '--enable-source-maps',
        TABLE_ORDERS: ref(ex.orders.table),
        BUCKET_CATALOG: ref(ex.catalog.bucket),
        IDEMPOTENCY_TABLE: ref(ex.idempotency.table),
        LOG_LEVEL: 'INFO',
      },
    });
  });

  it('LBP-PACKAGE-SMALL: bundling options: minified ESM with source maps, module-first resolution, SDK bundled, target = runtime, no Docker', () => {
    expect(ex.createOrder.bundling).toMatchObject({
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      format: 'esm',
      banner: ESM_REQUIRE_BANNER,
      target: 'node22',
      externalModules: [],
      bundleAwsSDK: true,
      forceDockerBundling: false,
    });
    expect(ex.publishOrderEvents.bundling.target).toBe('node24');
  });

  it('LBP-DEPLOY-VERSIONS: alias "live" points at the published version; no trigger targets the unqualified function', () => {
    expect(resourceOf(ex.createOrder.alias).Properties).toMatchObject({
      Name: 'live',
      FunctionName: ref(ex.createOrder.function),
      FunctionVersion: { 'Fn::GetAtt': [logicalIdOf(ex.createOrder.function.currentVersion), 'Version'] },
    });
    // Every way in names an alias: mappings, subscriptions, rule targets, API integrations, invoke permissions.
    const aliasIds = new Set(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Alias').map(([id]) => id));
    const namesAlias = (value: unknown): boolean => JSON.stringify(value).match(/"Ref":"([A-Za-z0-9]+)"/g)
      ?.some((m) => aliasIds.has(m.slice(7, -1))) ?? false;
    const entrances = [
      ...ofType('AWS::Lambda::EventSourceMapping').map((r) => r.Properties.FunctionName),
      ...ofType('AWS::SNS::Subscription').filter((r) => r.Properties.Protocol === 'lambda').map((r) => r.Properties.Endpoint),
      ...ofType('AWS::Events::Rule').flatMap((r) => (r.Properties.Targets as { Arn: unknown }[]).map((t) => t.Arn)),
      ...ofType('AWS::ApiGatewayV2::Integration').map((r) => r.Properties.IntegrationUri),
      ...ofType('AWS::Lambda::Permission').map((r) => r.Properties.FunctionName),
      ...ofType('AWS::Lambda::EventInvokeConfig').map((r) => r.Properties.Qualifier),
    ];
    expect(entrances.length).toBe(3 + 1 + 1 + 1 + 4 + 2);
    for (const entrance of entrances) expect(namesAlias(entrance), JSON.stringify(entrance)).toBe(true);
  });

  it('LBP-PROVISIONED-CONCURRENCY: provisioned concurrency on the alias; reserved concurrency on the function', () => {
    expect(resourceOf(ex.createOrder.alias).Properties.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 2 });
    expect(resourceOf(ex.createOrder.function).Properties.ReservedConcurrentExecutions).toBe(20);
    expect(resourceOf(ex.fulfilOrder.alias).Properties.ProvisionedConcurrencyConfig).toBeUndefined();
    expect(resourceOf(ex.fulfilOrder.function).Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('LBP-DEPLOY-CANARY: CodeDeploy deployment group with the config and an errors alarm on the alias, auto rollback', () => {
    const group = resourceOf(ex.createOrder.deploymentGroup!).Properties;
    expect(group).toMatchObject({
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: ref(ex.createOrder.errorsAlarm!) }] },
      DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
    });
    expect(group.AutoRollbackConfiguration).toEqual({
      Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
    });
    expect(resourceOf(ex.createOrder.alias).UpdatePolicy).toEqual({
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: ref(ex.createOrder.deploymentGroup!.application),
        DeploymentGroupName: ref(ex.createOrder.deploymentGroup!),
      },
    });
    expect(resourceOf(ex.createOrder.errorsAlarm!).Properties).toMatchObject({
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 60,
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
      Dimensions: [
        { Name: 'FunctionName', Value: ref(ex.createOrder.function) },
        { Name: 'Resource', Value: { 'Fn::Join': ['', [ref(ex.createOrder.function), ':live']] } },
      ],
    });
    expect(resourceOf(ex.notifyCustomer.deploymentGroup!).Properties.DeploymentConfigName)
      .toBe('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  });

  it('LBP-DEPLOY-CANARY: every deployment type maps to its CodeDeploy configuration; allAtOnce has no group, alarm or update policy', () => {
    const stack = scratchStack('Deployments');
    for (const deployment of DEPLOYMENT_TYPES) {
      const fn = new ServiceFunction(stack, deployment, functionProps({ deployment }));
      if (deployment === 'allAtOnce') {
        expect(fn.deploymentGroup).toBeUndefined();
        expect(fn.errorsAlarm).toBeUndefined();
      } else {
        const expected = `CodeDeployDefault.Lambda${deployment[0]!.toUpperCase()}${deployment.slice(1)}`;
        expect(fn.deploymentGroup?.deploymentConfig.deploymentConfigName).toBe(expected);
        expect(fn.errorsAlarm).toBeDefined();
      }
    }
    expect(resourceOf(ex.fulfilOrder.alias).UpdatePolicy).toBeUndefined();
  });

  it('LBP-ERR-STREAM-BISECT/RETRIES/ONFAILURE/CHECKPOINT: the stream mapping has bisect, MaximumRetryAttempts, MaximumRecordAgeInSeconds, FunctionResponseTypes and DestinationConfig.OnFailure', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(ex.orders.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf(ex.orderStreamFailures.queue) } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { sk: { S: ['ORDER'] } } } }) }] },
      FunctionName: { 'Fn::Join': ['', [Match.anyValue(), ':live']] },
    });
  });

  it('LBP-ERR-STREAM-ONFAILURE: the OnFailure queue gets an alarm on its first message', () => {
    expect(resourceOf(ex.orderStreamFailures.failureAlarm!).Properties).toMatchObject({
      Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(ex.orderStreamFailures.queue), 'QueueName'] } }],
    });
  });

  it('LBP-ERR-SQS-PARTIAL: the queue mapping reports batch item failures, with batch size, window and maximum concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(ex.fulfilment.queue),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // A FIFO queue takes no batching window: 0 leaves it out.
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(ex.ledger.queue),
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
  });

  it('LBP-ERR-ASYNC-DESTINATION: EventInvokeConfig on the alias with MaximumRetryAttempts, MaximumEventAgeInSeconds and OnFailure', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(ex.notifyCustomer.function),
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', ref(ex.notifyCustomer.alias)] }] },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: arnOf(ex.notifyFailures.queue) } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(ex.nightlyReport.function),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnFailure: { Destination: ref(ex.orderEvents.topic) } },
    });
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 2);
  });

  it('LBP-ERR-ASYNC-DESTINATION: subscribeTo and runOnSchedule refuse a function without async settings', () => {
    const stack = scratchStack('NoAsync');
    const fn = new ServiceFunction(stack, 'Fn', functionProps());
    const topic = new ServiceTopic(stack, 'Topic', { fifo: false });
    expect(() => fn.subscribeTo(topic)).toThrow(/set `async`.*LBP-ERR-ASYNC-DESTINATION/);
    expect(() => fn.runOnSchedule('rate(5 minutes)')).toThrow(/set `async`/);
  });

  it('subscribeTo refuses a FIFO topic (SNS FIFO delivers to SQS only)', () => {
    const stack = scratchStack('FifoTopic');
    const fn = new ServiceFunction(stack, 'Fn', functionProps({ async: { maxRetries: 2, maxEventAgeSeconds: 60 } }));
    expect(() => fn.subscribeTo(new ServiceTopic(stack, 'Topic', { fifo: true }))).toThrow(/FIFO topic.*SQS queues only/);
  });

  it('SNS -> Lambda: the subscription targets the alias, with a subscription dead-letter queue and an invoke permission for the topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: ref(ex.notifyCustomer.alias),
      TopicArn: ref(ex.orderEvents.topic),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifyCustomerOrderEventsSubscriptionDeadLetterQueue'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: ref(ex.notifyCustomer.alias), Principal: 'sns.amazonaws.com', SourceArn: ref(ex.orderEvents.topic),
    });
  });

  it('EventBridge schedule: the rule targets the alias with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 12 * * ? *)',
      State: 'ENABLED',
      Targets: [{
        Arn: ref(ex.nightlyReport.alias),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NightlyReportScheduleDeadLetterQueue'), 'Arn'] } },
        Id: Match.anyValue(),
      }],
    });
  });

  it('LBP-ERR-SQS-DLQ: consumeQueue warns when the visibility timeout is under 6x the function timeout', () => {
    const stack = scratchStack('ShortVisibility');
    const queue = new ServiceQueue(stack, 'Queue', { fifo: false, visibilityTimeoutSeconds: 30, deadLetter: { maxReceiveCount: 5 } });
    const fn = new ServiceFunction(stack, 'Fn', functionProps({ timeoutSeconds: 10 }));
    fn.consumeQueue(queue, { batchSize: 10, batchingWindowSeconds: 0, reportBatchItemFailures: true });
    const warnings = Annotations.fromStack(stack).findWarning('/ShortVisibility/Fn', Match.stringLikeRegexp('visibility timeout of 30 s.*60 s'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0]!.entry.data)).toContain(VISIBILITY_TIMEOUT_WARNING);
    // 6x exactly is enough.
    expect(Annotations.fromStack(ex.stack).findWarning('*', Match.stringLikeRegexp('visibility timeout'))).toHaveLength(0);
  });

  it('consumeStream refuses a table without a stream', () => {
    const stack = scratchStack('NoStream');
    const table = new ServiceTable(stack, 'Table', { partitionKey: { name: 'pk', type: 'string' } });
    const fn = new ServiceFunction(stack, 'Fn', functionProps());
    expect(() => fn.consumeStream(table, {
      startingPosition: 'latest', batchSize: 10, batchingWindowSeconds: 0, bisectOnError: true, maxRetries: 1,
      maxRecordAgeSeconds: 60, parallelization: 1, reportBatchItemFailures: true,
    })).toThrow(/has none \(set its `stream`\)/);
  });
});

describe('ServiceFunction bundling (esbuild, for real)', () => {
  it('LBP-PACKAGE-SMALL: one minified ESM file with the require shim and the AWS SDK inside, plus a source map', () => {
    const bundleApp = testApp({ bundle: true });
    try {
      const stack = new Stack(bundleApp, 'Bundled');
      new ServiceFunction(stack, 'Fn', functionProps());
      const assembly = bundleApp.synth();
      const assets = fs.readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
      expect(assets).toHaveLength(1);
      const dir = path.join(assembly.directory, assets[0]!);
      expect(fs.readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      const code = fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//); // the SDK is bundled, not imported from the runtime
      expect(code).toContain('NumberValue'); // ...namely @aws-sdk/util-dynamodb's marshall
      expect(code.split('\n').length).toBeLessThan(10); // minified
      const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.mjs.map'), 'utf8')) as { sourcesContent?: unknown };
      expect(map.sourcesContent).toBeUndefined();
    } finally {
      removeOutdir(bundleApp);
    }
  });
});

describe('ServiceTable and IdempotencyTable', () => {
  it('LBP-STATE-EXTERNAL: on-demand, point-in-time recovery, AWS-managed encryption, stream and TTL as given, retained', () => {
    const table = resourceOf(ex.orders.table);
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: false }],
    });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('key types and stream views map to DynamoDB\'s; no stream unless asked', () => {
    const stack = scratchStack('Tables');
    const table = new ServiceTable(stack, 'Table', {
      partitionKey: { name: 'n', type: 'number' }, sortKey: { name: 'b', type: 'binary' }, stream: 'keysOnly',
      deletionProtection: true,
    });
    const plain = new ServiceTable(stack, 'Plain', { partitionKey: { name: 'pk', type: 'string' } });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }, { AttributeName: 'b', AttributeType: 'B' }],
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })],
    });
    expect(table.stream).toBe('keysOnly');
    expect(plain.stream).toBeUndefined();
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      StreamSpecification: Match.absent(),
      TimeToLiveSpecification: Match.absent(),
    });
  });

  it('LBP-IDEMPOTENCY: the idempotency table has the Powertools schema, TTL on the expiry, PITR, and is not retained', () => {
    const table = resourceOf(ex.idempotency.table);
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE_SCHEMA.partitionKey, AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    expect(table.Properties.Replicas).toEqual([expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })]);
    expect(table.DeletionPolicy).toBe('Delete');
    expect(ex.idempotency).toBeInstanceOf(IdempotencyTable);
  });
});

describe('ServiceBucket', () => {
  it('block public access, TLS only, S3-managed encryption, no ACLs, versioning, retained', () => {
    const bucket = resourceOf(ex.catalog.bucket);
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(ex.catalog.bucket),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]) },
    });
  });

  it('server access logs go to a private log bucket (AwsSolutions-S1) that S3 logging writes through a bucket policy, kept 90 days', () => {
    const logs = ex.catalog.accessLogsBucket;
    expect(resourceOf(ex.catalog.bucket).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: ref(logs), LogFilePrefix: 'Orders/Catalog/',
    });
    const logBucket = resourceOf(logs);
    expect(logBucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
    });
    expect(logBucket.Properties.AccessControl).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(logs),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': arnOf(ex.catalog.bucket) } }),
      })]) },
    });
  });

  it('a shared log bucket can be given instead', () => {
    const stack = scratchStack('SharedLogs');
    const first = new ServiceBucket(stack, 'First');
    const second = new ServiceBucket(stack, 'Second', { accessLogsBucket: first.accessLogsBucket });
    expect(second.accessLogsBucket).toBe(first.accessLogsBucket);
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 3);
  });

  it('LBP-SEC-LEAST-PRIVILEGE: grantRead and grantWrite name their actions one by one', () => {
    const objects = { 'Fn::Join': ['', [arnOf(ex.catalog.bucket), '/*']] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(ex.createOrder.role)],
      PolicyDocument: { Statement: Match.arrayWith([
        { Action: 's3:GetObject', Effect: 'Allow', Resource: objects },
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: arnOf(ex.catalog.bucket) },
      ]) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(ex.nightlyReport.role)],
      PolicyDocument: { Statement: Match.arrayWith([
        { Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Effect: 'Allow', Resource: objects },
      ]) },
    });
  });
});

describe('ServiceQueue', () => {
  it('LBP-ERR-SQS-DLQ: RedrivePolicy with maxReceiveCount to a dead-letter queue that keeps 14 days and has no redrive of its own', () => {
    expect(resourceOf(ex.fulfilment.queue).Properties).toMatchObject({
      VisibilityTimeout: 60,
      MessageRetentionPeriod: 4 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: arnOf(ex.fulfilment.deadLetterQueue!), maxReceiveCount: 5 },
    });
    const dlq = resourceOf(ex.fulfilment.deadLetterQueue!).Properties;
    expect(dlq.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(dlq.RedrivePolicy).toBeUndefined();
  });

  it('LBP-ERR-SQS-DLQ: an alarm fires on the first message in the dead-letter queue', () => {
    expect(resourceOf(ex.fulfilment.deadLetterAlarm!).Properties).toMatchObject({
      Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Period: 60,
      Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(ex.fulfilment.deadLetterQueue!), 'QueueName'] } }],
    });
  });

  it('SSE-SQS and a TLS-only queue policy on the queue and its dead-letter queue', () => {
    for (const queue of [ex.fulfilment.queue, ex.fulfilment.deadLetterQueue!]) {
      expect(resourceOf(queue).Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue)],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: arnOf(queue),
        })]) },
      });
    }
  });

  it('FIFO: the queue and its dead-letter queue are FIFO, named *.fifo within 80 characters, content-based deduplication', () => {
    for (const queue of [ex.ledger.queue, ex.ledger.deadLetterQueue!]) {
      const props = resourceOf(queue).Properties;
      expect(props.FifoQueue).toBe(true);
      expect(props.QueueName).toMatch(/^[A-Za-z0-9_-]+\.fifo$/);
      expect((props.QueueName as string).length).toBeLessThanOrEqual(80);
    }
    expect(resourceOf(ex.ledger.queue).Properties.ContentBasedDeduplication).toBe(true);
    expect(resourceOf(ex.fulfilment.queue).Properties.FifoQueue).toBeUndefined();
    expect(resourceOf(ex.fulfilment.queue).Properties.QueueName).toBeUndefined();
  });

  it('no dead-letter queue unless asked; a queue marked as failure destination gets an alarm once', () => {
    expect(ex.notifyFailures.deadLetterQueue).toBeUndefined();
    expect(ex.notifyFailures.deadLetterAlarm).toBeUndefined();
    expect(resourceOf(ex.notifyFailures.queue).Properties.RedrivePolicy).toBeUndefined();
    const alarm = ex.notifyFailures.failureAlarm;
    ex.notifyFailures.markAsFailureDestination();
    expect(ex.notifyFailures.failureAlarm).toBe(alarm);
    expect(ex.fulfilment.failureAlarm).toBeUndefined();
  });
});

describe('ServiceTopic', () => {
  it('encrypted with the AWS-managed SNS key, TLS-only publishing', () => {
    expect(resourceOf(ex.orderEvents.topic).Properties.KmsMasterKeyId).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alias/aws/sns']],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(ex.orderEvents.topic)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]) },
    });
  });

  it('FIFO topics are named *.fifo, with content-based deduplication', () => {
    expect(resourceOf(ex.ledgerEvents.topic).Properties).toMatchObject({
      FifoTopic: true, ContentBasedDeduplication: true,
    });
    expect(resourceOf(ex.ledgerEvents.topic).Properties.TopicName).toMatch(/\.fifo$/);
  });

  it('subscribeQueue: raw message delivery and a subscription dead-letter queue that SNS may write to', () => {
    const [subscription] = ex.orderEvents.queueSubscriptions;
    expect(subscription?.queue).toBe(ex.fulfilment);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: arnOf(ex.fulfilment.queue),
      TopicArn: ref(ex.orderEvents.topic),
      RawMessageDelivery: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(subscription!.deadLetterQueue) },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(subscription!.deadLetterQueue)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': ref(ex.orderEvents.topic) } },
      })]) },
    });
    expect(resourceOf(subscription!.deadLetterQueue).Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    // A FIFO topic needs a FIFO subscription dead-letter queue.
    const [fifo] = ex.ledgerEvents.queueSubscriptions;
    expect(resourceOf(fifo!.deadLetterQueue).Properties.FifoQueue).toBe(true);
  });
});

describe('ServiceHttpApi', () => {
  it('default route throttling on the $default stage: 100 rps, burst 200', () => {
    expect(resourceOf(ex.api.stage).Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('LBP-OBSERVE: JSON access logs (requestId, ip, routeKey, status, latency) to a log group with retention', () => {
    const settings = resourceOf(ex.api.stage).Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toEqual(arnOf(ex.api.accessLogs));
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId', ip: '$context.identity.sourceIp', routeKey: '$context.routeKey',
      status: '$context.status', latency: '$context.responseLatency',
    });
    expect(format).toEqual(ACCESS_LOG_FORMAT);
    expect(resourceOf(ex.api.accessLogs).Properties).toEqual({ RetentionInDays: 30 });
  });

  it('LBP-DEPLOY-VERSIONS / LBP-ERR-SYNC: routes integrate the live alias (payload 2.0), one integration per function', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY', IntegrationUri: ref(ex.createOrder.alias), PayloadFormatVersion: '2.0',
    });
    const routes = ofType('AWS::ApiGatewayV2::Route').map((r) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['GET /orders/{id}', 'POST /orders']);
    expect(new Set(routes.map((r) => JSON.stringify(r.Target))).size).toBe(1);
  });

  it('throttle, retention and authorizer can be set; unknown methods are refused', () => {
    const stack = scratchStack('Api');
    const fn = new ServiceFunction(stack, 'Fn', functionProps());
    const api = new ServiceHttpApi(stack, 'Http', {
      throttle: { rateLimit: 5, burstLimit: 10 }, logRetention: RetentionDays.ONE_YEAR, authorizer: new HttpIamAuthorizer(),
    });
    api.addRoute('any', '/{proxy+}', fn);
    expect(() => api.addRoute('FETCH', '/x', fn)).toThrow(/unknown HTTP method "FETCH"/);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /{proxy+}', AuthorizationType: 'AWS_IAM' });
  });
});
