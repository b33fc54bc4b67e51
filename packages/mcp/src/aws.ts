/**
 * The AWS side of the MCP server: the clients it may use and the only SDK commands it imports.
 * Every command here is a Describe, Get or List call (packages/mcp/test/read-only.test.ts fails on any other
 * import), so the server cannot change anything in an account, whatever an agent asks of it.
 *
 * Each call has a deadline: the clients time out connections and requests, retry a throttled call
 * a few times (the SDK's standard retry), and every call of one tool run shares an AbortSignal.
 *
 * @module
 */
import {
  CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import type { StackEvent, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand, GetEventSourceMappingCommand, GetFunctionConfigurationCommand, LambdaClient, ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import type { AliasConfiguration, FunctionConfiguration, GetEventSourceMappingCommandOutput } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QueueAttributeName } from '@aws-sdk/client-sqs';

/** Timeouts of one AWS call and of one tool run. */
export const AWS_TIMEOUTS = {
  connectionMs: 3_000,
  requestMs: 10_000,
  /** All the calls of one tool run together. */
  toolMs: 30_000,
  /** Attempts per call (the SDK retries throttling and transient errors with back-off). */
  maxAttempts: 3,
} as const;

export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly lambda: LambdaClient;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly codeDeploy: CodeDeployClient;
}

/** Clients for the region and credentials of the server's environment (AWS_REGION, AWS_PROFILE, ...). */
export function createAwsClients(region?: string): AwsClients {
  const config = {
    ...(region ? { region } : {}),
    maxAttempts: AWS_TIMEOUTS.maxAttempts,
    requestHandler: { connectionTimeout: AWS_TIMEOUTS.connectionMs, requestTimeout: AWS_TIMEOUTS.requestMs },
  };
  return {
    cloudFormation: new CloudFormationClient(config),
    lambda: new LambdaClient(config),
    sqs: new SQSClient(config),
    cloudWatch: new CloudWatchClient(config),
    codeDeploy: new CodeDeployClient(config),
  };
}

/** Read-only queries over {@link AwsClients}, each bound to the tool run's AbortSignal. */
export class AwsReader {
  constructor(private readonly clients: AwsClients, private readonly signal: AbortSignal) {}

  private get opts() {
    return { abortSignal: this.signal };
  }

  /**
   * Settles with `call`, or rejects with a TimeoutError when the tool run's deadline passes first
   * (the SDK honours the abort signal for requests, but a credential provider may not).
   */
  private call<T>(call: Promise<T>): Promise<T> {
    const { signal } = this;
    if (signal.aborted) return Promise.reject(deadlineError(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(deadlineError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      Promise.resolve(call).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async region(): Promise<string | undefined> {
    try {
      return await this.clients.cloudFormation.config.region();
    } catch {
      return undefined;
    }
  }

  async stack(stackName: string) {
    const { Stacks } = await this.call(this.clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }), this.opts));
    return Stacks?.[0];
  }

  /** The template as deployed (original form), parsed by the caller. */
  async template(stackName: string): Promise<string | undefined> {
    const { TemplateBody } = await this.call(this.clients.cloudFormation.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }), this.opts));
    return TemplateBody;
  }

  async stackResources(stackName: string): Promise<StackResourceSummary[]> {
    const all: StackResourceSummary[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.call(this.clients.cloudFormation.send(new ListStackResourcesCommand({ StackName: stackName, NextToken }), this.opts));
      all.push(...(page.StackResourceSummaries ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return all;
  }

  /** The newest stack events (one page, newest first). */
  async stackEvents(stackName: string): Promise<StackEvent[]> {
    const { StackEvents } = await this.call(this.clients.cloudFormation.send(new DescribeStackEventsCommand({ StackName: stackName }), this.opts));
    return StackEvents ?? [];
  }

  async functionConfiguration(functionName: string): Promise<FunctionConfiguration> {
    return this.call(this.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }), this.opts));
  }

  async versions(functionName: string): Promise<string[]> {
    const versions: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await this.call(this.clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker }), this.opts));
      for (const v of page.Versions ?? []) if (v.Version && v.Version !== '$LATEST') versions.push(v.Version);
      Marker = page.NextMarker;
    } while (Marker);
    return versions;
  }

  /** The alias, or undefined when it does not exist. */
  async alias(functionName: string, name: string): Promise<AliasConfiguration | undefined> {
    try {
      return await this.call(this.clients.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: name }), this.opts));
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async eventSourceMapping(uuid: string): Promise<GetEventSourceMappingCommandOutput> {
    return this.call(this.clients.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }), this.opts));
  }

  async queueDepth(queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const { Attributes } = await this.call(this.clients.sqs.send(new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }), this.opts));
    const n = (key: QueueAttributeName) => Number(Attributes?.[key] ?? 0);
    return { visible: n('ApproximateNumberOfMessages'), inFlight: n('ApproximateNumberOfMessagesNotVisible'), delayed: n('ApproximateNumberOfMessagesDelayed') };
  }

  /** Alarms among `names` (up to 100) that are in ALARM. */
  async alarmsInAlarm(names: readonly string[]): Promise<MetricAlarm[]> {
    if (names.length === 0) return [];
    const found: MetricAlarm[] = [];
    for (let i = 0; i < names.length; i += 100) {
      const { MetricAlarms } = await this.call(this.clients.cloudWatch.send(new DescribeAlarmsCommand({
        AlarmNames: names.slice(i, i + 100), StateValue: 'ALARM',
      }), this.opts));
      found.push(...(MetricAlarms ?? []));
    }
    return found;
  }

  /** The deployment of a CodeDeploy group that has not finished, if any. */
  async activeDeployment(applicationName: string, deploymentGroupName: string): Promise<DeploymentInfo | undefined> {
    const { deployments } = await this.call(this.clients.codeDeploy.send(new ListDeploymentsCommand({
      applicationName, deploymentGroupName, includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    }), this.opts));
    const id = deployments?.[0];
    if (id === undefined) return undefined;
    const { deploymentInfo } = await this.call(this.clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }), this.opts));
    return deploymentInfo;
  }
}

function deadlineError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return reason;
  return Object.assign(new Error('The AWS calls did not finish before the deadline (timed out).'), { name: 'TimeoutError' });
}
