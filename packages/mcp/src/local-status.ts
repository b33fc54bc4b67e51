/**
 * The local cloud as the MCP server sees it: `.local/state.json`, written about once a second by
 * `npm run dev` (packages/local-cloud/src/state.ts) and removed when it stops. A file whose process is gone is
 * stale (the cloud was killed). Messages waiting in dead-letter and OnFailure queues are read with
 * fauxqs's inspection endpoint, which leaves them where they are.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalStateFile } from '@kiro-serverless/local-cloud/state';
import { STATE_FILE_VERSION } from '@kiro-serverless/local-cloud/state';
import type { ServiceModel } from '@kiro-serverless/model/model';
import { ToolError } from './errors.js';
import { redactAttributes, redactBody } from './redact.js';
import type { LocalStatusT, RecentFailuresT } from './schemas.js';
import { onFailureQueues } from './aws-status.js';

export type LocalState =
  | { readonly running: true; readonly file: string; readonly state: LocalStateFile; readonly message: string }
  | { readonly running: false; readonly file: string; readonly stale: boolean; readonly state?: LocalStateFile; readonly message: string };

/** Reads the state file; `running` only when it exists, parses, and its process is alive. */
export async function readLocalState(file: string, root: string): Promise<LocalState> {
  const shown = path.relative(root, file).split(path.sep).join('/') || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { running: false, file: shown, stale: false, message: `The local cloud is not running (${shown} does not exist). Start it with \`npm run dev\` (it keeps running and writes that file), then call again.` };
  }
  let state: LocalStateFile;
  try {
    state = JSON.parse(text) as LocalStateFile;
  } catch {
    return { running: false, file: shown, stale: true, message: `${shown} is not valid JSON (it may be from another version, or was cut short). Restart \`npm run dev\`.` };
  }
  if (state.version !== STATE_FILE_VERSION) {
    return { running: false, file: shown, stale: true, message: `${shown} has version ${String(state.version)}; this server reads version ${STATE_FILE_VERSION}. Restart \`npm run dev\` with this checkout.` };
  }
  if (!isAlive(state.pid)) {
    return { running: false, file: shown, stale: true, state, message: `${shown} was written by process ${state.pid}, which is no longer running: the local cloud stopped without cleaning up. Start it again with \`npm run dev\` (the figures below are from its last write at ${state.updatedAt}).` };
  }
  return { running: true, file: shown, state, message: `The local cloud is up (pid ${state.pid}, updated ${state.updatedAt}).` };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The local cloud's status, for every service or one. */
export function localStatus(local: LocalState, service?: string): LocalStatusT {
  const state = local.state;
  const names = state ? Object.keys(state.services).filter((s) => service === undefined || s === service) : [];
  if (service !== undefined && state && names.length === 0) {
    throw new ToolError('NOT_FOUND', `The local cloud runs ${Object.keys(state.services).join(', ') || 'no service'}, not ${service}.`,
      `Start it with that service's spec: \`npm run dev -- specs/${service}.yaml\` (or with no argument for every spec).`);
  }
  return {
    running: local.running,
    stale: !local.running && local.stale,
    stateFile: local.file,
    ...(state ? {
      pid: state.pid, startedAt: state.startedAt, updatedAt: state.updatedAt, timeScale: state.timeScale, endpoints: state.endpoints,
    } : {}),
    services: state ? names.map((name) => serviceStatus(state, name)) : [],
    message: local.message,
  };
}

function serviceStatus(state: LocalStateFile, name: string): LocalStatusT['services'][number] {
  const s = state.services[name];
  if (!s) throw new Error(`no service ${name} in the state file`);
  const r = s.resources;
  const functionIds = new Set(Object.keys(s.functions));
  return {
    service: name,
    sourceFile: s.sourceFile,
    ...(s.httpUrl ? { httpUrl: s.httpUrl } : {}),
    resources: {
      tables: Object.fromEntries(Object.entries(r.tables).map(([id, t]) => [id, t.name])),
      queues: Object.fromEntries(Object.entries(r.queues).map(([id, q]) => [id, { url: q.url, ...(q.deadLetter ? { deadLetterUrl: q.deadLetter.url } : {}) }])),
      topics: Object.fromEntries(Object.entries(r.topics).map(([id, t]) => [id, t.arn])),
      buckets: Object.fromEntries(Object.entries(r.buckets).map(([id, b]) => [id, b.name])),
    },
    functions: Object.entries(s.functions).map(([id, f]) => ({ id, ...f })),
    mappings: Object.values(state.counts.mappings).filter((m) => functionIds.has(m.fn)).map((m) => ({
      kind: m.kind, fn: m.fn, source: m.source, batches: m.batches, records: m.records, failures: m.failures,
      retries: m.retries, bisects: m.bisects, onFailure: m.onFailure, dropped: m.dropped,
    })),
    deadLetterArrivals: Object.fromEntries(Object.entries(state.counts.deadLetters).filter(([q]) => Object.hasOwn(r.queues, q))),
    queueDepths: { ...s.queueDepths },
  };
}

interface FauxqsMessage {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes?: Record<string, unknown>;
  readonly sentTimestamp?: number;
  readonly approximateReceiveCount?: number;
}

interface FauxqsInspection {
  readonly messages?: {
    readonly ready?: readonly FauxqsMessage[];
    readonly delayed?: readonly FauxqsMessage[];
    readonly inflight?: readonly { readonly message: FauxqsMessage }[];
  };
}

/** How many messages of each dead-letter or OnFailure queue are shown (the newest). */
export const MESSAGES_PER_QUEUE = 10;

/** The recent failures of one service in the local cloud: the engine's list and what waits in its DLQs and OnFailure queues. */
export async function localFailures(local: LocalState, model: ServiceModel, signal: AbortSignal): Promise<RecentFailuresT> {
  const notes: string[] = [];
  const base = { target: 'local' as const, service: model.service, stackEvents: [], functionProblems: [], alarmsInAlarm: [] };
  const state = local.state;
  if (state === undefined) return { ...base, deadLetters: [], engineFailures: [], notes: [local.message] };
  const s = state.services[model.service];
  if (!s) {
    throw new ToolError('NOT_FOUND', `The local cloud runs ${Object.keys(state.services).join(', ') || 'no service'}, not ${model.service}.`,
      `Start it with that service's spec: \`npm run dev -- ${model.sourceFile}\`.`);
  }
  if (!local.running) notes.push(local.message);

  const functionIds = new Set(Object.keys(model.functions));
  const resourceIds = new Set(Object.keys(s.resources.queues).concat(Object.keys(s.resources.tables), Object.keys(s.resources.topics)));
  const engineFailures = (state.recentFailures ?? [])
    .filter((f) => (f.fn !== undefined && functionIds.has(f.fn)) || (f.fn === undefined && f.source !== undefined && resourceIds.has(f.source)))
    .map((f) => ({ ...f, message: redactBody(f.message, 600) }));

  const onFailure = onFailureQueues(model);
  const queues = Object.entries(s.resources.queues).flatMap(([id, q]) => [
    ...(q.deadLetter ? [{ label: `${id}-dlq`, role: 'dead-letter' as const, name: q.deadLetter.name }] : []),
    ...(onFailure.has(id) ? [{ label: id, role: 'on-failure' as const, name: q.name }] : []),
  ]);
  const deadLetters = await Promise.all(queues.map(async (q) => {
    if (!local.running) return { label: q.label, role: q.role, depth: s.queueDepths[q.label] ?? 0, messages: [] };
    const messages = await inspectQueue(state.endpoints.fauxqs, q.name, signal);
    return {
      label: q.label, role: q.role, depth: messages.length,
      messages: messages.slice(-MESSAGES_PER_QUEUE).map((m) => ({
        messageId: m.messageId,
        ...(m.sentTimestamp ? { sentAt: new Date(m.sentTimestamp).toISOString() } : {}),
        ...(m.approximateReceiveCount !== undefined ? { receiveCount: m.approximateReceiveCount } : {}),
        body: redactBody(m.body),
        attributes: redactAttributes(m.messageAttributes),
      })),
    };
  }));
  return { ...base, deadLetters, engineFailures, notes };
}

/** Every message of a fauxqs queue (ready, delayed, in flight), oldest first, without touching them. */
async function inspectQueue(endpoint: string, name: string, signal: AbortSignal): Promise<FauxqsMessage[]> {
  const response = await fetch(`${endpoint}/_fauxqs/queues/${encodeURIComponent(name)}`, { signal });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`fauxqs answered ${response.status} for queue ${name}`);
  const body = (await response.json()) as FauxqsInspection;
  const all = [
    ...(body.messages?.ready ?? []), ...(body.messages?.delayed ?? []), ...(body.messages?.inflight ?? []).map((i) => i.message),
  ];
  return all.sort((a, b) => (a.sentTimestamp ?? 0) - (b.sentTimestamp ?? 0));
}
