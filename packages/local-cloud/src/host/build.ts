/**
 * Bundles function entry modules (TypeScript) for the local cloud the way the CDK deploy bundles them
 * (packages/constructs/src/function.ts: ESM, platform node, mainFields module then main, the createRequire
 * banner), but for this machine: target node20, not minified, with linked source maps so that stack
 * traces point at the .ts sources. One esbuild build covers every entry of a run, plus the worker
 * bootstrap (worker.ts), so that worker threads run plain JavaScript without a TypeScript loader.
 *
 * @example
 * const builder = await createFunctionBuilder({ functions: [{ id: 'api', entry: 'src/generated/api.ts' }], outDir });
 * const first = await builder.build();   // FunctionBuild: bundles by function ID, workerPath
 * const again = await builder.build();   // incremental rebuild after a save
 * await builder.dispose();
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { FunctionBuildError, FunctionHostOptionsError, type BuildIssue } from './errors.js';

/** One function to bundle. */
export interface FunctionEntry {
  /** The function ID of the model; names the bundle. */
  readonly id: string;
  /** Its entry module (TypeScript or JavaScript), absolute or relative to `projectRoot`. */
  readonly entry: string;
}

/** Options of {@link buildFunctions} and {@link createFunctionBuilder}. */
export interface BuildFunctionsOptions {
  readonly functions: readonly FunctionEntry[];
  /** Directory the bundles are written to (created if missing); the orchestrator passes `<root>/.local/build/...`. */
  readonly outDir: string;
  /** Root that relative entries and error locations are relative to; its tsconfig.json is used if present. @default process.cwd() */
  readonly projectRoot?: string;
  /** Source maps in a `.map` file next to each bundle, or inline in it. @default 'linked' */
  readonly sourcemap?: 'linked' | 'inline';
}

/** What a build wrote. */
export interface FunctionBuild {
  /** Absolute path of each function's bundle (an ES module), by function ID. */
  readonly bundles: Readonly<Record<string, string>>;
  /** Absolute path of the worker bootstrap bundle, for `createFunctionHost({ workerPath })`. */
  readonly workerPath: string;
}

/** An esbuild context over every entry: `build()` rebuilds incrementally; `dispose()` frees it. */
export interface FunctionBuilder {
  /** Builds (the first call) or rebuilds (later calls); throws {@link FunctionBuildError} on errors, leaving the last good bundles in place. Writes only changed files. */
  build(): Promise<FunctionBuild>;
  dispose(): Promise<void>;
}

/**
 * `require` for CommonJS dependencies bundled into an ESM bundle. The same text as packages/constructs/src/function.ts
 * `ESM_REQUIRE_BANNER` (a test holds them equal; not imported, to keep aws-cdk-lib out of the local cloud's start-up).
 *
 * @internal
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Node version of this machine (Lambda runs 22 or 24; the code must run on both). */
const LOCAL_TARGET = 'node20';
const WORKER_OUT = 'host/worker';
const WORKER_LABEL = '(function host worker)';

/** Bundles every entry once. Throws {@link FunctionBuildError} naming file, line:column and function for each error. */
export async function buildFunctions(options: BuildFunctionsOptions): Promise<FunctionBuild> {
  const builder = await createFunctionBuilder(options);
  try {
    return await builder.build();
  } finally {
    await builder.dispose();
  }
}

/** An incremental builder over every entry (esbuild `context()`), for the dev mode's reload. */
export async function createFunctionBuilder(options: BuildFunctionsOptions): Promise<FunctionBuilder> {
  const plan = planBuild(options);
  const context = await esbuild.context(plan.options);
  return {
    async build() {
      let result: esbuild.BuildResult;
      try {
        result = await context.rebuild();
      } catch (failure) {
        throw await describeFailure(failure, plan);
      }
      writeOutputs(result.outputFiles ?? []);
      return plan.result;
    },
    dispose: () => context.dispose(),
  };
}

interface BuildPlan {
  readonly options: esbuild.BuildOptions & { entryPoints: Record<string, string> };
  /** Output name (entryPoints key) to the function IDs (or the worker label) it builds. */
  readonly labels: ReadonlyMap<string, string>;
  readonly result: FunctionBuild;
  readonly projectRoot: string;
}

function planBuild(options: BuildFunctionsOptions): BuildPlan {
  const projectRoot = path.resolve(options.projectRoot ?? process.cwd());
  const outDir = path.resolve(projectRoot, options.outDir);
  const workerSource = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const issues: string[] = [];
  if (!existsSync(workerSource)) issues.push(`the worker bootstrap ${workerSource} is missing; run the local cloud from the repository sources (tsx), not from a bundle`);
  const entryPoints: Record<string, string> = { [WORKER_OUT]: workerSource };
  const labels = new Map<string, string>([[WORKER_OUT, WORKER_LABEL]]);
  const bundles: Record<string, string> = {};
  for (const fn of options.functions) {
    const out = `fn/${fn.id.replace(/[^\w.-]/g, '_')}`;
    const entry = path.resolve(projectRoot, fn.entry);
    if (labels.has(out)) issues.push(`function "${fn.id}" would share its bundle name with "${labels.get(out) ?? ''}"; give functions IDs that differ in letters, digits, '.', '_' or '-'`);
    else if (!existsSync(entry)) issues.push(`function "${fn.id}": entry ${entry} does not exist; run \`npm run generate\` or fix the entry path`);
    entryPoints[out] = entry;
    labels.set(out, fn.id);
    bundles[fn.id] = path.join(outDir, `${out}.mjs`);
  }
  if (issues.length > 0) throw new FunctionHostOptionsError(issues);
  const tsconfig = path.join(projectRoot, 'tsconfig.json');
  return {
    projectRoot,
    labels,
    result: { bundles, workerPath: path.join(outDir, `${WORKER_OUT}.mjs`) },
    options: {
      absWorkingDir: projectRoot,
      entryPoints,
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: LOCAL_TARGET,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: false,
      sourcemap: options.sourcemap ?? 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      // Written by writeOutputs, only when the build succeeds: an incremental esbuild context removes its
      // outputs when a rebuild fails, and environments starting meanwhile must still find the last good code.
      write: false,
      ...(existsSync(tsconfig) ? { tsconfig } : {}),
    },
  };
}

/** Writes changed outputs atomically (temp file, rename), so that a worker never imports a half-written bundle. */
function writeOutputs(files: readonly esbuild.OutputFile[]): void {
  for (const file of files) {
    if (existsSync(file.path) && Buffer.from(file.contents).equals(readFileSync(file.path))) continue;
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

/**
 * Turns an esbuild failure into a {@link FunctionBuildError}. esbuild does not say which entry an error
 * belongs to (a shared module can break several), so each entry is rebuilt alone, in memory, to find out.
 */
async function describeFailure(failure: unknown, plan: BuildPlan): Promise<unknown> {
  const errors = (failure as Partial<esbuild.BuildFailure> | null)?.errors;
  if (!Array.isArray(errors)) return failure;
  const owners = new Map<string, string[]>();
  await Promise.all([...plan.labels].map(async ([out, label]) => {
    const entry = plan.options.entryPoints[out];
    if (entry === undefined) return;
    try {
      await esbuild.build({ ...plan.options, entryPoints: { [out]: entry }, write: false });
    } catch (alone) {
      for (const message of (alone as Partial<esbuild.BuildFailure>).errors ?? []) {
        const key = issueKey(message);
        owners.set(key, [...(owners.get(key) ?? []), label]);
      }
    }
  }));
  const issues: BuildIssue[] = errors.map((message) => ({
    functionIds: [...(owners.get(issueKey(message)) ?? [])].sort(),
    ...(message.location
      ? { file: message.location.file, line: message.location.line, column: message.location.column + 1 }
      : {}),
    text: message.text,
  }));
  return new FunctionBuildError(issues, { cause: failure });
}

const issueKey = (message: esbuild.Message): string =>
  `${message.location?.file ?? ''}:${message.location?.line ?? ''}:${message.location?.column ?? ''}:${message.text}`;
