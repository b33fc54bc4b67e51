/**
 * cdk-nag (AwsSolutions and Serverless packs, 3.x: validation plugins) over a stack that uses every
 * construct: no unacknowledged finding, every acknowledgement narrow and explained, also through the
 * app-level plugin registration that `cdk synth` runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ServiceBucket, ServiceFunction, ServiceQueue, ServiceTopic } from '../src/index.js';
import { buildExampleStack, functionProps, removeOutdir, testApp, type ExampleStack } from './support.js';

// aws-cdk-lib's built-in CloudFormation validation stays off here (it adds 4-7 s to a synth); the one finding it
// has on these constructs (W3694, the SNS endpoint being an alias) is acknowledged in ServiceFunction.subscribeTo.
const app = testApp();
let ex: ExampleStack;

beforeAll(() => {
  ex = buildExampleStack(app);
});
afterAll(() => removeOutdir(app));

/**
 * The Serverless rules that flag a function left at the platform defaults: no active tracing
 * (LBP-OBSERVE), default memory and default timeout (LBP-CONFIG-EXPLICIT). ServiceFunction sets all
 * three and acknowledges none of them.
 */
const DEFAULTS_RULES = ['Serverless-LambdaDefaultMemorySize', 'Serverless-LambdaDefaultTimeout', 'Serverless-LambdaTracing'] as const;
const isDefaultsFinding = (finding: string): boolean => DEFAULTS_RULES.some((rule) => finding.startsWith(`${rule}:`));

/** `ruleName: path, path` per violation, for readable failures. */
function findings(pack: AwsSolutionsChecks | ServerlessChecks, scope: IConstruct): string[] {
  const report = pack.validateScope(scope);
  return report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}

/** Every acknowledgement recorded in the tree under `scope`: rule ID, where, and the reason. */
function acknowledgements(scope: IConstruct): { id: string; path: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>)
      .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), path: c.node.path, reason }))));
}

describe('cdk-nag over every construct', () => {
  it('AwsSolutionsChecks finds no unacknowledged violation', () => {
    expect(findings(new AwsSolutionsChecks(), ex.stack)).toEqual([]);
  });

  it('ServerlessChecks finds no unacknowledged violation', () => {
    expect(findings(new ServerlessChecks(), ex.stack)).toEqual([]);
    // Tracing, memory and timeout are set by the constructs, never acknowledged.
    expect(acknowledgements(ex.stack).filter((a) => DEFAULTS_RULES.some((rule) => a.id.startsWith(rule)))).toEqual([]);
  });

  it('every acknowledgement sits on a resource of a construct (never the stack or app) and gives a reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.path.split('/').length, ack.path).toBeGreaterThanOrEqual(3);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(80);
    }
    // The set of rules acknowledged, reviewed: a new one must be added here on purpose.
    expect([...new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
      'CloudFormation-Validate::W3694',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-LambdaLatestVersion',
      'Serverless-SQSRedrivePolicy',
    ]);
    // IAM findings are acknowledged finding by finding, never the rule as a whole.
    for (const ack of acks.filter((a) => /IAM[45]/.test(a.id))) expect(ack.id, ack.path).toMatch(/\[.+\]$/);
  });

  it('registered on the app (Validations.of(app).addPlugins, as infra/app.ts does), the packs let synth pass', () => {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    // A pack that finds a violation of severity error makes synth throw and writes the report.
    expect(() => app.synth()).not.toThrow();
    const reportFile = path.join(app.outdir, 'validation-report.json');
    const reports = fs.existsSync(reportFile)
      ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { pluginReports: { pluginName: string; violations: unknown[] }[] }).pluginReports
      : [];
    expect(reports.filter((r) => r.violations.length > 0).map((r) => r.pluginName)).toEqual([]);
  });
});

describe('acknowledgements stay narrow', () => {
  it('what the constructs do not vouch for is still reported: a wildcard grant, a consumed queue without DLQ, an async function without OnFailure', () => {
    const careless = testApp();
    onTestFinished(() => removeOutdir(careless));
    const stack = new Stack(careless, 'Careless');
    const bucket = new ServiceBucket(stack, 'Bucket');
    const queue = new ServiceQueue(stack, 'Queue', { fifo: false, visibilityTimeoutSeconds: 60 });
    const topic = new ServiceTopic(stack, 'Topic', { fifo: false });
    const consumer = new ServiceFunction(stack, 'Consumer', functionProps({ runtime: 'nodejs24.x' }));
    consumer.consumeQueue(queue, { batchSize: 10, batchingWindowSeconds: 0, reportBatchItemFailures: true });
    bucket.bucket.grantRead(consumer.function); // the broad aws-cdk-lib grant, not ServiceBucket.grantRead
    const subscriber = new ServiceFunction(stack, 'Subscriber', functionProps({
      runtime: 'nodejs24.x', async: { maxRetries: 2, maxEventAgeSeconds: 3600 },
    }));
    subscriber.subscribeTo(topic);

    const aws = findings(new AwsSolutionsChecks(), stack);
    expect(aws).toEqual(expect.arrayContaining([
      'AwsSolutions-SQS3: Careless/Queue/Queue/Resource',
      expect.stringMatching(/^AwsSolutions-IAM5\[Action::s3:GetObject\*\]: Careless\/Consumer\/Role\/DefaultPolicy/),
    ]));
    expect(aws.filter((f) => f.startsWith('AwsSolutions-IAM5[Resource::*]'))).toEqual([]); // X-Ray stays acknowledged
    const serverless = findings(new ServerlessChecks(), stack);
    expect(serverless).toEqual(expect.arrayContaining([
      'Serverless-SQSRedrivePolicy: Careless/Queue/Queue/Resource',
      expect.stringMatching(/^Serverless-LambdaEventSourceMappingDestination: Careless\/Consumer\/LiveAlias\//),
      expect.stringMatching(/^Serverless-LambdaAsyncFailureDestination: Careless\/Subscriber\/LiveAlias\//),
      'Serverless-LambdaDLQ: Careless/Subscriber/Function/Resource',
    ]));
    expect(serverless.filter((f) => f.startsWith('Serverless-LambdaLatestVersion'))).toEqual([]);
  });

  it('a bare lambda.Function is reported for default memory, default timeout and no active tracing; a ServiceFunction beside it is not', () => {
    const bare = testApp();
    onTestFinished(() => removeOutdir(bare));
    const stack = new Stack(bare, 'Bare');
    new LambdaFunction(stack, 'Plain', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {};'),
    });
    const service = new ServiceFunction(stack, 'Service', functionProps({ runtime: 'nodejs24.x' }));

    expect(findings(new ServerlessChecks(), stack).filter(isDefaultsFinding).sort()).toEqual([
      'Serverless-LambdaDefaultMemorySize: Bare/Plain/Resource',
      'Serverless-LambdaDefaultTimeout: Bare/Plain/Resource',
      'Serverless-LambdaTracing: Bare/Plain/Resource',
    ]);
    // Not hidden by an acknowledgement either.
    expect(acknowledgements(service).filter((a) => DEFAULTS_RULES.some((rule) => a.id.startsWith(rule)))).toEqual([]);
  });
});
