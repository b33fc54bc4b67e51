/**
 * A Lambda function with the practices built in: explicit memory and timeout
 * (LBP-CONFIG-EXPLICIT), a small ESM bundle (LBP-PACKAGE-SMALL), JSON logs with retention and
 * active tracing (LBP-OBSERVE), an immutable version behind the alias `live` that every trigger
 * targets (LBP-DEPLOY-VERSIONS), gradual deployment with rollback on errors (LBP-DEPLOY-CANARY),
 * provisioned concurrency on the alias (LBP-PROVISIONED-CONCURRENCY), and the error handling of
 * each invocation type (LBP-ERR-*).
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaDeploymentConfig, LambdaDeploymentGroup, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Alias, Architecture, type CfnFunction, EventSourceMapping, FilterCriteria, LoggingFormat, Runtime,
  StartingPosition, type IDestination, type IEventSource, type IEventSourceDlq,
} from 'aws-cdk-lib/aws-lambda';
import { SnsDestination, SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  DynamoEventSource, SnsDlq, SqsDlq, SqsEventSource,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Subscription, SubscriptionProtocol } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { DEPLOYMENT_TYPES } from '@kiro-serverless/model/constants';
import type { ServiceTable } from './data.js';
import type { ServiceFileSystem } from './file-system.js';
import type { ServiceVpc } from './network.js';
import { DeadLetterQueue, freeChildId } from './dead-letter.js';
import { ServiceQueue, type ServiceTopic } from './messaging.js';
import { NagRule, acknowledge, acknowledgeAll } from './nag.js';

export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];
export type LambdaRuntime = 'nodejs22.x' | 'nodejs24.x';
export type LambdaArchitecture = 'arm64' | 'x86_64';

/** The ID of the warning `consumeQueue` gives when the queue's visibility timeout is under 6x the function's timeout. */
export const VISIBILITY_TIMEOUT_WARNING = 'ServiceFunction-VisibilityTimeout';

/** The name of the alias that every trigger invokes. */
export const LIVE_ALIAS = 'live';

/** Settings of asynchronous invocations (SNS, EventBridge, `Invoke` with `Event`). */
export interface AsyncInvokeOptions {
  /** Retries of a failed invocation, 0-2 (Lambda's default is 2). */
  readonly maxRetries: number;
  /** The oldest an event may be and still be attempted, 60-21600 seconds. */
  readonly maxEventAgeSeconds: number;
  /**
   * Where Lambda sends an event whose retries or age ran out (LBP-ERR-ASYNC-DESTINATION). The
   * record carries the event, the error and the response context.
   *
   * @default - none: such events are dropped, and cdk-nag (Serverless-LambdaAsyncFailureDestination) flags it
   */
  readonly onFailure?: ServiceQueue | ServiceTopic;
}

export interface ServiceFunctionProps {
  /** The entry file, relative to `projectRoot`, e.g. `src/generated/orders/create-order.ts`. It must export `handler`. */
  readonly entry: string;
  /**
   * Description of the function.
   *
   * @default - no description
   */
  readonly description?: string;
  /** Memory in MB (128-10240); CPU is allotted in proportion (LBP-CONFIG-EXPLICIT). */
  readonly memoryMb: number;
  /** Timeout in seconds (1-900) (LBP-CONFIG-EXPLICIT). */
  readonly timeoutSeconds: number;
  /** Instruction set. */
  readonly architecture: LambdaArchitecture;
  /** Node.js runtime; the bundle targets the same Node.js version. */
  readonly runtime: LambdaRuntime;
  /**
   * Environment variables (LBP-CONFIG-ENV). Values may be CDK tokens (table names, ARNs).
   * `NODE_OPTIONS=--enable-source-maps` is added unless this sets `NODE_OPTIONS` itself.
   */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Concurrency reserved for (and capped at) this function.
   *
   * @default - no reservation: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
  /**
   * Execution environments kept initialised on the `live` alias (LBP-PROVISIONED-CONCURRENCY).
   *
   * @default - none (environments start on demand, with a cold start)
   */
  readonly provisionedConcurrency?: number;
  /**
   * How a new version takes traffic. `allAtOnce` moves the alias at once; every other value
   * creates a CodeDeploy deployment group with that predefined configuration, an alarm on the
   * alias' errors, and automatic rollback (LBP-DEPLOY-CANARY).
   */
  readonly deployment: DeploymentType;
  /**
   * For a function Lambda invokes asynchronously: retries, event age and OnFailure destination,
   * set on the `live` alias (an EventInvokeConfig). Required by `subscribeTo` and `runOnSchedule`.
   *
   * @default - no asynchronous invoke configuration (for functions invoked synchronously or by a poller)
   */
  readonly async?: AsyncInvokeOptions;
  /**
   * How long the function's log group keeps logs.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * The project root: `entry`, `package-lock.json` and `tsconfig.json` are resolved from it, and
   * it is the root esbuild bundles from.
   *
   * @default process.cwd()
   */
  readonly projectRoot?: string;
  /**
   * What happens to the log group when the function leaves the stack.
   *
   * @default RemovalPolicy.RETAIN (logs outlive the function, for as long as `logRetention` says)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Runs the function in this VPC's isolated subnets, with a security group of its own that allows
   * no outbound traffic until a grant opens it (`ServiceDatabase.grantConnect`, a `fileSystem`,
   * `ServiceVpc.allowAwsApis`). Needed to connect to a database (LBP-RDS-PROXY) or mount a file
   * system (LBP-EFS-ASSETS).
   *
   * @default - not in a VPC
   */
  readonly vpc?: ServiceVpc;
  /**
   * A file system mounted at its mount path through its access point (LBP-EFS-ASSETS); needs `vpc`.
   * Lambda mounts one file system per function.
   *
   * @default - none
   */
  readonly fileSystem?: { readonly fileSystem: ServiceFileSystem; readonly access: 'read' | 'readWrite' };
}

/** Options of `consumeStream` (a DynamoDB stream event source mapping). */
export interface StreamConsumerOptions {
  /** Where a new mapping starts reading: the oldest record (`trimHorizon`) or new records only (`latest`). */
  readonly startingPosition: 'trimHorizon' | 'latest';
  /** Records per invocation, 1-10000. */
  readonly batchSize: number;
  /** How long Lambda gathers records before invoking, 0-300 seconds. */
  readonly batchingWindowSeconds: number;
  /** Split a failing batch in two and retry each half, to isolate a poison record (LBP-ERR-STREAM-BISECT). */
  readonly bisectOnError: boolean;
  /** Retries of a failing batch, 0-10000 (LBP-ERR-STREAM-RETRIES); -1 means until the record expires. */
  readonly maxRetries: number;
  /** The oldest record still sent to the function, 60-604800 seconds (LBP-ERR-STREAM-RETRIES); -1 means no limit. */
  readonly maxRecordAgeSeconds: number;
  /** Concurrent batches per shard, 1-10. */
  readonly parallelization: number;
  /** The handler returns `batchItemFailures` so Lambda checkpoints at the first failure (LBP-ERR-STREAM-CHECKPOINT). */
  readonly reportBatchItemFailures: boolean;
  /**
   * A DynamoDB stream event filter pattern (JSON form, arrays of allowed values), e.g.
   * `{ eventName: ['INSERT'] }`. Records that do not match are dropped before invoking.
   *
   * @default - every record
   */
  readonly filter?: Record<string, unknown>;
  /**
   * Where Lambda sends the description of a batch whose retries or age ran out
   * (LBP-ERR-STREAM-ONFAILURE).
   *
   * @default - none: such batches are skipped silently, and cdk-nag flags it
   */
  readonly onFailure?: ServiceQueue | ServiceTopic;
}

/** Options of `consumeQueue` (an SQS event source mapping). */
export interface QueueConsumerOptions {
  /** Messages per invocation, 1-10000 (at most 10 for FIFO). */
  readonly batchSize: number;
  /** How long Lambda gathers messages before invoking, 0-300 seconds (0 for FIFO). */
  readonly batchingWindowSeconds: number;
  /**
   * The most concurrent invocations this mapping makes, 2-1000.
   *
   * @default - no limit but the function's and the account's
   */
  readonly maxConcurrency?: number;
  /** The handler returns `batchItemFailures` so only failed messages return to the queue (LBP-ERR-SQS-PARTIAL). */
  readonly reportBatchItemFailures: boolean;
}

const DEPLOYMENT_CONFIGS: Readonly<Record<Exclude<DeploymentType, 'allAtOnce'>, ILambdaDeploymentConfig>> = {
  canary10Percent5Minutes: LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  canary10Percent10Minutes: LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
  canary10Percent15Minutes: LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  canary10Percent30Minutes: LambdaDeploymentConfig.CANARY_10PERCENT_30MINUTES,
  linear10PercentEvery1Minute: LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  linear10PercentEvery2Minutes: LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES,
  linear10PercentEvery3Minutes: LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
  linear10PercentEvery10Minutes: LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_10MINUTES,
};

const RUNTIMES: Readonly<Record<LambdaRuntime, { runtime: Runtime; esbuildTarget: string }>> = {
  'nodejs22.x': { runtime: Runtime.NODEJS_22_X, esbuildTarget: 'node22' },
  'nodejs24.x': { runtime: Runtime.NODEJS_24_X, esbuildTarget: 'node24' },
};

/**
 * ESM bundles have no `require`; a CommonJS dependency bundled into one still calls it for Node
 * built-ins. This defines it from `import.meta.url` (the shim esbuild documents for this case).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * The esbuild options every ServiceFunction is bundled with (LBP-PACKAGE-SMALL): minified ESM with
 * source maps, module-first resolution, the AWS SDK bundled, targeting the runtime's Node.js.
 * Exported so that the benchmarks (packages/bench) and the bundle-size budget test build exactly this.
 */
export function functionBundling(runtime: LambdaRuntime, projectRoot: string): BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    format: OutputFormat.ESM,
    banner: ESM_REQUIRE_BANNER,
    target: RUNTIMES[runtime].esbuildTarget,
    // Bundle the AWS SDK instead of using the runtime's copy: the project pins its SDK versions.
    externalModules: [],
    bundleAwsSDK: true,
    forceDockerBundling: false,
    tsconfig: path.join(projectRoot, 'tsconfig.json'),
  };
}

/** The latest Node.js runtime this aws-cdk-lib knows, as cdk-nag's "latest runtime" rules compute it. */
function latestNodeRuntime(): string {
  const versions = Runtime.ALL.map((r) => r.name)
    .filter((name) => /^nodejs\d+/.test(name))
    .map((name) => ({ name, major: Number(/^nodejs(\d+)/.exec(name)?.[1]) }));
  return versions.reduce((a, b) => (b.major > a.major ? b : a)).name;
}

/**
 * A Node.js Lambda function (NodejsFunction, bundled locally by esbuild) behind the alias `live`.
 *
 * Triggers are added with `consumeStream`, `consumeQueue`, `subscribeTo` and `runOnSchedule`, and
 * APIs route to `alias` (see `ServiceHttpApi.addRoute`): everything invokes the alias, never the
 * unqualified function, so a deployment moves all traffic together and can be rolled back.
 *
 * Permissions: the function gets its own role with only the rights to write its log group and
 * send traces (no AWS-managed policy). The trigger methods grant what their trigger needs; the
 * caller grants the resources the function uses (`table.table.grantReadData(fn.function)`,
 * `topic.topic.grantPublish(fn.function)`, `queue.queue.grantSendMessages(fn.function)`, and
 * `bucket.grantRead(fn)` / `bucket.grantWrite(fn)` for buckets, narrower than aws-cdk-lib's).
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  /** The alias `live`, pointing at the version published by this deploy. */
  readonly alias: Alias;
  readonly logGroup: LogGroup;
  /** Present unless `deployment` is `allAtOnce`. */
  readonly deploymentGroup?: LambdaDeploymentGroup;
  /** Errors of the alias >= 1 in a minute; present unless `deployment` is `allAtOnce`. It rolls a deployment back. */
  readonly errorsAlarm?: Alarm;
  /** The execution role. */
  readonly role: Role;
  /** The esbuild options the function is bundled with. */
  readonly bundling: BundlingOptions;
  /** The VPC it runs in, if any. */
  readonly vpc?: ServiceVpc;
  /** Its security group, when it runs in a VPC (no outbound traffic but what grants open). */
  readonly securityGroup?: SecurityGroup;
  private readonly props: ServiceFunctionProps;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.props = props;
    const projectRoot = path.resolve(props.projectRoot ?? process.cwd());
    const { runtime } = RUNTIMES[props.runtime];

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Own role: write to this log group only, instead of AWSLambdaBasicExecutionRole (log writes to every group).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);
    // X-Ray's write actions accept no resource but '*'. They live in a policy of their own so that the
    // acknowledgement below covers them and nothing else (the default policy gets the resource grants).
    const tracingPolicy = new Policy(this, 'TracingPolicy', {
      roles: [this.role],
      statements: [new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    acknowledge(tracingPolicy, `${NagRule.wildcard}[Resource::*]`,
      'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions: "*" is the only ' +
      'resource they accept. This policy holds only those two actions, for active tracing (LBP-OBSERVE).');

    this.bundling = functionBundling(props.runtime, projectRoot);

    if (props.fileSystem && !props.vpc) {
      throw new Error(`${this.node.path}: mounting ${props.fileSystem.fileSystem.node.path} needs \`vpc\` (its VPC) (LBP-EFS-ASSETS).`);
    }
    let networkPolicy: Policy | undefined;
    if (props.vpc) {
      this.vpc = props.vpc;
      this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc.vpc, allowAllOutbound: false, description: `Function ${this.node.path}: outbound only where granted`,
      });
      // What Lambda needs to attach the function to the VPC (the actions of AWSLambdaVPCAccessExecutionRole).
      networkPolicy = new Policy(this, 'NetworkPolicy', {
        roles: [this.role],
        statements: [new PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        })],
      });
      acknowledge(networkPolicy, `${NagRule.wildcard}[Resource::*]`,
        'Lambda creates, describes and deletes the network interfaces of a function in a VPC with these EC2 actions, ' +
        'which AWS documents with resource "*" (AWSLambdaVPCAccessExecutionRole); this policy holds only them.');
    }

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.resolve(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      description: props.description,
      runtime,
      architecture: props.architecture === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...(props.vpc && this.securityGroup
        ? { vpc: props.vpc.vpc, vpcSubnets: props.vpc.subnets, securityGroups: [this.securityGroup] }
        : {}),
      ...(props.fileSystem ? { filesystem: props.fileSystem.fileSystem.lambdaFileSystem(props.fileSystem.access) } : {}),
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
      bundling: this.bundling,
    });
    // Active tracing, set on the L1: the L2's `tracing` would add the X-Ray statement to the default policy.
    (this.function.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    this.function.node.addDependency(tracingPolicy);
    if (networkPolicy) this.function.node.addDependency(networkPolicy);

    this.alias = new Alias(this, 'LiveAlias', {
      aliasName: LIVE_ALIAS,
      version: this.function.currentVersion,
      provisionedConcurrentExecutions: props.provisionedConcurrency,
    });

    if (props.async) this.configureAsync(props.async);
    this.acknowledgeFunctionRules();

    if (props.deployment !== 'allAtOnce') {
      this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
        alarmDescription: `Errors of ${this.node.path} (alias ${LIVE_ALIAS}); rolls back a deployment in progress`,
        metric: this.alias.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      this.deploymentGroup = new LambdaDeploymentGroup(this, 'DeploymentGroup', {
        alias: this.alias,
        deploymentConfig: DEPLOYMENT_CONFIGS[props.deployment],
        alarms: [this.errorsAlarm],
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
      acknowledge(this.deploymentGroup.role,
        `${NagRule.managedPolicy}[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]`,
        'CodeDeploy service role with the AWS-managed AWSCodeDeployRoleForLambdaLimited policy, the policy AWS ' +
        'documents for Lambda deployments: it lets CodeDeploy read the alias and alarms and shift the alias ' +
        'between versions, and AWS keeps it current with what CodeDeploy needs.');
    }
  }

  /**
   * Consumes the stream of `table` through the alias: a DynamoEventSource with bounded retries and
   * record age, bisection, partial batch responses, an optional filter and OnFailure destination.
   */
  consumeStream(table: ServiceTable, o: StreamConsumerOptions): void {
    if (!table.stream) {
      throw new Error(`${this.node.path}: consumeStream needs a table with a stream; ${table.node.path} has none (set its \`stream\`).`);
    }
    const source = new DynamoEventSource(table.table, {
      startingPosition: o.startingPosition === 'trimHorizon' ? StartingPosition.TRIM_HORIZON : StartingPosition.LATEST,
      batchSize: o.batchSize,
      maxBatchingWindow: o.batchingWindowSeconds > 0 ? Duration.seconds(o.batchingWindowSeconds) : undefined,
      bisectBatchOnError: o.bisectOnError,
      // -1 (Lambda's "forever") is what leaving the property out means; CDK refuses it as a value.
      retryAttempts: o.maxRetries >= 0 ? o.maxRetries : undefined,
      maxRecordAge: o.maxRecordAgeSeconds >= 0 ? Duration.seconds(o.maxRecordAgeSeconds) : undefined,
      parallelizationFactor: o.parallelization,
      reportBatchItemFailures: o.reportBatchItemFailures,
      filters: o.filter ? [FilterCriteria.filter(o.filter)] : undefined,
      onFailure: o.onFailure ? this.eventSourceDlq(o.onFailure) : undefined,
    });
    this.addEventSourceToAlias(source);
  }

  /** Consumes `queue` through the alias (an SqsEventSource). */
  consumeQueue(queue: ServiceQueue, o: QueueConsumerOptions): void {
    const minimum = 6 * this.props.timeoutSeconds;
    if (queue.visibilityTimeoutSeconds < minimum) {
      Validations.of(this).addWarning(VISIBILITY_TIMEOUT_WARNING,
        `${queue.node.path} has a visibility timeout of ${queue.visibilityTimeoutSeconds} s, less than 6x the timeout ` +
        `of ${this.node.path} (${minimum} s): messages of a slow invocation are received again while it runs (LBP-ERR-SQS-DLQ).`);
    }
    const mapping = this.addEventSourceToAlias(new SqsEventSource(queue.queue, {
      batchSize: o.batchSize,
      maxBatchingWindow: o.batchingWindowSeconds > 0 ? Duration.seconds(o.batchingWindowSeconds) : undefined,
      maxConcurrency: o.maxConcurrency,
      reportBatchItemFailures: o.reportBatchItemFailures,
    }));
    if (queue.deadLetterQueue) {
      acknowledge(mapping, NagRule.mappingDestination,
        'SQS event source mappings take no OnFailure destination (Lambda supports one for stream and Kafka ' +
        'sources only). A message that keeps failing returns to the queue and, after maxReceiveCount receives, ' +
        `moves to the queue's dead-letter queue (${queue.node.path}, LBP-ERR-SQS-DLQ), which has an alarm.`);
    }
  }

  /**
   * Subscribes the alias to `topic`. SNS invokes Lambda asynchronously: retries, event age and the
   * OnFailure destination come from `props.async` (required). Deliveries SNS itself cannot make go
   * to a subscription dead-letter queue created here.
   */
  subscribeTo(topic: ServiceTopic): void {
    this.requireAsync(`subscribeTo(${topic.node.path})`);
    if (topic.fifo) {
      throw new Error(`${this.node.path}: ${topic.node.path} is a FIFO topic, and SNS FIFO topics deliver to SQS queues ` +
        'only: subscribe a FIFO queue (ServiceTopic.subscribeQueue) and consume it (consumeQueue).');
    }
    const id = freeChildId(this, `${topic.node.id}Subscription`);
    const deadLetter = new DeadLetterQueue(this, `${id}DeadLetter`, {
      fifo: false,
      of: `the subscription of ${this.node.path} to ${topic.node.path}`,
    });
    // Made here rather than with LambdaSubscription, which names the subscription after the topic's own ID
    // (`Topic` for every ServiceTopic) under the alias, so one function could not subscribe to two topics.
    const subscription = new Subscription(this, id, {
      topic: topic.topic,
      protocol: SubscriptionProtocol.LAMBDA,
      endpoint: this.alias.functionArn,
      deadLetterQueue: deadLetter.queue,
    });
    this.alias.addPermission(`${id}Invoke`, {
      principal: new ServicePrincipal('sns.amazonaws.com'),
      sourceArn: topic.topic.topicArn,
    });
    acknowledge(subscription, NagRule.lambdaEndpointIsFunction,
      'SNS accepts a qualified function ARN (here the live alias) as a lambda endpoint; the built-in ' +
      'CloudFormation check only expects an unqualified function (LBP-DEPLOY-VERSIONS: triggers target the alias).');
  }

  /**
   * Runs the alias on an EventBridge schedule: `rate(5 minutes)` or `cron(0 12 * * ? *)`. EventBridge
   * invokes Lambda asynchronously: retries, event age and the OnFailure destination come from
   * `props.async` (required). Events EventBridge cannot deliver go to a dead-letter queue created here.
   */
  runOnSchedule(expression: string): void {
    this.requireAsync(`runOnSchedule(${expression})`);
    const id = freeChildId(this, 'Schedule');
    const deadLetter = new DeadLetterQueue(this, `${id}DeadLetter`, {
      fifo: false,
      of: `the schedule ${expression} of ${this.node.path}`,
    });
    new Rule(this, id, {
      description: `${expression} -> ${this.node.path} (alias ${LIVE_ALIAS})`,
      schedule: Schedule.expression(expression),
      targets: [new LambdaTarget(this.alias, { deadLetterQueue: deadLetter.queue })],
    });
  }

  private configureAsync(o: AsyncInvokeOptions): void {
    let onFailure: IDestination | undefined;
    if (o.onFailure instanceof ServiceQueue) {
      o.onFailure.markAsFailureDestination();
      onFailure = new SqsDestination(o.onFailure.queue);
    } else if (o.onFailure) {
      onFailure = new SnsDestination(o.onFailure.topic);
    }
    this.alias.configureAsyncInvoke({
      retryAttempts: o.maxRetries,
      maxEventAge: Duration.seconds(o.maxEventAgeSeconds),
      onFailure,
    });
  }

  private eventSourceDlq(target: ServiceQueue | ServiceTopic): IEventSourceDlq {
    if (target instanceof ServiceQueue) {
      target.markAsFailureDestination();
      return new SqsDlq(target.queue);
    }
    return new SnsDlq(target.topic);
  }

  /** Adds `source` to the alias and returns the event source mapping it created. */
  private addEventSourceToAlias(source: IEventSource): EventSourceMapping {
    const before = new Set(this.alias.node.children);
    this.alias.addEventSource(source);
    const mapping = this.alias.node.children.find((c) => !before.has(c) && c instanceof EventSourceMapping);
    if (!(mapping instanceof EventSourceMapping)) throw new Error(`${this.node.path}: the event source created no mapping on the alias`);
    return mapping;
  }

  private requireAsync(call: string): void {
    if (!this.props.async) {
      throw new Error(`${this.node.path}: ${call} makes Lambda invoke the function asynchronously; set \`async\` ` +
        '(maxRetries, maxEventAgeSeconds, onFailure) in its props (LBP-ERR-ASYNC-DESTINATION).');
    }
  }

  private acknowledgeFunctionRules(): void {
    const fn = this.function;
    const onFailure = this.props.async?.onFailure;
    if (!this.props.async) {
      acknowledge(fn, NagRule.lambdaDlq,
        'A DeadLetterConfig only receives failed asynchronous invocations, and this function is not invoked ' +
        'asynchronously (no `async` settings: subscribeTo and runOnSchedule refuse it). Synchronous callers get ' +
        'the error; polled sources fail over to the mapping OnFailure destination or the queue redrive policy.');
    } else if (onFailure) {
      acknowledge(fn, NagRule.lambdaDlq,
        `Failed asynchronous invocations go to the OnFailure destination ${onFailure.node.path} (EventInvokeConfig ` +
        'on the live alias, LBP-ERR-ASYNC-DESTINATION), which supersedes a DeadLetterConfig: it also records the ' +
        'error, the response and the invocation context.');
    }
    const latest = latestNodeRuntime();
    if (this.props.runtime !== latest) {
      acknowledgeAll(fn, [NagRule.latestRuntime, NagRule.latestRuntimeServerless],
        `The runtime ${this.props.runtime} is chosen in the service spec (\`runtime\`), and is a supported Lambda ` +
        `runtime; moving to ${latest} is a spec change made after testing the function on it.`);
    }
  }
}
