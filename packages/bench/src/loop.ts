/**
 * Item 7: the development loop, timed as the Kiro hooks run it (issue 14's targets). In a copy of
 * the project's HEAD (workspace-copy.ts), after one untimed run of the Stop hook (so that tsc's
 * incremental build, ESLint's and vitest's caches are as a previous turn left them):
 *
 * - the save hook for a changed handler file: a comment is appended to the first handler of the
 *   project's specs that has a test, then every PostFileSave hook whose matcher takes that path runs,
 *   one after the other, each with its own command and timeout from `.kiro/hooks/`;
 * - the Stop hook, with that change in the work tree;
 * - the full `npm test`, as the README and CI run it (not in --quick or --skip-test-suite).
 *
 * Each is compared with the figure before the fast loop (the baselines below) and its target.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadServiceModels } from '@kiro-serverless/model/check';
import { handlerPath, handlerTestPath } from '@kiro-serverless/model/layout';
import { runChild } from './child.js';
import { seconds, times } from './format.js';
import { readCommandHooks, saveHooks, stopHooks, type CommandHook } from './kiro-hooks.js';
import { ratio } from './stats.js';
import type { BenchOptions, BenchRow, SectionResult } from './types.js';
import { copyWorkspace } from './workspace-copy.js';

/** The item number of the development loop in the table. */
export const LOOP_ITEM = 7;

/** Issue 14's targets, in seconds. */
export const LOOP_TARGETS = { saveHook: 10, stopHook: 90, fullTest: 150 } as const;

/**
 * The figures before the fast loop (issue 14, measured on this 2-core machine), the baselines of
 * item 7. Ratios are taken against `seconds`: the low end of a range, so that they flatter nothing.
 */
export const LOOP_BASELINES = {
  saveHook: { seconds: 15, text: 'before: 15-35 s (lint:changed on the whole project\'s types, vitest run --changed with DynamoDB Local)' },
  stopHook: { seconds: 300, text: 'before: 5-13 min (npm run check)' },
  fullTest: { seconds: 287.4, text: 'before: 287 s (npm run bench, 2026-11-22; about 245 s idle)' },
} as const;

/** What the full `npm test` may take before it is stopped. */
const FULL_TEST_TIMEOUT_MS = 1_800_000;

/** The line appended to the handler: a change git, ESLint and vitest all see. */
const CHANGE = '\n// Changed by npm run bench (development loop): the save hook runs on this file.\n';

interface Timed {
  readonly label: string;
  readonly ms: number;
  readonly code: number | null;
  readonly output: string;
}

/** Runs `command` in a shell in `cwd`, as a hook runs it, stopped after `timeoutMs`. */
async function timeCommand(label: string, command: string, cwd: string, timeoutMs: number): Promise<Timed> {
  const result = await runChild('sh', ['-c', command], {
    cwd, timeoutMs, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  // eslint-disable-next-line no-control-regex
  const output = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  return { label, ms: result.wallMs, code: result.code, output };
}

/** `N tests in M files` from vitest's summary lines in `output` (the last run's, when there are several). */
export function testCounts(output: string): { tests: number; failed: number; files: number } | undefined {
  const tests = [...output.matchAll(/Tests\s+(?:(\d+) failed \| )?(\d+) passed(?: \| (\d+) skipped)?/g)].at(-1);
  const files = [...output.matchAll(/Test Files\s+(?:(\d+) failed \| )?(\d+) passed/g)].at(-1);
  if (tests === undefined) return undefined;
  const failed = Number(tests[1] ?? 0);
  return {
    tests: failed + Number(tests[2] ?? 0) + Number(tests[3] ?? 0),
    failed,
    files: files === undefined ? 0 : Number(files[1] ?? 0) + Number(files[2] ?? 0),
  };
}

const exitText = (run: Timed): string => (run.code === 0 ? 'exit 0' : `**exit ${String(run.code)}**`);

function countsText(run: Timed): string {
  const counts = testCounts(run.output);
  if (counts === undefined) return '';
  return `; ${counts.tests} tests in ${counts.files} file${counts.files === 1 ? '' : 's'}${counts.failed > 0 ? `, ${counts.failed} failed` : ''}`;
}

/** The first handler of the project's specs that has a test file, project-relative. */
async function handlerToChange(root: string): Promise<string | undefined> {
  for (const model of await loadServiceModels(root)) {
    for (const fn of Object.values(model.functions)) {
      const file = handlerPath(model, fn);
      if (existsSync(path.join(root, file)) && existsSync(path.join(root, handlerTestPath(model, fn)))) return file;
    }
  }
  return undefined;
}

async function runHooks(hooks: readonly CommandHook[], cwd: string): Promise<Timed[]> {
  const runs: Timed[] = [];
  for (const hook of hooks) runs.push(await timeCommand(hook.command, hook.command, cwd, hook.timeout * 1000));
  return runs;
}

const total = (runs: readonly Timed[]): number => runs.reduce((sum, run) => sum + run.ms, 0);
const allPassed = (runs: readonly Timed[]): boolean => runs.every((run) => run.code === 0);

function row(figure: string, runs: readonly Timed[], baseline: { seconds: number; text: string }, target: number, context: string): BenchRow {
  const ms = total(runs);
  return {
    item: LOOP_ITEM, figure, ours: seconds(ms), baseline: baseline.text, ratio: ratio(ms, baseline.seconds * 1000),
    target: `<= ${target} s`, met: ms <= target * 1000 && allPassed(runs), context,
  };
}

export async function developmentLoop(options: BenchOptions & { readonly skipTestSuite: boolean }): Promise<SectionResult> {
  const copy = await copyWorkspace(options.root, options.workDir);
  try {
    const hooks = await readCommandHooks(copy);
    const stop = stopHooks(hooks);
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    let warmUp: Timed[] = [];
    if (!options.quick) {
      warmUp = await runHooks(stop, copy);
      options.log(`  loop: Stop hook, first run (untimed warm-up) ${seconds(total(warmUp))}`);
    }

    const handler = await handlerToChange(copy);
    if (handler === undefined) {
      notes.push('Development loop: no spec function has both a handler and a test file, so the save hook was not timed.');
    } else {
      await appendFile(path.join(copy, handler), CHANGE);
      const save = saveHooks(hooks, handler);
      const runs = await runHooks(save, copy);
      options.log(`  loop: save hook on ${handler} ${seconds(total(runs))}`);
      rows.push(row(
        `save hook, a changed handler (${save.map((h) => h.command).join(', then ')})`, runs, LOOP_BASELINES.saveHook, LOOP_TARGETS.saveHook,
        `${handler}: ${runs.map((r) => `${r.label} ${seconds(r.ms)} (${exitText(r)}${countsText(r)})`).join(' + ')}; ratio vs the low end`,
      ));
    }

    if (!options.quick) {
      const runs = await runHooks(stop, copy);
      options.log(`  loop: Stop hook ${seconds(total(runs))}`);
      rows.push(row(
        `Stop hook (${stop.map((h) => h.command).join(', then ')})`, runs, LOOP_BASELINES.stopHook, LOOP_TARGETS.stopHook,
        `${runs.map((r) => `${exitText(r)}${countsText(r)}`).join('; ')}; with one handler changed, after a first run ` +
        `(${seconds(total(warmUp))}, cold tsc and caches); ratio vs the low end`,
      ));
    }

    if (!options.quick && !options.skipTestSuite) {
      const run = await timeCommand('npm test', 'npm test', copy, FULL_TEST_TIMEOUT_MS);
      options.log(`  loop: npm test ${seconds(run.ms)}`);
      const counts = testCounts(run.output);
      rows.push(row('full npm test (every tier)', [run], LOOP_BASELINES.fullTest, LOOP_TARGETS.fullTest,
        `${exitText(run)}${countsText(run)}${counts === undefined || counts.tests === 0 ? '' : `, ${seconds(run.ms / counts.tests)} per test on average`}`));
    }

    notes.push(
      'Development loop (item 7): timed in a local git clone of the project\'s HEAD whose node_modules links to the project\'s packages ' +
      '(caches of its own), each command run with `sh -c` as the hook runs it, with the hook\'s timeout (`.kiro/hooks/*.json`). The Stop hook ' +
      'runs once untimed first, as a previous turn would have, then a comment is appended to a handler and the save hooks that match its path ' +
      'run one after the other, then the Stop hook again. The full test run is `npm test` in the same copy. Baselines are the figures before ' +
      `the fast loop (issue 14); ratios against the low end of a range. Targets: save hook <= ${LOOP_TARGETS.saveHook} s, Stop hook <= ` +
      `${LOOP_TARGETS.stopHook} s, npm test <= ${LOOP_TARGETS.fullTest} s, each with exit 0. Ratios read as: ${times(0.5)} = half the time of before.`,
    );
    if (options.quick) notes.push('Quick mode: the development loop times the save hook only (on a fresh copy: cold caches).');
    else if (options.skipTestSuite) notes.push('The full npm test was skipped (--skip-test-suite).');
    return { rows, notes };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
