/**
 * `npm run bench [-- --quick] [-- --skip-test-suite] [-- --only <sections>]`: measures what a user of
 * the template pays (bundle size, cold start, warm overhead, client scope, failure economics, tooling
 * time, the development loop), each figure beside its baseline in the same run, prints the markdown
 * table and writes docs/benchmarks.md. `--only` runs some sections (by name, comma-separated) and
 * writes no file unless `--out` is given, so that a partial run never replaces the full figures.
 * Exits 1 when a function's bundle is over its budget (infra/bundle-budgets.json) or a section
 * failed; 2 for a usage error.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { enforceBudgets, readBudgets } from './budget.js';
import { buildRunner } from './child.js';
import { coldStarts } from './cold-start.js';
import { REPORT_FILE } from './constants.js';
import { BudgetExceededError } from './errors.js';
import { failureEconomics } from './failures.js';
import { developmentLoop } from './loop.js';
import { startBenchCloud, type BenchCloud } from './local.js';
import { markdownTable, reportDocument } from './report.js';
import { bundleSizes } from './sizes.js';
import { toolingTimes } from './tooling.js';
import type { BenchOptions, BenchRow, SectionResult } from './types.js';
import { clientScope, warmOverhead } from './warm.js';

/** Section names for `--only`. */
export const SECTIONS = ['bundle', 'cold-start', 'warm', 'client-scope', 'failures', 'tooling', 'loop'] as const;
type SectionName = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench [-- --quick] [-- --skip-test-suite] [-- --only ${SECTIONS.join(',')}] [-- --out docs/benchmarks.md]`;
/** The project: `npm run bench` runs at its root. */
const ROOT = process.cwd();

export async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' }, 'skip-test-suite': { type: 'boolean' }, out: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const quick = values.quick === true;
  const only = values.only === undefined ? undefined : values.only.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = (only ?? []).filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0 || (only !== undefined && only.length === 0)) {
    console.error(`--only takes section names (${SECTIONS.join(', ')}); got ${values.only ?? ''}.\n${USAGE}`);
    return 2;
  }
  const selected = (name: SectionName): boolean => only === undefined || only.includes(name);
  const skipTestSuite = values['skip-test-suite'] === true;
  /** The full test run is timed once, by the development loop (item 7), when that runs. */
  const loopRunsTestSuite = selected('loop') && !quick && !skipTestSuite;
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const start = Date.now();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  const log = (line: string) => console.error(line);
  const options: BenchOptions = { root: ROOT, quick, workDir, log };
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const errors: string[] = [];
  let budgetError: BudgetExceededError | undefined;

  const section = async (name: string, run: () => Promise<SectionResult>): Promise<SectionResult | undefined> => {
    const began = Date.now();
    log(`${name} ...`);
    try {
      const result = await run();
      rows.push(...result.rows);
      notes.push(...(result.notes ?? []));
      log(`${name}: ${((Date.now() - began) / 1000).toFixed(1)} s`);
      return result;
    } catch (error) {
      errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      log(`${name} FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return undefined;
    }
  };

  try {
    if (selected('bundle')) {
      const sizes = await section('1 bundle size', () => bundleSizes(options));
      if (sizes !== undefined && 'sizes' in sizes) {
        try {
          enforceBudgets(await readBudgets(ROOT), sizes.sizes as ReadonlyMap<string, number>);
        } catch (error) {
          if (!(error instanceof BudgetExceededError)) throw error;
          budgetError = error;
        }
      }
    }
    if (['cold-start', 'warm', 'client-scope', 'failures'].some((name) => selected(name as SectionName))) {
      const runner = await buildRunner(workDir);
      let cloud: BenchCloud | undefined;
      try {
        log('starting the local emulators (DynamoDB Local, fauxqs) ...');
        cloud = await startBenchCloud(ROOT, workDir);
        const up = cloud;
        if (selected('cold-start')) await section('2 cold start', () => coldStarts(options, up, runner));
        if (selected('warm')) await section('3 warm overhead', () => warmOverhead(options, up));
        if (selected('client-scope')) await section('4 client scope', () => clientScope(options, up));
        if (selected('failures')) await section('5 failure economics', () => failureEconomics(options, up));
      } catch (error) {
        errors.push(`local cloud: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await cloud?.stop();
      }
    }
    if (selected('tooling')) {
      await section('6 tooling time', async () => {
        const result = await toolingTimes({ ...options, skipTestSuite: skipTestSuite || loopRunsTestSuite });
        // Its "skipped" note would be wrong: the development loop times the full run (item 7).
        return loopRunsTestSuite ? { ...result, notes: (result.notes ?? []).filter((note) => !note.includes('--skip-test-suite')) } : result;
      });
    }
    if (selected('loop')) await section('7 development loop', () => developmentLoop({ ...options, skipTestSuite }));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const sorted = [...rows].sort((a, b) => a.item - b.item);
  const table = markdownTable(sorted);
  console.log(table);
  const flags = [quick ? '--quick' : '', skipTestSuite ? '--skip-test-suite' : '', only === undefined ? '' : `--only ${only.join(',')}`].filter((f) => f !== '');
  const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
  const document = reportDocument({
    startedAt, command, quick, wallMs: Date.now() - start, loadBefore, loadAfter: os.loadavg(),
    rows: sorted, notes, growth: sorted.filter((row) => row.item === 6), errors,
  });
  if (only === undefined || values.out !== undefined) {
    const out = path.resolve(ROOT, values.out ?? REPORT_FILE);
    await writeFile(out, document);
    console.log(`\nWrote ${path.relative(ROOT, out)} in ${((Date.now() - start) / 1000).toFixed(0)} s.`);
  } else {
    console.log(`\n--only: ${REPORT_FILE} is left as it is (give --out <file> to write this partial run); ${((Date.now() - start) / 1000).toFixed(0)} s.`);
  }
  for (const error of errors) console.error(`FAILED ${error}`);
  if (budgetError !== undefined) console.error(budgetError.message);
  return errors.length > 0 || budgetError !== undefined ? 1 : 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
