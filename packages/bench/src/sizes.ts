/**
 * Item 1: the bundle size of every function of the project (its own specs: what the user ships and
 * what the budgets in infra/bundle-budgets.json hold) built as the ServiceFunction construct builds
 * it, beside (a) the same entry with esbuild's defaults and (b) the SAM TypeScript + Powertools
 * baseline (packages/bench/src/baselines/sam-powertools.ts with SAM's esbuild settings); and its budget.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetOf, readBudgets } from './budget.js';
import {
  buildBundle, buildConstructBundles, constructBuildOptions, constructBundling, defaultBuildOptions, samBuildOptions, serviceFunctions,
} from './bundle.js';
import { BUDGET_FILE, BUNDLE_TARGET_RATIO } from './constants.js';
import { kb } from './format.js';
import { ratio } from './stats.js';
import type { BenchOptions, BenchRow, SectionResult } from './types.js';

export const SAM_BASELINE = fileURLToPath(new URL('./baselines/sam-powertools.ts', import.meta.url));
export const MINIMAL_BASELINE = fileURLToPath(new URL('./baselines/minimal.ts', import.meta.url));

export interface SizeResult extends SectionResult {
  /** Bytes of each function's bundle, by `<service>.<functionId>`. */
  readonly sizes: ReadonlyMap<string, number>;
}

export async function bundleSizes(options: BenchOptions): Promise<SizeResult> {
  const { root, workDir } = options;
  const outDir = path.join(workDir, 'sizes');
  const functions = await serviceFunctions(root);
  const budgets = await readBudgets(root);
  const ours = await buildConstructBundles(functions, root, path.join(outDir, 'construct'));
  const sam = await buildBundle(samBuildOptions(SAM_BASELINE, root, path.join(outDir, 'sam')));
  const minimal = await buildBundle(constructBuildOptions(await constructBundling('nodejs22.x', root), MINIMAL_BASELINE, root, path.join(outDir, 'minimal')));
  const rows: BenchRow[] = [];
  const sizes = new Map<string, number>();
  for (const fn of functions) {
    const bundle = ours.get(fn.key);
    if (bundle === undefined) continue;
    sizes.set(fn.key, bundle.bytes);
    const defaults = await buildBundle(defaultBuildOptions(fn.entry, root, path.join(outDir, 'defaults', fn.key)));
    const samRatio = ratio(bundle.bytes, sam.bytes);
    const budget = budgetOf(budgets, fn.key);
    rows.push(
      {
        item: 1, figure: `bundle ${fn.key} vs esbuild defaults (a)`, ours: kb(bundle.bytes), baseline: `(a) ${kb(defaults.bytes)}`,
        ratio: ratio(bundle.bytes, defaults.bytes),
        context: `gzip ${kb(bundle.gzipBytes)} vs ${kb(defaults.gzipBytes)}; source map ${kb(bundle.mapBytes)} (read at INIT: the construct sets --enable-source-maps)`,
      },
      {
        item: 1, figure: `bundle ${fn.key} vs SAM + Powertools (b)`, ours: kb(bundle.bytes), baseline: `(b) ${kb(sam.bytes)}`,
        ratio: samRatio, target: `<= ${BUNDLE_TARGET_RATIO.toFixed(2)}`, met: samRatio <= BUNDLE_TARGET_RATIO,
        context: `gzip ${kb(bundle.gzipBytes)} vs ${kb(sam.gzipBytes)}`,
      },
      {
        item: 1, figure: `bundle ${fn.key} vs its budget`, ours: kb(bundle.bytes), baseline: `budget ${kb(budget)}`,
        ratio: ratio(bundle.bytes, budget), target: '<= 1.00', met: bundle.bytes <= budget,
        context: `${bundle.bytes} of ${budget} bytes (${BUDGET_FILE})`,
      },
    );
  }
  rows.push({
    item: 1, figure: 'bundle minimal bundled-SDK handler (context)', ours: kb(minimal.bytes), baseline: `(b) ${kb(sam.bytes)}`,
    ratio: ratio(minimal.bytes, sam.bytes),
    context: 'one DynamoDB document client and one write, built like ours: the floor any function with the SDK bundled starts from',
  });
  return {
    rows,
    sizes,
    notes: [
      'Bundle sizes are bytes of the code file Lambda loads (index.mjs), built with the options packages/constructs/src/function.ts ' +
      '`functionBundling` gives NodejsFunction, translated flag for flag (packages/bench/src/bundle.ts). (a) is the same entry with ' +
      '`esbuild --bundle --platform=node` and nothing else; (b) is packages/bench/src/baselines/sam-powertools.ts (Logger, Metrics, ' +
      'Tracer, a DynamoDB document client, one write per message) built with the SAM template\'s esbuild settings (CommonJS, ' +
      'minified, es2020, default main-before-module resolution, SDK bundled).',
    ],
  };
}
