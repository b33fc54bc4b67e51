/**
 * The shapes of the tools' structured answers (zod, turned into the tools' output JSON Schemas by
 * the MCP SDK; the server checks every answer against them before sending it).
 *
 * @module
 */
import { z } from 'zod';
import { INVOCATION_KINDS, ServiceModelSchema } from '@kiro-serverless/model/model';
import { TRIGGER_KINDS } from '@kiro-serverless/model/triggers';

const Str = z.string();
const Count = z.number().int().nonnegative();

// --- list_services -------------------------------------------------------------------------------

export const TriggerDescription = z.object({
  type: z.enum(TRIGGER_KINDS),
  source: Str.describe('Where the events come from, e.g. "queue fulfilment" or "POST /orders".'),
  invocation: z.enum(INVOCATION_KINDS).describe('How Lambda invokes the function: synchronously, asynchronously (Event), or by polling a stream or queue.'),
  repeats: z.boolean().describe('Whether the same event can arrive more than once (retries, redelivery), so the function must be idempotent.'),
  onError: Str.describe('What a thrown error does, with the function\'s settings.'),
  onFailure: Str.optional().describe('The queue that receives events the function failed on (its OnFailure destination).'),
});

export const ListServicesOutput = z.object({
  services: z.array(ServiceModelSchema.extend({
    stacks: z.object({ stage: Str, stackName: Str }).describe('The stack name for the default stage (STAGE, else dev).'),
    triggers: z.record(Str, TriggerDescription).describe('Per function ID: how its trigger delivers events and what a thrown error does.'),
  })),
});

// --- check_specs / get_generation_status -----------------------------------------------------------

export const FindingOutput = z.object({
  file: Str, line: z.number().int(), column: z.number().int(), severity: z.enum(['error', 'warning']), rule: Str, message: Str, fix: Str,
});

export const CheckSpecsOutput = z.object({
  ok: z.boolean().describe('True when no spec has an error finding.'),
  errors: Count,
  warnings: Count,
  specs: z.array(z.object({ file: Str, service: Str.optional(), valid: z.boolean(), findings: z.array(FindingOutput) })),
});

export const GenerationStatusOutput = z.object({
  upToDate: z.boolean(),
  specs: Count,
  files: Count.describe('Generated and scaffolded files the specs call for.'),
  pending: z.array(z.object({ path: Str, state: z.enum(['missing', 'stale', 'orphaned', 'conflict']), hint: Str })),
  abandoned: z.array(Str).describe('Files under src/handlers or test/handlers that belong to no function any more (never deleted by the generator).'),
});

// --- get_deployment_status: aws --------------------------------------------------------------------

const Depth = z.object({ visible: Count, inFlight: Count, delayed: Count });

export const AwsFunctionStatus = z.object({
  id: Str,
  functionName: Str.optional(),
  state: Str.optional().describe('Lambda State: Pending, Active, Inactive, Failed; NOT_IN_STACK when the stack has no such function.'),
  stateReason: Str.optional(),
  lastUpdateStatus: Str.optional(),
  lastUpdateStatusReason: Str.optional(),
  runtime: Str.optional(),
  memoryMb: z.number().optional(),
  timeoutSeconds: z.number().optional(),
  publishedVersions: z.array(Str),
  alias: z.object({
    name: Str,
    version: Str,
    routing: z.array(z.object({ version: Str, weight: z.number() })),
    canaryInProgress: z.boolean(),
  }).optional(),
  environment: z.record(Str, Str).describe('Values that look secret are shown as [redacted].'),
  eventSourceMappings: z.array(z.object({
    uuid: Str, source: Str.optional(), state: Str.optional(), stateTransitionReason: Str.optional(), lastProcessingResult: Str.optional(),
  })),
  deployment: z.object({ id: Str, status: Str.optional(), createTime: Str.optional(), application: Str, group: Str }).optional()
    .describe('A CodeDeploy deployment that has not finished.'),
});

export const AwsQueueStatus = z.object({
  label: Str.describe('Where the queue sits in the stack (construct path).'),
  role: z.enum(['queue', 'dead-letter', 'on-failure']),
  url: Str,
  depth: Depth.optional(),
});

export const DriftOutput = z.object({
  state: z.enum(['in-sync', 'differs', 'not-synthesized', 'synthesis-outdated']),
  templateFile: Str,
  added: z.array(Str),
  removed: z.array(Str),
  changed: z.array(Str),
  message: Str,
});

export const StackFailureEvent = z.object({
  time: Str.optional(), logicalId: Str.optional(), type: Str.optional(), status: Str.optional(), reason: Str.optional(),
});

export const AwsServiceStatus = z.object({
  service: Str,
  stage: Str,
  stackName: Str,
  region: Str.optional(),
  stack: z.object({
    status: Str,
    statusReason: Str.optional(),
    lastUpdated: Str.optional(),
    inProgress: z.boolean(),
    healthy: z.boolean().describe('CREATE_COMPLETE, UPDATE_COMPLETE or IMPORT_COMPLETE.'),
    outputs: z.record(Str, Str),
    failureReasons: z.array(StackFailureEvent).describe('For a failed or rolled-back stack: the failed events of its last operation.'),
  }),
  drift: DriftOutput,
  functions: z.array(AwsFunctionStatus),
  queues: z.array(AwsQueueStatus),
  alarmsInAlarm: z.array(z.object({ name: Str, reason: Str.optional(), since: Str.optional() })),
  problems: z.array(Str).describe('Everything above that needs attention, one line each.'),
});

// --- get_deployment_status: local ------------------------------------------------------------------

export const LocalServiceStatus = z.object({
  service: Str,
  sourceFile: Str,
  httpUrl: Str.optional(),
  resources: z.object({
    tables: z.record(Str, Str), queues: z.record(Str, z.object({ url: Str, deadLetterUrl: Str.optional() })),
    topics: z.record(Str, Str), buckets: z.record(Str, Str),
  }),
  functions: z.array(z.object({
    id: Str, environments: Count, busy: Count, inits: Count, invocations: Count, errors: Count, throttles: Count,
  })),
  mappings: z.array(z.object({
    kind: Str, fn: Str, source: Str, batches: Count, records: Count, failures: Count, retries: Count, bisects: Count, onFailure: Count, dropped: Count,
  })),
  deadLetterArrivals: z.record(Str, Count),
  queueDepths: z.record(Str, Count),
});

export const LocalStatus = z.object({
  running: z.boolean(),
  stale: z.boolean().describe('A state file whose process is gone (the local cloud did not shut down cleanly).'),
  stateFile: Str,
  pid: z.number().int().optional(),
  startedAt: Str.optional(),
  updatedAt: Str.optional(),
  timeScale: z.number().optional(),
  endpoints: z.object({ dynamoDb: Str, fauxqs: Str }).optional(),
  services: z.array(LocalServiceStatus),
  message: Str,
});

export const DeploymentStatusOutput = z.object({
  target: z.enum(['aws', 'local']),
  aws: z.array(AwsServiceStatus).optional(),
  awsErrors: z.array(z.object({ service: Str, stackName: Str, code: Str, message: Str, fix: Str })).optional()
    .describe('Services whose status could not be read (the others are in `aws`).'),
  local: LocalStatus.optional(),
});

// --- get_recent_failures ---------------------------------------------------------------------------

export const QueuedMessage = z.object({
  messageId: Str,
  sentAt: Str.optional(),
  receiveCount: z.number().int().optional(),
  body: Str.describe('Truncated, secrets redacted.'),
  attributes: z.record(Str, Str),
});

export const RecentFailuresOutput = z.object({
  target: z.enum(['aws', 'local']),
  service: Str,
  stackEvents: z.array(StackFailureEvent).describe('aws: CloudFormation events that failed, newest first.'),
  functionProblems: z.array(z.object({ fn: Str, problem: Str })),
  deadLetters: z.array(z.object({
    label: Str, role: z.enum(['dead-letter', 'on-failure']), depth: Count,
    messages: z.array(QueuedMessage).describe('local: the messages themselves. aws: empty (reading them would change them; see note).'),
  })),
  engineFailures: z.array(z.object({
    at: Str, kind: Str, fn: Str.optional(), source: Str.optional(), requestId: Str.optional(), errorType: Str.optional(), message: Str,
  })).describe('local: the last failures the local cloud saw, oldest first.'),
  alarmsInAlarm: z.array(z.object({ name: Str, reason: Str.optional(), since: Str.optional() })),
  notes: z.array(Str),
});

export type AwsServiceStatusT = z.infer<typeof AwsServiceStatus>;
export type TriggerDescriptionT = z.infer<typeof TriggerDescription>;
export type AwsFunctionStatusT = z.infer<typeof AwsFunctionStatus>;
export type AwsQueueStatusT = z.infer<typeof AwsQueueStatus>;
export type DriftOutputT = z.infer<typeof DriftOutput>;
export type LocalStatusT = z.infer<typeof LocalStatus>;
export type RecentFailuresT = z.infer<typeof RecentFailuresOutput>;
export type StackFailureEventT = z.infer<typeof StackFailureEvent>;
