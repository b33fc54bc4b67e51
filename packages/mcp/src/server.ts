/**
 * The project's MCP server (stdio): what the services are, whether their specs and generated files
 * are in order, and what is deployed and healthy, on AWS or in the local cloud. It is read-only by
 * construction (aws.ts imports Describe/Get/List commands only) and keeps serving whatever a call
 * meets: a tool that cannot answer returns `isError` with what is wrong and what to do.
 *
 * Start it with `npm run mcp`, or as .kiro/settings/mcp.json does: `node --import tsx packages/mcp/src/server.ts`
 * from the project root.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defaultStage, stackName } from '@kiro-serverless/model/naming';
import { generationStatus } from '@kiro-serverless/generate/status';
import { stateFilePath } from '@kiro-serverless/local-cloud/state';
import { checkSpecFiles, listSpecFiles, loadServiceModels, readSpecText } from '@kiro-serverless/model/check';
import { SpecError, SpecValidationError } from '@kiro-serverless/model/errors';
import { countBySeverity, formatFinding } from '@kiro-serverless/model/findings';
import type { ServiceModel } from '@kiro-serverless/model/model';
import type { AwsClients } from './aws.js';
import { AWS_TIMEOUTS, AwsReader, createAwsClients } from './aws.js';
import { awsFailures, awsServiceStatus } from './aws-status.js';
import { fromAwsError, ToolError } from './errors.js';
import { localFailures, localStatus, readLocalState } from './local-status.js';
import { IMPLEMENT_FEATURE_ARGS, implementFeatureMessages } from './prompts.js';
import { describeTrigger } from './trigger-description.js';
import {
  CheckSpecsOutput, DeploymentStatusOutput, GenerationStatusOutput, ListServicesOutput, RecentFailuresOutput,
} from './schemas.js';
import type { AwsServiceStatusT, RecentFailuresT } from './schemas.js';

export const SERVER_NAME = 'kiro-serverless-starter';

export interface McpServerOptions {
  /** The project: specs/, src/, cdk.out/. */
  readonly root: string;
  /** The local cloud's state file. @default `<root>/.local/state.json` */
  readonly localStateFile?: string;
  /** Makes the AWS clients (tests pass mocked ones). @default {@link createAwsClients} */
  readonly awsClients?: () => AwsClients;
  /** Deadline of all AWS calls of one tool run. @default AWS_TIMEOUTS.toolMs */
  readonly awsTimeoutMs?: number;
}

const Target = z.enum(['aws', 'local']).describe('"aws": the deployed stacks (credentials from the server\'s environment); "local": the local cloud of `npm run dev`.');
const ServiceName = z.string().min(1).describe('A service name from list_services (the `service:` of a spec).');
const Stage = z.string().min(1).regex(/^[A-Za-z][A-Za-z0-9-]*$/).describe('Stack name prefix (stack = <stage>-<service>). Default: the server\'s STAGE, else "dev".');
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true } as const;

export function createMcpServer(options: McpServerOptions): McpServer {
  const root = options.root;
  const stateFile = options.localStateFile ?? stateFilePath(root);
  let clients: AwsClients | undefined;
  const awsClients = (): AwsClients => (clients ??= (options.awsClients ?? createAwsClients)());
  const timeoutMs = options.awsTimeoutMs ?? AWS_TIMEOUTS.toolMs;

  const server = new McpServer(
    { name: SERVER_NAME, title: 'Kiro Serverless Starter', version: packageVersion(root) },
    {
      instructions: 'Read-only view of this serverless project: list_services (the specs as data), check_specs and get_generation_status (is the project in order), '
        + 'get_deployment_status and get_recent_failures (target "aws" for deployed stacks, "local" for `npm run dev`). Resources: spec://<service>, docs://best-practices.md. '
        + 'Prompt implement-feature walks through spec -> check -> generate -> handler -> tests -> synth.',
    },
  );

  server.registerTool('list_services', {
    title: 'List services',
    description: 'Every service of the project from its spec (defaults applied): functions with triggers and settings, tables, queues, topics, buckets, databases, file systems, the stack name, and per function how its trigger delivers events and what a thrown error does.',
    inputSchema: {},
    outputSchema: ListServicesOutput.shape,
    annotations: READ_ONLY,
  }, () => run(async () => {
    const models = await loadModels(root);
    const stage = defaultStage();
    const services = models.map((m) => ({
      ...m,
      stacks: { stage, stackName: stackName(stage, m.service) },
      triggers: Object.fromEntries(Object.entries(m.functions).map(([id, f]) => [id, describeTrigger(f.trigger)])),
    }));
    const lines = services.map((s) => `- ${s.service} (${s.sourceFile}): ${Object.entries(s.triggers).map(([id, t]) => `${id} [${t.type}: ${t.source}]`).join(', ')}`);
    return result(`${models.length} service(s):\n${lines.join('\n')}`, { services });
  }));

  server.registerTool('check_specs', {
    title: 'Check specs',
    description: 'Validates every spec under specs/ (what `npm run spec:check` does) and returns the findings as data: file, line, column, rule ID, message and fix.',
    inputSchema: {},
    outputSchema: CheckSpecsOutput.shape,
    annotations: READ_ONLY,
  }, () => run(async () => {
    const results = await checkSpecFiles(undefined, root);
    const findings = results.flatMap((r) => r.findings);
    const { errors, warnings } = countBySeverity(findings);
    const specs = results.map((r) => ({ file: r.file, ...(r.model ? { service: r.model.service } : {}), valid: r.model !== undefined, findings: [...r.findings] }));
    const text = results.length === 0
      ? 'No spec under specs/. Create one with `npm run new:service -- <name>`.'
      : `${results.length} spec(s), ${errors} error(s), ${warnings} warning(s).${findings.length > 0 ? `\n${findings.map(formatFinding).join('\n')}` : ''}`;
    return result(text, { ok: errors === 0, errors, warnings, specs });
  }));

  server.registerTool('get_generation_status', {
    title: 'Generation status',
    description: 'Which generated files are missing, stale or orphaned compared with the specs (what `npm run generate -- --check` reports). Fix with `npm run generate`.',
    inputSchema: {},
    outputSchema: GenerationStatusOutput.shape,
    annotations: READ_ONLY,
  }, () => run(async () => {
    const status = await generationStatus(root).catch((error: unknown) => { throw specProblem(error); });
    const hints = { missing: 'run `npm run generate`', stale: 'run `npm run generate` (never edit generated files)', orphaned: 'run `npm run generate` to delete it' } as const;
    const pending = [
      ...status.pending.map((p) => ({ path: p.path, state: p.state, hint: hints[p.state] })),
      ...status.conflicts.map((p) => ({ path: p, state: 'conflict' as const, hint: 'a file without the generated header is in the way: move your code to src/handlers/ and delete it' })),
    ];
    const upToDate = pending.length === 0;
    const text = upToDate
      ? `Generated files are up to date (${status.files} files from ${status.specs} spec(s)).`
      : `${pending.length} generated file(s) out of date:\n${pending.map((p) => `- ${p.state} ${p.path}: ${p.hint}`).join('\n')}`;
    return result(text, { upToDate, specs: status.specs, files: status.files, pending, abandoned: [...status.abandoned] });
  }));

  server.registerTool('get_deployment_status', {
    title: 'Deployment status',
    description: 'Whether a service is deployed and healthy. target "aws": stack status and last failure, outputs, drift against cdk.out, per function the published versions, the `live` alias and its canary weights, state, '
      + 'event source mappings, a CodeDeploy deployment in progress, queue and DLQ depths, alarms in ALARM. target "local": whether `npm run dev` is up, endpoints, resources, per-function INITs and invocations, per-mapping batches, failures, retries, DLQ arrivals.',
    inputSchema: { service: ServiceName.optional().describe('One service; default: all.'), target: Target, stage: Stage.optional() },
    outputSchema: DeploymentStatusOutput.shape,
    annotations: { ...READ_ONLY, openWorldHint: true },
  }, (args) => run(async () => {
    const models = selectModels(await loadModels(root), args.service);
    if (args.target === 'local') {
      const local = localStatus(await readLocalState(stateFile, root), args.service);
      return result(localSummary(local), { target: 'local', local });
    }
    const stage = args.stage ?? defaultStage();
    const signal = AbortSignal.timeout(timeoutMs);
    const reader = new AwsReader(awsClients(), signal);
    const region = await reader.region();
    const settled = await Promise.all(models.map(async (model) => {
      const name = stackName(stage, model.service);
      try {
        return { ok: true as const, status: await awsServiceStatus({ model, stage, stackName: name, root, reader, ...(region ? { region } : {}) }) };
      } catch (error) {
        return { ok: false as const, service: model.service, stackName: name, error: fromAwsError(error, { where: `stack ${name}`, stackName: name, stage, ...(region ? { region } : {}) }) };
      }
    }));
    const aws = settled.flatMap((s) => (s.ok ? [s.status] : []));
    const failures = settled.flatMap((s) => (s.ok ? [] : [s]));
    if (aws.length === 0 && failures.length > 0) {
      throw failures.length === 1 || failures.every((f) => f.error.code === failures[0]?.error.code && f.error.code !== 'STACK_NOT_DEPLOYED')
        ? failures[0]?.error
        : new ToolError(failures[0]?.error.code ?? 'AWS_ERROR', failures.map((f) => `${f.service}: ${f.error.message}`).join(' '), failures.map((f) => f.error.fix).filter(unique).join(' '));
    }
    const awsErrors = failures.map((f) => ({ service: f.service, stackName: f.stackName, code: f.error.code, message: f.error.message, fix: f.error.fix }));
    return result(awsSummary(aws, awsErrors), { target: 'aws', aws, ...(awsErrors.length > 0 ? { awsErrors } : {}) });
  }));

  server.registerTool('get_recent_failures', {
    title: 'Recent failures',
    description: 'What failed lately for one service. target "aws": CloudFormation events that failed (with reasons), functions and event source mappings in trouble, DLQ and OnFailure queue depths, alarms in ALARM. '
      + 'target "local": the last failures the local cloud saw (failed INITs, invocations and batches, DLQ arrivals, OnFailure records) and the messages waiting in DLQs and OnFailure queues. Bodies are truncated and secrets redacted.',
    inputSchema: { service: ServiceName.optional().describe('Required when the project has more than one service.'), target: Target, stage: Stage.optional() },
    outputSchema: RecentFailuresOutput.shape,
    annotations: { ...READ_ONLY, openWorldHint: true },
  }, (args) => run(async () => {
    const all = await loadModels(root);
    if (args.service === undefined && all.length > 1) {
      throw new ToolError('UNKNOWN_SERVICE', `The project has ${all.length} services (${all.map((m) => m.service).join(', ')}); say which.`, 'Call again with `service`.');
    }
    const [model] = selectModels(all, args.service);
    if (!model) throw new ToolError('UNKNOWN_SERVICE', 'The project has no service.', 'Create one with `npm run new:service -- <name>`.');
    if (args.target === 'local') {
      const failures = await localFailures(await readLocalState(stateFile, root), model, AbortSignal.timeout(timeoutMs));
      return result(failuresSummary(failures), failures);
    }
    const stage = args.stage ?? defaultStage();
    const name = stackName(stage, model.service);
    const reader = new AwsReader(awsClients(), AbortSignal.timeout(timeoutMs));
    const region = await reader.region();
    try {
      const events = reader.stackEvents(name);
      // Awaited below; if the status fails first, its error is the one reported.
      events.catch(() => undefined);
      const status = await awsServiceStatus({ model, stage, stackName: name, root, reader, stackEvents: events, ...(region ? { region } : {}) });
      const failures = awsFailures(status, await events);
      return result(failuresSummary(failures), failures);
    } catch (error) {
      throw fromAwsError(error, { where: `stack ${name}`, stackName: name, stage, ...(region ? { region } : {}) });
    }
  }));

  server.registerResource('spec', new ResourceTemplate('spec://{service}', {
    list: async () => ({
      resources: (await listSpecFiles(root)).map((file) => ({
        uri: `spec://${path.basename(file).replace(/\.ya?ml$/, '')}`, name: path.basename(file), mimeType: 'application/yaml', description: `The spec ${file}`,
      })),
    }),
  }), {
    title: 'Service spec',
    description: 'The YAML spec of a service, as written (docs/spec.md describes every key).',
    mimeType: 'application/yaml',
  }, async (uri, variables) => {
    const service = String(variables.service);
    const file = (await listSpecFiles(root)).find((f) => path.basename(f).replace(/\.ya?ml$/, '') === service);
    if (file === undefined) throw new Error(`No spec for service ${service} under specs/ (resources/list shows the ones there are).`);
    return { contents: [{ uri: uri.href, mimeType: 'application/yaml', text: await readSpecText(file, root) }] };
  });

  server.registerResource('best-practices', 'docs://best-practices.md', {
    title: 'Lambda best practices',
    description: 'The practice catalog: each LBP-* ID, what and why, the steering file that teaches it and the checks that enforce it.',
    mimeType: 'text/markdown',
  }, async (uri) => {
    const file = path.join(root, 'docs', 'best-practices.md');
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await readFile(file, 'utf8') }] };
  });

  server.registerPrompt('implement-feature', {
    title: 'Implement a feature',
    description: 'Walks through a change the way this project is built: spec -> spec:check -> generate -> handler -> tests -> npm test -> synth.',
    argsSchema: IMPLEMENT_FEATURE_ARGS,
  }, (args) => ({ messages: implementFeatureMessages(args) }));

  return server;
}

/** Runs a tool body: a ToolError (or a spec problem) becomes an `isError` answer; anything else too, without a stack trace. */
async function run(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    const problem = error instanceof ToolError ? error : specProblem(error);
    return { isError: true, content: [{ type: 'text', text: problem.toText() }] };
  }
}

function specProblem(error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  if (error instanceof SpecValidationError) {
    return new ToolError('SPEC_ERRORS', `The specs have errors:\n${error.findings.filter((f) => f.severity === 'error').map(formatFinding).join('\n')}`,
      'Fix them (check_specs lists them with their fixes), then call again.', { cause: error });
  }
  if (error instanceof SpecError) return new ToolError('SPEC_ERRORS', error.message, 'Check the specs folder.', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError('INTERNAL', `The tool failed: ${message}`, 'This is a bug in the MCP server if it happens again; run `npm run check` and report it.', { cause: error });
}

function result(text: string, structuredContent: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent };
}

async function loadModels(root: string): Promise<ServiceModel[]> {
  try {
    return await loadServiceModels(root);
  } catch (error) {
    throw specProblem(error);
  }
}

function selectModels(models: readonly ServiceModel[], service: string | undefined): ServiceModel[] {
  if (service === undefined) return [...models];
  const model = models.find((m) => m.service === service);
  if (!model) {
    throw new ToolError('UNKNOWN_SERVICE', `There is no service \`${service}\` in specs/ (services: ${models.map((m) => m.service).join(', ') || 'none'}).`,
      'Call list_services for the names, or create the spec with `npm run new:service`.');
  }
  return [model];
}

const unique = <T>(value: T, index: number, all: readonly T[]): boolean => all.indexOf(value) === index;

function awsSummary(statuses: readonly AwsServiceStatusT[], errors: readonly { service: string; code: string; message: string }[]): string {
  const lines = statuses.map((s) => {
    const head = `${s.service}: stack ${s.stackName}${s.region ? ` in ${s.region}` : ''} is ${s.stack.status}${s.stack.lastUpdated ? ` (last update ${s.stack.lastUpdated})` : ''}.`;
    return s.problems.length === 0 ? `${head} No problems found.` : `${head}\n${s.problems.map((p) => `  - ${p}`).join('\n')}`;
  });
  for (const e of errors) lines.push(`${e.service}: [${e.code}] ${e.message}`);
  return lines.join('\n');
}

function localSummary(local: ReturnType<typeof localStatus>): string {
  if (local.services.length === 0) return local.message;
  const lines = local.services.map((s) => {
    const invocations = s.functions.reduce((n, f) => n + f.invocations, 0);
    const errors = s.functions.reduce((n, f) => n + f.errors, 0);
    const dlq = Object.values(s.deadLetterArrivals).reduce((n, c) => n + c, 0);
    return `- ${s.service}${s.httpUrl ? ` (${s.httpUrl})` : ''}: ${invocations} invocation(s), ${errors} error(s), ${dlq} DLQ arrival(s).`;
  });
  return `${local.message}\n${lines.join('\n')}`;
}

function failuresSummary(f: RecentFailuresT): string {
  const parts: string[] = [];
  if (f.stackEvents.length > 0) parts.push(`${f.stackEvents.length} failed CloudFormation event(s); newest: ${f.stackEvents[0]?.logicalId ?? '?'} ${f.stackEvents[0]?.status ?? ''}: ${f.stackEvents[0]?.reason ?? ''}`);
  for (const p of f.functionProblems) parts.push(`${p.fn}: ${p.problem}`);
  for (const d of f.deadLetters) if (d.depth > 0) parts.push(`${d.label} (${d.role}) holds ${d.depth} message(s)`);
  if (f.engineFailures.length > 0) parts.push(`${f.engineFailures.length} failure(s) seen by the local cloud; latest: ${f.engineFailures.at(-1)?.fn ?? f.engineFailures.at(-1)?.source ?? ''} ${f.engineFailures.at(-1)?.message ?? ''}`);
  for (const a of f.alarmsInAlarm) parts.push(`alarm ${a.name} in ALARM`);
  const body = parts.length === 0 ? 'No recent failures.' : parts.map((p) => `- ${p}`).join('\n');
  return `${f.service} (${f.target}):\n${body}${f.notes.length > 0 ? `\n${f.notes.join('\n')}` : ''}`;
}

function packageVersion(root: string): string {
  try {
    const text = readFileSync(path.join(root, 'package.json'), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Serves on stdio until the client closes the connection. Logs go to stderr (stdout carries the protocol). */
export async function main(root = process.cwd()): Promise<void> {
  const server = createMcpServer({ root });
  await server.connect(new StdioServerTransport());
  process.stderr.write(`${SERVER_NAME} MCP server ready (project ${root}).\n`);
}

if (process.argv[1]?.endsWith('mcp/src/server.ts')) {
  await main();
}
