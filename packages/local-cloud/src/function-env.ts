/**
 * The environment of a function in the local cloud: the variables its stack sets on AWS (the
 * contract of packages/model/src/environment.ts, with local resource names), the variables Lambda itself
 * sets, and `AWS_ENDPOINT_URL_*` pointing the SDK at the emulators. Functions read them exactly as
 * on AWS; nothing in a handler knows it runs locally.
 *
 * @module
 */
import { EnvKind, functionEnvironment } from '@kiro-serverless/model/environment';
import type { EnvVariable } from '@kiro-serverless/model/environment';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from './clients.js';
import type { LocalEndpoints } from './clients.js';
import type { LocalResources } from './provision.js';

/** What a database variable holds locally: the local cloud does not emulate RDS (see the README). */
export const NO_LOCAL_DATABASE = 'not-emulated.local.invalid';

/** The Lambda function name of `fn` in the local cloud. */
export function localFunctionName(model: Pick<ServiceModel, 'service'>, fn: Pick<FunctionModel, 'id'>): string {
  return `${model.service}-${fn.id}`;
}

export interface LocalFunctionEnvironment {
  readonly variables: Record<string, string>;
  /** Variables that have no real local value (databases), for a warning at start. */
  readonly unavailable: readonly string[];
}

/** Every variable `fn` sees locally (TMPDIR and AWS_LAMBDA_INITIALIZATION_TYPE are the host's to add). */
export function localFunctionEnvironment(
  model: ServiceModel,
  fn: FunctionModel,
  resources: LocalResources,
  endpoints: LocalEndpoints,
): LocalFunctionEnvironment {
  const functionName = localFunctionName(model, fn);
  const unavailable: string[] = [];
  const contract = Object.fromEntries(functionEnvironment(model, fn).map((variable) => {
    const value = valueOf(variable, resources);
    if (value === NO_LOCAL_DATABASE) unavailable.push(variable.name);
    return [variable.name, value];
  }));
  return {
    unavailable,
    variables: {
      // Set by Lambda for every function.
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: 'local',
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_ACCOUNT_ID: LOCAL_ACCOUNT_ID,
      TZ: ':UTC',
      // The emulators. fauxqs serves SQS, SNS and S3 on one port.
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
      AWS_ENDPOINT_URL_SQS: endpoints.fauxqs,
      AWS_ENDPOINT_URL_SNS: endpoints.fauxqs,
      AWS_ENDPOINT_URL_S3: endpoints.fauxqs,
      // Lambda runs Node.js 22 or newer; the warning about this machine's Node.js 20 is not the function's.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...contract,
    },
  };
}

function valueOf(variable: EnvVariable, resources: LocalResources): string {
  const id = variable.resource ?? '';
  const missing = (what: string): never => {
    throw new Error(`The local cloud has no ${what} ${id} for ${variable.name} (service ${resources.service}); was it provisioned?`);
  };
  switch (variable.kind) {
    case EnvKind.Table: return resources.tables[id]?.name ?? missing('table');
    case EnvKind.Bucket: return resources.buckets[id]?.name ?? missing('bucket');
    case EnvKind.Topic: return resources.topics[id]?.arn ?? missing('topic');
    case EnvKind.Queue: return resources.queues[id]?.url ?? missing('queue');
    case EnvKind.IdempotencyTable: return resources.idempotencyTable ?? missing('idempotency table');
    case EnvKind.FileSystem: return resources.fileSystems[id]?.path ?? missing('file system');
    case EnvKind.Database:
      // The name and user are plain values; the proxy endpoint does not exist locally.
      return variable.attribute === 'proxyEndpoint' ? NO_LOCAL_DATABASE : (variable.value ?? NO_LOCAL_DATABASE);
    case EnvKind.Powertools:
    case EnvKind.User:
      return variable.value ?? '';
  }
}
