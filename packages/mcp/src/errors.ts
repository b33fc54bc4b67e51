/**
 * What a tool answers when it cannot do its job: a short statement of what is wrong and what to do,
 * returned as an MCP tool error (`isError: true`) so that the agent reads it and the server keeps
 * serving. Errors from the AWS SDK are sorted into the few cases a user can act on.
 *
 * @module
 */

/** A problem the tool reports to the agent: `message` says what is wrong, `fix` what to do. */
export class ToolError extends Error {
  constructor(readonly code: ToolErrorCode, message: string, readonly fix: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ToolError';
  }

  /** `[CODE] message Fix: fix` */
  toText(): string {
    return `[${this.code}] ${this.message} Fix: ${this.fix}`;
  }
}

export type ToolErrorCode =
  | 'NO_CREDENTIALS' | 'NO_REGION' | 'ACCESS_DENIED' | 'STACK_NOT_DEPLOYED' | 'REGION_UNREACHABLE' | 'THROTTLED'
  | 'TIMEOUT' | 'UNKNOWN_SERVICE' | 'SPEC_ERRORS' | 'NOT_FOUND' | 'AWS_ERROR' | 'INTERNAL';

interface SdkErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $fault?: string;
  readonly $retryable?: { readonly throttling?: boolean };
}

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException',
]);
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sorts an error thrown by an AWS call into a {@link ToolError}. `where` names the stack or call
 * ("stack dev-orders in eu-west-1"), `stackName` turns CloudFormation's "does not exist" into
 * STACK_NOT_DEPLOYED.
 */
export function fromAwsError(error: unknown, context: { where: string; stackName?: string; stage?: string; region?: string }): ToolError {
  if (error instanceof ToolError) return error;
  const e = (error ?? {}) as SdkErrorLike;
  const name = e.name ?? '';
  const message = e.message ?? String(error);
  const region = context.region ?? 'the configured region';
  const options = { cause: error };

  if (name === 'CredentialsProviderError' || /could not load credentials|credential.*(missing|not found)|unable to locate credentials/i.test(message)) {
    return new ToolError('NO_CREDENTIALS', `No AWS credentials were found for ${context.where} (${message}).`,
      'Give the MCP server credentials: set AWS_PROFILE (after `aws sso login --profile <name>`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, plus AWS_REGION, in the `env` of its entry in .kiro/settings/mcp.json or in the environment that starts it; then call the tool again. For the local cloud, call it with target "local".', options);
  }
  if (/region is missing/i.test(message)) {
    return new ToolError('NO_REGION', `No AWS region is configured for ${context.where}.`,
      'Set AWS_REGION (or a region in your AWS profile) in the environment of the MCP server, then call again.', options);
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken' || /security token included in the request is (expired|invalid)|token has expired/i.test(message)) {
    return new ToolError('NO_CREDENTIALS', `The AWS credentials for ${context.where} have expired or are invalid (${message}).`,
      'Refresh them (`aws sso login`, or new access keys), then call again.', options);
  }
  if (context.stackName && name === 'ValidationError' && /does not exist/i.test(message)) {
    return new ToolError('STACK_NOT_DEPLOYED', `Stack ${context.stackName} is not deployed in ${region}.`,
      `Deploy it with \`STAGE=${context.stage ?? 'dev'} npm run deploy\`, or check the stage (the stack name is <stage>-<service>) and the region/account of your credentials.`, options);
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || /not authorized to perform/i.test(message)) {
    const action = /perform: ([\w:]+)/.exec(message)?.[1];
    return new ToolError('ACCESS_DENIED', `AWS refused ${action ? `\`${action}\`` : 'a read call'} for ${context.where}: ${message}`,
      'Use credentials with read access (for example the ReadOnlyAccess managed policy, or a policy allowing cloudformation:Describe*/Get*/List*, lambda:Get*/List*, sqs:GetQueueAttributes, cloudwatch:DescribeAlarms, codedeploy:Get*/List*).', options);
  }
  if (THROTTLING.has(name) || e.$retryable?.throttling === true || e.$metadata?.httpStatusCode === 429) {
    return new ToolError('THROTTLED', `AWS throttled the read calls for ${context.where}, even after retries.`,
      'Wait a few seconds and call again; ask for one service at a time if it keeps happening.', options);
  }
  if (name === 'AbortError' || name === 'TimeoutError' || /timed? ?out|aborted/i.test(message)) {
    return new ToolError('TIMEOUT', `AWS did not answer in time for ${context.where} (${message}).`,
      `Check the network and that ${region} is the right region, then call again.`, options);
  }
  if (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(name) || /getaddrinfo|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|socket hang up/i.test(message)) {
    return new ToolError('REGION_UNREACHABLE', `The AWS endpoint for ${region} cannot be reached from this machine (${message}).`,
      'Check the network (proxy, VPN), and that AWS_REGION names a real region; then call again.', options);
  }
  return new ToolError('AWS_ERROR', `AWS answered ${name || 'an error'} for ${context.where}: ${message}`,
    'Read the message above; if it names a missing permission or resource, fix that and call again.', options);
}
