/**
 * The local cloud: one or more services of the project running on this machine. It starts the
 * emulators, provisions each service from its model, bundles its generated entries, runs them in
 * execution environments, wires every trigger through the event-source-mapping engine (streams,
 * queues, SNS, schedules) and the HTTP front, and counts what happens.
 *
 * @example
 * const cloud = await startLocalCloud({ root, models, trace: createTracePrinter() });
 * await fetch(`${cloud.services.orders.httpUrl}/orders`, { method: 'POST', body: '...' });
 * await cloud.waitForIdle();
 * await cloud.stop();
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { entryPath } from '@kiro-serverless/model/layout';
import { DEFAULTS } from '@kiro-serverless/model/constants';
import type { FunctionModel, ServiceModel, TriggerModel } from '@kiro-serverless/model/model';
import type { TriggerKind, TriggerOf } from '@kiro-serverless/model/triggers';
import type { LocalClients, LocalEndpoints } from './clients.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './clients.js';
import { createCounters } from './counters.js';
import type { Counters } from './counters.js';
import { startEmulators } from './emulators.js';
import type { Emulators, FauxqsServer } from './emulators.js';
import { createAsyncInvoker } from './esm/async.js';
import type { AsyncInvoker } from './esm/async.js';
import { createSchedule } from './esm/schedule.js';
import type { Schedule } from './esm/schedule.js';
import { createSnsMapping, provisionSnsBridge } from './esm/sns.js';
import { createSqsMapping } from './esm/sqs.js';
import { createStreamMapping } from './esm/stream.js';
import { localFunctionEnvironment, localFunctionName } from './function-env.js';
import { createFunctionBuilder, createFunctionHost } from './host/index.js';
import type { FunctionBuild, FunctionBuilder, FunctionHost } from './host/index.js';
import { httpRoutesOf, startHttpFront } from './http/index.js';
import type { HttpFront } from './http/index.js';
import { destinationOf, provisionService } from './provision.js';
import type { LocalResources } from './provision.js';
import { emit, timeScale as makeTimeScale } from './types.js';
import type { EngineComponent, TimeScale, Trace, TraceEvent } from './types.js';

/** Options of {@link startLocalCloud}. */
export interface LocalCloudOptions {
  /** The project root: generated entries are read from `<root>/src/generated/<service>/`. */
  readonly root: string;
  /** The services to run (from packages/model's `loadServiceModels`). Service names must differ. */
  readonly models: readonly ServiceModel[];
  /** @default timeScale() (one AWS minute per local second) */
  readonly timeScale?: TimeScale;
  /** Receives every trace event (a printer, a state file); the counters always do. */
  readonly trace?: Trace;
  /** Use this DynamoDB Local instead of starting one (tests). */
  readonly dynamoDbEndpoint?: string;
  /** Builds, /tmp folders and file-system folders go here. @default `<root>/.local` */
  readonly stateDir?: string;
  /** Local cap on execution environments per function. @default the host's (8) */
  readonly maxEnvironmentsPerFunction?: number;
}

/** One running service. */
export interface LocalService {
  readonly model: ServiceModel;
  readonly resources: LocalResources;
  /** The HTTP front's base URL; absent when no function has an http trigger. */
  readonly httpUrl?: string;
  readonly host: FunctionHost;
  /** Lambda's internal event queue of this service's asynchronously invoked functions. */
  readonly asyncInvoker: AsyncInvoker;
  /** The schedule of each function with a schedule trigger (rate schedules run on the time scale; `fireNow()` fires one). */
  readonly schedules: Readonly<Record<string, Schedule>>;
  /** Invokes a function once, as `aws lambda invoke` would (sync: RequestResponse; async: Event). */
  invoke(functionId: string, event: unknown, invocation?: 'sync' | 'async'): Promise<unknown>;
}

export interface LocalCloud {
  readonly endpoints: LocalEndpoints;
  readonly clients: LocalClients;
  readonly fauxqs: FauxqsServer;
  readonly services: Readonly<Record<string, LocalService>>;
  readonly counters: Counters;
  readonly timeScale: TimeScale;
  /**
   * Resolves once nothing is left to do: every stream read to its end, every consumed queue empty,
   * no async event or retry pending, no invocation running, and that for `quietMs` in a row.
   * Rejects after `timeoutMs` naming what is still busy.
   */
  waitForIdle(options?: { readonly timeoutMs?: number; readonly quietMs?: number }): Promise<void>;
  /** Rebuilds every function and gives the new code to new environments (as a deploy does). */
  reload(): Promise<void>;
  /** Stops everything: HTTP fronts, mappings, environments, emulators. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Starting failed; whatever had started has been stopped. */
export class LocalCloudError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalCloudError';
  }
}

interface RunningService extends LocalService {
  readonly builder: FunctionBuilder;
  readonly components: readonly EngineComponent[];
  readonly httpFront?: HttpFront;
}

/** Starts the emulators and every service in `models`; see the module documentation. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const names = options.models.map((m) => m.service);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new LocalCloudError(`Two specs declare service ${repeated}; the local cloud runs each service once. Rename one.`);
  for (const model of options.models) {
    const missing = Object.values(model.functions).map((fn) => entryPath(model, fn)).filter((entry) => !existsSync(path.join(options.root, entry)));
    if (missing.length > 0) {
      throw new LocalCloudError(`${model.sourceFile}: the generated entries of service ${model.service} are missing (${missing.join(', ')}). Fix: run \`npm run generate\`.`);
    }
  }

  const scale = options.timeScale ?? makeTimeScale();
  const counters = createCounters();
  const userTrace = options.trace;
  const trace: Trace = (event) => {
    counters.trace(event);
    userTrace?.(event);
  };
  const stateDir = options.stateDir ?? path.join(options.root, '.local');
  const runDir = path.join(stateDir, `run-${process.pid}`);

  await removeStaleRuns(stateDir);
  // Bundling needs no emulator: it runs while they start.
  await mkdir(runDir, { recursive: true });
  const builds = options.models.map((model) => startBuild(model, options.root, runDir));
  let emulators: Emulators;
  try {
    emulators = await startEmulators(options.dynamoDbEndpoint === undefined ? {} : { dynamoDbEndpoint: options.dynamoDbEndpoint });
  } catch (error) {
    await Promise.allSettled(builds.map(async (b) => (await b).builder.dispose()));
    await rm(runDir, { recursive: true, force: true });
    throw error;
  }
  const services: RunningService[] = [];
  const stopAll = async (): Promise<void> => {
    // Fronts first (no new requests), then the engine (no new batches), then environments, then emulators.
    await Promise.allSettled(services.map((s) => s.httpFront?.stop() ?? Promise.resolve()));
    await Promise.allSettled(services.flatMap((s) => [...s.components, s.asyncInvoker].map((c) => c.stop())));
    await Promise.allSettled(services.map((s) => s.host.stop()));
    await Promise.allSettled(builds.map(async (b) => (await b).builder.dispose()));
    await emulators.stop();
    await rm(runDir, { recursive: true, force: true });
  };

  try {
    const multi = options.models.length > 1;
    for (const [i, model] of options.models.entries()) {
      const serviceTrace: Trace = multi ? (event) => trace(qualify(event, model.service)) : trace;
      const prepared = await builds[i];
      if (!prepared) throw new LocalCloudError(`no build was started for service ${model.service}`);
      services.push(await startService(model, prepared, { ...options, emulators, scale, trace: serviceTrace, runDir, stateDir }));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoints: emulators.endpoints,
    clients: emulators.clients,
    fauxqs: emulators.fauxqs,
    services: Object.fromEntries(services.map((s) => [s.model.service, s])),
    counters,
    timeScale: scale,
    waitForIdle: (waitOptions) => waitForIdle(services, waitOptions),
    async reload() {
      for (const service of services) {
        const build = await service.builder.build();
        await service.host.reload(build.bundles);
      }
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

interface ServiceContext extends LocalCloudOptions {
  readonly emulators: Emulators;
  readonly scale: TimeScale;
  readonly trace: Trace;
  readonly runDir: string;
  readonly stateDir: string;
}

/** A service's bundler and its first build, started before the emulators are up. */
interface PreparedBuild {
  readonly builder: FunctionBuilder;
  readonly build: Promise<FunctionBuild>;
}

async function startBuild(model: ServiceModel, root: string, runDir: string): Promise<PreparedBuild> {
  const builder = await createFunctionBuilder({
    functions: Object.values(model.functions).map((fn) => ({ id: fn.id, entry: path.join(root, entryPath(model, fn)) })),
    outDir: path.join(runDir, 'build', model.service),
    projectRoot: root,
  });
  const build = builder.build();
  build.catch(() => undefined); // awaited (and reported) by startService
  return { builder, build };
}

async function startService(model: ServiceModel, { builder, build: firstBuild }: PreparedBuild, context: ServiceContext): Promise<RunningService> {
  const { emulators, scale, trace } = context;
  const clients = emulators.clients;
  const functions = Object.values(model.functions);
  let host: FunctionHost | undefined;
  try {
    const [resources, build] = await Promise.all([
      provisionService(model, { clients, timeScale: scale, root: context.root, stateDir: context.stateDir }),
      firstBuild,
    ]);
    host = createFunctionHost({
      workerPath: build.workerPath,
      tmpRoot: path.join(context.runDir, 'tmp', model.service),
      trace,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      ...(context.maxEnvironmentsPerFunction === undefined ? {} : { maxEnvironmentsPerFunction: context.maxEnvironmentsPerFunction }),
      functions: functions.map((fn) => {
        const environment = localFunctionEnvironment(model, fn, resources, emulators.endpoints);
        if (environment.unavailable.length > 0) {
          emit(trace, { type: 'note', level: 'warn', text: `${model.service}.${fn.id}: ${environment.unavailable.join(', ')} point nowhere: the local cloud does not emulate RDS; calls to the database will fail.` });
        }
        const bundlePath = build.bundles[fn.id];
        if (!bundlePath) throw new LocalCloudError(`The build of service ${model.service} produced no bundle for ${fn.id}.`);
        return {
          id: fn.id,
          functionName: localFunctionName(model, fn),
          bundlePath,
          env: environment.variables,
          timeoutSeconds: fn.timeoutSeconds,
          memoryMb: fn.memoryMb,
          ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
          ...(fn.provisionedConcurrency === undefined ? {} : { provisionedConcurrency: fn.provisionedConcurrency }),
        };
      }),
    });
    const invoker = host;
    const functionArn = (id: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${model.service}-${id}:live`;
    const asyncInvoker = createAsyncInvoker({ clients, invoker, trace, timeScale: scale, functionArn });

    const components: EngineComponent[] = [];
    const schedules: Record<string, Schedule> = {};
    for (const fn of functions) {
      const mapping = await mappingOf(fn.trigger).start(fn.trigger, {
        model, fn, resources, clients, invoker, asyncInvoker, trace, timeScale: scale, functionArn: functionArn(fn.id), schedules,
      });
      if (mapping) components.push(mapping);
    }

    const routes = httpRoutesOf(model);
    const httpFront = routes.length > 0 ? await startHttpFront({ routes, invoker, trace }) : undefined;
    await host.start();
    asyncInvoker.start();
    for (const component of components) component.start();

    const startedHost = host;
    return {
      model, resources, host: startedHost, asyncInvoker, builder, components, schedules,
      ...(httpFront ? { httpFront, httpUrl: httpFront.url } : {}),
      async invoke(functionId, event, invocation = 'sync') {
        const fn = model.functions[functionId];
        if (!fn) throw new LocalCloudError(`Service ${model.service} has no function ${functionId}; it has ${Object.keys(model.functions).join(', ')}.`);
        if (invocation === 'async') {
          const settings = 'async' in fn.trigger ? fn.trigger.async : DEFAULTS.async;
          const onFailure = destinationOf(resources, 'onFailure' in settings ? settings.onFailure : undefined);
          return { StatusCode: 202, requestId: asyncInvoker.enqueue(functionId, event, { async: settings, ...(onFailure ? { onFailure } : {}) }) };
        }
        return startedHost.invoke(functionId, event, { mode: 'sync' });
      },
    };
  } catch (error) {
    await host?.stop();
    throw error;
  }
}

/** What a trigger's mapping gets to start. */
interface MappingContext {
  readonly model: ServiceModel;
  readonly fn: FunctionModel;
  readonly resources: LocalResources;
  readonly clients: LocalClients;
  readonly invoker: FunctionHost;
  readonly asyncInvoker: AsyncInvoker;
  readonly trace: Trace;
  readonly timeScale: TimeScale;
  /** The ARN of the function's alias, as the mapping names it in failure records. */
  readonly functionArn: string;
  /** The service's schedules by function ID: a schedule trigger registers its own. */
  readonly schedules: Record<string, Schedule>;
}

/** How a trigger type reaches its function in the local cloud. */
interface TriggerMapping<K extends TriggerKind> {
  /** Provisions what the trigger needs and returns the engine part that delivers its events, if any. */
  start(trigger: TriggerOf<K>, context: MappingContext): Promise<EngineComponent | undefined>;
}

/**
 * Every trigger type's mapping (keyed by the model's trigger types: a new type does not compile until
 * it has one). Event sources get the event-source-mapping engine; HTTP routes are served by the HTTP
 * front (`httpRoutesOf`) and direct functions through `LocalService.invoke`, so they start nothing here.
 *
 * @internal
 */
export const MAPPINGS: { readonly [K in TriggerKind]: TriggerMapping<K> } = {
  http: { start: () => Promise.resolve(undefined) },
  dynamodbStream: {
    start(trigger, { model, fn, resources, clients, invoker, trace, timeScale, functionArn }) {
      const table = resources.tables[trigger.table];
      if (!table?.streamArn) throw new LocalCloudError(`${model.sourceFile}: ${fn.id} reads the stream of table ${trigger.table}, which has none.`);
      const onFailure = destinationOf(resources, trigger.onFailure);
      return Promise.resolve(createStreamMapping({
        functionId: fn.id, tableId: trigger.table, tableName: table.name, streamArn: table.streamArn, trigger,
        functionArn, ...(onFailure ? { onFailure } : {}),
      }, { clients, invoker, trace, timeScale }));
    },
  },
  sqs: {
    start(trigger, { model, fn, resources, clients, invoker, trace, timeScale }) {
      const queue = resources.queues[trigger.queue];
      if (!queue) throw new LocalCloudError(`${model.sourceFile}: ${fn.id} consumes queue ${trigger.queue}, which was not provisioned.`);
      return Promise.resolve(createSqsMapping({
        functionId: fn.id, queueId: trigger.queue, queueUrl: queue.url, queueArn: queue.arn, fifo: queue.fifo, trigger,
        ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
        ...(queue.deadLetter ? { deadLetter: { id: `${trigger.queue}-dlq`, url: queue.deadLetter.url, maxReceiveCount: queue.deadLetter.maxReceiveCount } } : {}),
      }, { clients, invoker, trace, timeScale }));
    },
  },
  sns: {
    async start(trigger, { model, fn, resources, clients, asyncInvoker, trace }) {
      const topic = resources.topics[trigger.topic];
      if (!topic) throw new LocalCloudError(`${model.sourceFile}: ${fn.id} subscribes to topic ${trigger.topic}, which was not provisioned.`);
      // Bridge queues are named after the topic and function: qualify the topic so services cannot collide.
      const bridge = await provisionSnsBridge(clients, { functionId: fn.id, topicId: `${model.service}-${trigger.topic}`, topicArn: topic.arn });
      const onFailure = destinationOf(resources, trigger.async.onFailure);
      return createSnsMapping({
        functionId: fn.id, topicId: trigger.topic, bridge, async: trigger.async, ...(onFailure ? { onFailure } : {}),
      }, { clients, asyncInvoker, trace });
    },
  },
  schedule: {
    start(trigger, { model, fn, resources, asyncInvoker, trace, timeScale, schedules }) {
      const onFailure = destinationOf(resources, trigger.async.onFailure);
      const schedule = createSchedule({
        functionId: fn.id, expression: trigger.expression, rule: `${model.service}-${fn.id}-schedule`, async: trigger.async,
        ...(onFailure ? { onFailure } : {}),
      }, { asyncInvoker, trace, timeScale });
      schedules[fn.id] = schedule;
      return Promise.resolve(schedule);
    },
  },
  direct: { start: () => Promise.resolve(undefined) },
};

/** The mapping of a trigger's type (its `start` takes that trigger). */
function mappingOf(trigger: TriggerModel): TriggerMapping<TriggerKind> {
  return MAPPINGS[trigger.type];
}

/** Removes `run-<pid>` folders of runs that ended without cleaning up (killed, or their output pipe closed). */
async function removeStaleRuns(stateDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch {
    return;
  }
  await Promise.all(names.map(async (name) => {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) return;
    await rm(path.join(stateDir, name), { recursive: true, force: true });
  }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Puts the service before the function name, when several services share one trace. */
function qualify(event: TraceEvent, service: string): TraceEvent {
  return 'fn' in event && typeof event.fn === 'string' ? { ...event, fn: `${service}.${event.fn}` } : event;
}

async function waitForIdle(services: readonly RunningService[], options: { readonly timeoutMs?: number; readonly quietMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const quietMs = options.quietMs ?? 300;
  let quietSince: number | undefined;
  for (;;) {
    const busy = await busyParts(services);
    const now = Date.now();
    if (busy.length === 0) {
      quietSince ??= now;
      if (now - quietSince >= quietMs) return;
    } else {
      quietSince = undefined;
    }
    if (now > deadline) {
      throw new LocalCloudError(`The local cloud did not settle within ${options.timeoutMs ?? 60_000} ms; still busy: ${busy.join(', ')}.`);
    }
    await sleep(50);
  }
}

async function busyParts(services: readonly RunningService[]): Promise<string[]> {
  const busy: string[] = [];
  for (const service of services) {
    for (const [fn, stats] of Object.entries(service.host.stats())) {
      if (stats.busy > 0 || stats.waiting > 0) busy.push(`${service.model.service}.${fn} (running)`);
    }
    const parts = [...service.components, service.asyncInvoker];
    const idle = await Promise.all(parts.map((part) => part.isIdle()));
    parts.forEach((part, i) => {
      if (!idle[i]) busy.push(`${service.model.service}/${part.id}`);
    });
  }
  return busy;
}
