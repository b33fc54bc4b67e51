/**
 * The local cloud's commands:
 *
 * - `npm start [-- specs/<file>.yaml]`: bring the cloud up, run the spec's scenario (by default the
 *   project's only spec, else the orders example; a synthetic event through every trigger when the
 *   spec has no scenario),
 *   print the trace and a summary, and exit 0 only when every check holds and nothing was lost.
 * - `npm run dev [-- specs/<file>.yaml ...]`: keep the cloud up until Ctrl-C, reload handler code when
 *   it changes, and keep `.local/state.json` current for the MCP server.
 * - `npm run invoke -- <function> --event <file|factory>`: invoke one function once and print the
 *   response and its logs.
 *
 * @module
 */
import { existsSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { listSpecFiles, loadServiceModels } from '@kiro-serverless/model/check';
import { SpecError } from '@kiro-serverless/model/errors';
import { scenarioPath } from '@kiro-serverless/model/layout';
import type { ServiceModel } from '@kiro-serverless/model/model';
import { generate } from '@kiro-serverless/generate';
import { LocalCloudError, startLocalCloud } from './cloud.js';
import type { LocalCloud } from './cloud.js';
import { JavaMissingError } from './dynamodb-local.js';
import { httpRoutesOf } from './http/index.js';
import { createTracePrinter } from './printer.js';
import { scenarioPassed, summaryTable } from './scenario.js';
import type { Scenario } from './scenario.js';
import { keepStateFile, stateFilePath } from './state.js';
import { defaultEvent, EVENT_FACTORIES } from './synthetic.js';
import { runSynthetic } from './synthetic.js';
import { DEFAULT_TIME_SCALE_FACTOR, emit, timeScale } from './types.js';
import type { Trace } from './types.js';

/** The spec `npm start` runs when given none and the project has several (the example's). */
export const DEFAULT_SPEC = 'specs/orders.yaml';

/** The spec `npm start` runs when given none: the project's only spec, else DEFAULT_SPEC. */
async function defaultSpec(root: string): Promise<string> {
  const specs = await listSpecFiles(root);
  return specs.length === 1 ? specs[0] as string : DEFAULT_SPEC;
}

const USAGE = [
  'Usage:',
  '  npm start [-- <spec.yaml>] [--logs] [--time-scale <factor>]',
  '  npm run dev [-- <spec.yaml> ...] [--logs] [--time-scale <factor>]',
  '  npm run invoke -- <function> --event <file.json|factory> [--spec <spec.yaml>]',
].join('\n');

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly root: string;
}

/** Runs `start`, `dev` or `invoke` with `argv`; resolves to the exit code. */
export async function main(command: string, argv: readonly string[], io: CliIo): Promise<number> {
  // This machine's Node.js 20 is the tooling's; functions run as on Lambda's Node.js 22+.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        logs: { type: 'boolean' },
        'time-scale': { type: 'string' },
        event: { type: 'string' },
        spec: { type: 'string' },
        'no-generate': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const factor = values['time-scale'] === undefined ? DEFAULT_TIME_SCALE_FACTOR : parseFactor(values['time-scale']);
  if (factor === undefined) {
    io.err(`--time-scale takes a factor in (0, 1], e.g. 1 for real time or 0.0167 for one AWS minute per second; got ${values['time-scale']}.`);
    return 2;
  }
  try {
    switch (command) {
      case 'start':
        return await start(positionals, { logs: values.logs === true, factor, generate: values['no-generate'] !== true }, io);
      case 'dev':
        return await dev(positionals, { logs: values.logs === true, factor, generate: values['no-generate'] !== true }, io);
      case 'invoke':
        return await invoke(positionals, { event: values.event, spec: values.spec, logs: true, factor, generate: values['no-generate'] !== true }, io);
      default:
        io.err(`Unknown command ${command}.\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof SpecError || error instanceof LocalCloudError || error instanceof JavaMissingError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

interface StartOptions {
  readonly logs: boolean;
  readonly factor: number;
  readonly generate: boolean;
}

async function start(positionals: readonly string[], options: StartOptions, io: CliIo): Promise<number> {
  if (positionals.length > 1) {
    io.err(`npm start runs one spec; got ${positionals.length}: ${positionals.join(', ')}.\n${USAGE}`);
    return 2;
  }
  const specFile = path.resolve(io.root, positionals[0] ?? await defaultSpec(io.root));
  if (!existsSync(specFile)) {
    io.err(`${path.relative(io.root, specFile)}: no such spec file. Fix: give the path of a spec, e.g. \`npm start -- ${DEFAULT_SPEC}\`.`);
    return 2;
  }
  if (options.generate) {
    const code = await generate({ root: io.root, mode: 'write' }, (line) => {
      if (!line.startsWith('  same')) io.out(line);
    });
    if (code !== 0) return code;
  }
  const [model] = await loadServiceModels(io.root, [specFile]);
  if (!model) throw new LocalCloudError(`${path.relative(io.root, specFile)} holds no service.`);
  const scenarioFile = scenarioPath(specFile);
  const scenario = existsSync(scenarioFile) ? await loadScenario(scenarioFile) : undefined;

  const startedAt = Date.now();
  const printer = createTracePrinter({ write: io.out, startedAt, logs: options.logs });
  io.out(`Local cloud: service ${model.service} (${model.sourceFile}); time scale ${describeScale(options.factor)}.`);
  const cloud = await startWithSignals({ root: io.root, models: [model], timeScale: timeScale(options.factor), trace: printer });
  try {
    const service = cloud.services[model.service];
    if (!service) throw new LocalCloudError(`service ${model.service} did not start`);
    emit(printer, { type: 'note', level: 'info', text: readyText(cloud, model, Date.now() - startedAt) });
    if (scenario) {
      io.out(`Scenario (${path.relative(io.root, scenarioFile)}): ${scenario.description}`);
      const result = await scenario.run({
        model, resources: service.resources, clients: cloud.clients,
        ...(service.httpUrl ? { httpUrl: service.httpUrl } : {}),
        waitForIdle: (o) => cloud.waitForIdle(o),
        counts: () => cloud.counters.snapshot(),
        note: (text) => emit(printer, { type: 'note', level: 'info', text }),
      });
      io.out('');
      for (const line of functionTable(cloud, model)) io.out(line);
      io.out('');
      for (const line of summaryTable(result)) io.out(line);
      const passed = scenarioPassed(result);
      io.out('');
      io.out(passed
        ? `Scenario passed in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: every count as expected, none lost.`
        : 'Scenario FAILED: some counts differ from what the scenario implies (see ✗ above), or records were lost.');
      return passed ? 0 : 1;
    }
    io.out('No scenario file beside the spec: sending one synthetic event through every trigger.');
    const report = await runSynthetic(cloud, model, (text) => emit(printer, { type: 'note', level: 'info', text }));
    io.out('');
    for (const line of report.lines) io.out(line);
    io.out('');
    io.out(report.passed
      ? 'Every function was invoked through its trigger and succeeded.'
      : 'Some functions failed or were not reached (see above): their handlers or triggers need a look.');
    return report.passed ? 0 : 1;
  } finally {
    await cloud.stop();
  }
}

/**
 * `npm run dev`: the cloud stays up until Ctrl-C. Changed code under src/ is rebuilt and handed to new
 * environments (as a deploy does); a changed spec needs a restart, which the trace says.
 */
async function dev(positionals: readonly string[], options: StartOptions, io: CliIo): Promise<number> {
  const files = positionals.map((file) => path.resolve(io.root, file));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    io.err(`${missing.map((file) => path.relative(io.root, file)).join(', ')}: no such spec file.`);
    return 2;
  }
  if (options.generate) {
    const code = await generate({ root: io.root, mode: 'write' }, (line) => {
      if (!line.startsWith('  same')) io.out(line);
    });
    if (code !== 0) return code;
  }
  const models = await loadServiceModels(io.root, files.length > 0 ? files : undefined);
  if (models.length === 0) throw new LocalCloudError('No spec found under specs/. Fix: create one with `npm run new:service -- <name>`.');
  const startedAt = Date.now();
  const printer = createTracePrinter({ write: io.out, startedAt, logs: options.logs });
  io.out(`Local cloud (dev): ${models.map((m) => m.service).join(', ')}; time scale ${describeScale(options.factor)}.`);
  const cloud = await startLocalCloud({ root: io.root, models, timeScale: timeScale(options.factor), trace: printer });
  const stateFile = stateFilePath(io.root);
  const state = keepStateFile(cloud, stateFile);
  await state.flush();
  for (const model of models) emit(printer, { type: 'note', level: 'info', text: readyText(cloud, model, Date.now() - startedAt) });
  io.out(`State: ${path.relative(io.root, stateFile)} (for the MCP server). Watching src/ for changes; Ctrl-C to stop.`);

  const stopWatching = watchSources(io.root, {
    onCode: async () => {
      try {
        await cloud.reload();
        emit(printer, { type: 'note', level: 'info', text: 'Code changed: rebuilt; the next invocations run it in new environments.' });
      } catch (error) {
        emit(printer, { type: 'note', level: 'warn', text: `Code changed but does not build; the previous code keeps running.\n${error instanceof Error ? error.message : String(error)}` });
      }
    },
    onSpec: (file) => emit(printer, { type: 'note', level: 'warn', text: `${file} changed: run \`npm run generate\` and restart \`npm run dev\` (resources are made at start).` }),
  });

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      io.out(`\n${signal}: stopping the local cloud...`);
      resolve();
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
  });
  stopWatching();
  await state.stop();
  await cloud.stop();
  io.out('Stopped; state file removed.');
  return 0;
}

/** Watches src/ (code) and specs/ (specs); calls back at most once per burst of changes. */
function watchSources(root: string, on: { onCode: () => Promise<void>; onSpec: (file: string) => void }): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const codeWatcher = watch(path.join(root, 'src'), { recursive: true }, (_event, file) => {
    if (!file || !/\.(?:ts|js|mjs|cjs|json)$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(on.onCode);
    }, 200);
  });
  const specWatcher = watch(path.join(root, 'specs'), { recursive: false }, (_event, file) => {
    if (file && /\.ya?ml$/.test(file)) on.onSpec(path.posix.join('specs', file));
  });
  return () => {
    clearTimeout(timer);
    codeWatcher.close();
    specWatcher.close();
  };
}

interface InvokeOptions extends StartOptions {
  readonly event: string | undefined;
  readonly spec: string | undefined;
}

/** `npm run invoke -- <function> --event <file|factory>`: one invocation, its response and its logs. */
async function invoke(positionals: readonly string[], options: InvokeOptions, io: CliIo): Promise<number> {
  const [functionId, ...extra] = positionals;
  if (!functionId || extra.length > 0) {
    io.err(`Give one function ID.\n${USAGE}`);
    return 2;
  }
  if (options.generate) {
    const code = await generate({ root: io.root, mode: 'write' }, (line) => {
      if (/^\s+(create|update|delete)/.test(line)) io.out(line);
    });
    if (code !== 0) return code;
  }
  const models = await loadServiceModels(io.root, options.spec ? [path.resolve(io.root, options.spec)] : undefined);
  const owners = models.filter((m) => Object.hasOwn(m.functions, functionId));
  if (owners.length !== 1) {
    const known = models.flatMap((m) => Object.keys(m.functions).map((id) => `${id} (${m.sourceFile})`));
    io.err(owners.length === 0
      ? `No spec declares a function ${functionId}. Functions: ${known.join(', ') || 'none'}.`
      : `Several specs declare ${functionId} (${owners.map((m) => m.sourceFile).join(', ')}). Fix: add --spec <file>.`);
    return 2;
  }
  const [model] = owners as [ServiceModel];
  const fn = model.functions[functionId];
  if (!fn) return 2;
  let event: unknown;
  try {
    event = await eventFor(options.event, model, fn, io.root);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }

  const lines: string[] = [];
  const trace: Trace = (e) => {
    if (e.type === 'log' && e.fn === functionId) lines.push(e.text.trimEnd());
    if (e.type === 'init' && e.fn === functionId) io.out(`INIT ${Math.round(e.durationMs)} ms${e.error ? ` failed: ${e.error.errorType}: ${e.error.errorMessage}` : ''}`);
    if (e.type === 'note' && e.level === 'warn') io.err(`warning: ${e.text}`);
  };
  const cloud = await startWithSignals({ root: io.root, models: [model], timeScale: timeScale(options.factor), trace });
  try {
    const outcome = await cloud.services[model.service]?.host.invoke(functionId, event, { mode: 'sync' });
    if (!outcome) throw new LocalCloudError(`service ${model.service} did not start`);
    if (lines.length > 0) {
      io.out('Logs:');
      for (const line of lines) io.out(`  ${line}`);
    }
    if (outcome.status === 'throttled') {
      io.out('Throttled (reserved concurrency 0?).');
      return 1;
    }
    io.out(`Duration ${Math.round(outcome.durationMs)} ms, request ${outcome.requestId}`);
    if (outcome.status === 'error') {
      io.out(`Error (${outcome.kind}):`);
      io.out(JSON.stringify(outcome.error, null, 2));
      return 1;
    }
    io.out('Response:');
    io.out(JSON.stringify(outcome.response, null, 2) ?? 'null');
    return 0;
  } finally {
    await cloud.stop();
  }
}

/** The event of `npm run invoke`: a JSON file, or one built by a factory named after the trigger. */
async function eventFor(spec: string | undefined, model: ServiceModel, fn: ServiceModel['functions'][string], root: string): Promise<unknown> {
  const factory = spec ?? fn.trigger.type;
  const file = path.resolve(root, factory);
  if (spec !== undefined && (spec.endsWith('.json') || existsSync(file))) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch (error) {
      throw new LocalCloudError(`${spec}: not a readable JSON event (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
    }
  }
  const event = defaultEvent(factory, model, fn);
  if (event === undefined) {
    throw new LocalCloudError(`--event ${factory}: neither a JSON file nor a factory. Factories: ${EVENT_FACTORIES.join(', ')} (default: the function's trigger type).`);
  }
  return event;
}

/** Starts the cloud and stops it on Ctrl-C, SIGTERM or SIGHUP before exiting, so nothing is left running. */
async function startWithSignals(options: Parameters<typeof startLocalCloud>[0]): Promise<LocalCloud> {
  const cloud = await startLocalCloud(options);
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping the local cloud...\n`);
    void cloud.stop().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
  return cloud;
}

async function loadScenario(file: string): Promise<Scenario> {
  const loaded = (await import(pathToFileURL(file).href)) as { default?: Scenario };
  const scenario = loaded.default;
  if (!scenario || typeof scenario.run !== 'function') {
    throw new LocalCloudError(`${file}: a scenario file must \`export default defineScenario({ description, run })\`, with \`import { defineScenario } from '@kiro-serverless/local-cloud/scenario'\`.`);
  }
  return scenario;
}

function parseFactor(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 && value <= 1 ? value : undefined;
}

function describeScale(factor: number): string {
  if (factor === 1) return '1 (real time)';
  return `${Number(factor.toFixed(6))} (one AWS minute takes ${(60 * factor).toFixed(2).replace(/\.?0+$/, '')} s here: retries, back-off, visibility timeouts and record ages are shrunk; function timeouts are not)`;
}

function readyText(cloud: LocalCloud, model: ServiceModel, elapsedMs: number): string {
  const service = cloud.services[model.service];
  const lines = [
    `Ready in ${(elapsedMs / 1000).toFixed(1)} s: DynamoDB Local ${cloud.endpoints.dynamoDb}, fauxqs (SQS, SNS, S3) ${cloud.endpoints.fauxqs}`,
  ];
  if (service?.httpUrl) {
    for (const route of httpRoutesOf(model)) lines.push(`  ${route.method} ${service.httpUrl}${route.path} → ${route.functionId}`);
  }
  return lines.join('\n');
}

/** Per function: INITs and invocations (the INIT-once, warm-after picture). */
function functionTable(cloud: LocalCloud, model: ServiceModel): string[] {
  const counts = cloud.counters.snapshot();
  const ids = Object.keys(model.functions);
  const width = Math.max('function'.length, ...ids.map((id) => id.length));
  const lines = [`${'function'.padEnd(width)}  INITs  invocations  errors  throttles`];
  for (const id of ids) {
    const c = counts.functions[id];
    lines.push(`${id.padEnd(width)}  ${String(c?.inits ?? 0).padStart(5)}  ${String(c?.invocations ?? 0).padStart(11)}  ${String(c?.errors ?? 0).padStart(6)}  ${String(c?.throttles ?? 0).padStart(9)}`);
  }
  return lines;
}

const invokedAs = process.argv[1] ?? '';
if (invokedAs.endsWith(path.join('local-cloud', 'src', 'cli.ts'))) {
  const [command = 'start', ...rest] = process.argv.slice(2);
  process.exitCode = await main(command, rest, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    root: process.cwd(),
  });
}
