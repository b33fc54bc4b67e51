/**
 * Bundles for the size and cold-start figures. `constructBuildOptions` turns the ServiceFunction's
 * own bundling options (packages/constructs/src/function.ts `functionBundling`) into the esbuild call that
 * aws-cdk-lib's NodejsFunction makes with them (its `buildEsbuildArgs`: `--bundle entry --target
 * --platform=node --format --outfile=index.mjs --minify --sourcemap --sources-content=false
 * --external:... --tsconfig --banner:js --main-fields`, run from the project root), so that a bench
 * bundle is byte for byte the deployed one. Options the translation does not know are refused rather
 * than ignored. The two baselines: esbuild's defaults for a Node handler, and the SAM TypeScript +
 * Powertools template's esbuild settings.
 *
 * @module
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as esbuild from 'esbuild';
import { entryPath } from '@kiro-serverless/model/layout';
import { loadServiceModels } from '@kiro-serverless/model/check';
import type { LambdaRuntime } from '@kiro-serverless/constructs/function';
import { BenchError } from './errors.js';

/** A function of one of the project's specs, to bundle. */
export interface ProjectFunction {
  /** `<service>.<functionId>`: the key of the budget file. */
  readonly key: string;
  /** Entry, relative to the project root. */
  readonly entry: string;
  readonly runtime: LambdaRuntime;
}

/** What one build produced. */
export interface BundleResult {
  /** The code file (index.mjs or index.js). */
  readonly code: Uint8Array;
  /** Its size in bytes: what the budget limits and what Lambda loads at INIT. */
  readonly bytes: number;
  /** Gzip size of the code (close to its share of the deployment zip). */
  readonly gzipBytes: number;
  /** The source map's size, 0 without one. */
  readonly mapBytes: number;
}

/**
 * Every function of every spec under `root/specs` (the project's own functions, whatever they are;
 * none when it has no spec yet), in spec then function order.
 */
export async function serviceFunctions(root: string): Promise<ProjectFunction[]> {
  const models = await loadServiceModels(root);
  return models.flatMap((model) => Object.values(model.functions).map((fn) => ({
    key: `${model.service}.${fn.id}`,
    entry: entryPath(model, fn),
    runtime: fn.runtime,
  })));
}

/** The bundling options of a ServiceFunction with this runtime (loads aws-cdk-lib: a few seconds, once). */
export async function constructBundling(runtime: LambdaRuntime, projectRoot: string): Promise<BundlingOptions> {
  const { functionBundling } = await import('@kiro-serverless/constructs/function');
  return functionBundling(runtime, projectRoot);
}

/** Fields of BundlingOptions that `constructBuildOptions` translates or that do not change the bundle. */
const TRANSLATED = new Set([
  'minify', 'sourceMap', 'sourcesContent', 'mainFields', 'format', 'banner', 'target', 'externalModules',
  'bundleAwsSDK', 'forceDockerBundling', 'tsconfig',
]);

/** The esbuild build NodejsFunction runs for `bundling` (see the module doc); throws on options it does not translate. */
export function constructBuildOptions(bundling: BundlingOptions, entry: string, projectRoot: string, outDir: string): esbuild.BuildOptions {
  const unknown = Object.keys(bundling).filter((key) => !TRANSLATED.has(key) && bundling[key as keyof BundlingOptions] !== undefined);
  if (unknown.length > 0) {
    throw new BenchError(`packages/bench/src/bundle.ts does not translate the bundling option(s) ${unknown.join(', ')} of ` +
      'packages/constructs/src/function.ts; add them to constructBuildOptions (as aws-cdk-lib passes them to esbuild) so that the ' +
      'bench keeps building what the construct deploys.');
  }
  if (bundling.sourceMapMode !== undefined) throw new BenchError('sourceMapMode is not translated by packages/bench/src/bundle.ts');
  const format = bundling.format ?? 'cjs';
  // NodejsFunction: with bundleAwsSDK the externals are exactly externalModules; without it they default to @aws-sdk/*.
  const external = bundling.bundleAwsSDK === true ? [...(bundling.externalModules ?? [])] : [...(bundling.externalModules ?? ['@aws-sdk/*'])];
  return {
    absWorkingDir: projectRoot,
    entryPoints: [path.resolve(projectRoot, entry)],
    bundle: true,
    target: bundling.target,
    platform: 'node',
    format,
    outfile: path.join(outDir, format === 'esm' ? 'index.mjs' : 'index.js'),
    minify: bundling.minify === true,
    sourcemap: bundling.sourceMap === true ? 'linked' : false,
    sourcesContent: bundling.sourcesContent ?? true,
    external,
    ...(bundling.tsconfig === undefined ? {} : { tsconfig: bundling.tsconfig }),
    ...(bundling.banner === undefined ? {} : { banner: { js: bundling.banner } }),
    ...(bundling.mainFields === undefined ? {} : { mainFields: [...bundling.mainFields] }),
    logLevel: 'silent',
    write: false,
  };
}

/** Baseline (a): the same entry with esbuild's defaults for a Node handler (`--bundle --platform=node`, CommonJS, not minified, main before module). */
export function defaultBuildOptions(entry: string, projectRoot: string, outDir: string): esbuild.BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: [path.resolve(projectRoot, entry)],
    bundle: true,
    platform: 'node',
    outfile: path.join(outDir, 'index.js'),
    logLevel: 'silent',
    write: false,
  };
}

/**
 * Baseline (b): the esbuild settings of the SAM TypeScript + Powertools template (`BuildMethod:
 * esbuild`, `Minify: true`, `Target: es2020`, `Sourcemap: true`): CommonJS, default resolution (main
 * before module), the SDK bundled.
 */
export function samBuildOptions(entry: string, projectRoot: string, outDir: string): esbuild.BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: [path.resolve(projectRoot, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2020',
    minify: true,
    sourcemap: 'linked',
    outfile: path.join(outDir, 'app.js'),
    logLevel: 'silent',
    write: false,
  };
}

/**
 * Builds every function the way the construct does, in one esbuild call per runtime (entries keyed
 * `<key>/index`, so each output is named index.mjs as NodejsFunction names it; without code
 * splitting each entry is bundled on its own, the same bytes as one build per function).
 */
export async function buildConstructBundles(functions: readonly ProjectFunction[], projectRoot: string, outDir: string): Promise<Map<string, BundleResult>> {
  const results = new Map<string, BundleResult>();
  const runtimes = [...new Set(functions.map((fn) => fn.runtime))];
  await Promise.all(runtimes.map(async (runtime) => {
    const group = functions.filter((fn) => fn.runtime === runtime);
    const single = constructBuildOptions(await constructBundling(runtime, projectRoot), group[0]?.entry ?? '', projectRoot, outDir);
    const { outfile: _outfile, entryPoints: _entryPoints, ...shared } = single;
    const result = await esbuild.build({
      ...shared,
      entryPoints: Object.fromEntries(group.map((fn) => [`${fn.key}/index`, path.resolve(projectRoot, fn.entry)])),
      outdir: outDir,
      outExtension: single.format === 'esm' ? { '.js': '.mjs' } : {},
    });
    for (const fn of group) {
      const code = result.outputFiles?.find((f) => path.relative(outDir, f.path) === `${fn.key}/index${single.format === 'esm' ? '.mjs' : '.js'}`);
      const map = result.outputFiles?.find((f) => f.path === `${code?.path ?? ''}.map`);
      if (code === undefined) throw new BenchError(`esbuild wrote no bundle for ${fn.key} (${fn.entry})`);
      results.set(fn.key, {
        code: code.contents, bytes: code.contents.byteLength, gzipBytes: gzipSync(code.contents).byteLength, mapBytes: map?.contents.byteLength ?? 0,
      });
    }
  }));
  return results;
}

/** Runs a build in memory and measures it; with `write`, also writes the files (for the cold-start runs). */
export async function buildBundle(options: esbuild.BuildOptions, write = false): Promise<BundleResult & { readonly file: string }> {
  const result = await esbuild.build({ ...options, write: false });
  const files = result.outputFiles ?? [];
  const code = files.find((f) => !f.path.endsWith('.map'));
  if (code === undefined) throw new BenchError(`esbuild wrote no code for ${String(options.entryPoints)}`);
  const map = files.find((f) => f.path.endsWith('.map'));
  if (write) {
    const { mkdir, writeFile } = await import('node:fs/promises');
    for (const file of files) {
      await mkdir(path.dirname(file.path), { recursive: true });
      await writeFile(file.path, file.contents);
    }
  }
  return {
    file: code.path,
    code: code.contents,
    bytes: code.contents.byteLength,
    gzipBytes: gzipSync(code.contents).byteLength,
    mapBytes: map?.contents.byteLength ?? 0,
  };
}
