/**
 * `npm run generate [-- --check | --dry-run]`: turns every valid spec into generated files and
 * scaffolds. `--check` writes nothing and exits 1 if anything generated is stale, missing or
 * orphaned; `--dry-run` prints what a run would do.
 */
import { parseArgs } from 'node:util';
import { loadServiceModels } from '../spec/check.js';
import { SpecError, SpecValidationError } from '../spec/errors.js';
import { GenerateError } from './errors.js';
import { planFiles } from './plan.js';
import { PROJECT_RENDERERS, SERVICE_RENDERERS } from './renderers.js';
import { statusOf } from './status.js';
import type { Change } from './sync.js';
import { Action, applyReport, diffPlan, pendingChanges } from './sync.js';

const USAGE = 'Usage: npm run generate [-- --check | --dry-run]';
const LABEL: Record<Action, string> = {
  create: 'create', update: 'update', delete: 'delete', unchanged: 'same', kept: 'keep', abandoned: 'abandoned',
};

export interface GenerateOptions {
  readonly root: string;
  readonly mode: 'write' | 'check' | 'dry-run';
}

export async function generate({ root, mode }: GenerateOptions, out: (s: string) => void): Promise<number> {
  const models = await loadServiceModels(root);
  const report = await diffPlan(planFiles(models, SERVICE_RENDERERS, PROJECT_RENDERERS), root);
  const pending = pendingChanges(report);
  const abandoned = report.changes.filter((c) => c.action === Action.Abandoned);
  const conflicts = report.conflicts.map((p) => `  conflict  ${p} (no generated header: the generator will not overwrite it)`);

  if (mode === 'check') {
    const status = statusOf(report, models.length);
    if (status.pending.length === 0 && status.conflicts.length === 0) {
      out(`Generated files are up to date (${report.changes.length} files, ${models.length} spec(s)).`);
      return 0;
    }
    out('Generated files are out of date:');
    for (const p of status.pending) out(`  ${p.state.padEnd(8)}  ${p.path}`);
    for (const line of conflicts) out(line);
    out('Fix: run `npm run generate` and commit the result (business logic belongs in src/handlers/, never in generated files).');
    return 1;
  }
  if (mode === 'dry-run') {
    for (const c of report.changes) out(`  ${LABEL[c.action].padEnd(9)} ${c.path}`);
    for (const line of conflicts) out(line);
    out(`Dry run: ${summary(report.changes)}; nothing written.`);
    return conflicts.length > 0 ? 1 : 0;
  }
  await applyReport(report, root);
  for (const c of pending) out(`  ${LABEL[c.action].padEnd(9)} ${c.path}`);
  for (const c of abandoned) out(`  note: ${c.path} belongs to no function in the specs; it was left in place (delete it if it is no longer needed).`);
  out(`Generated from ${models.length} spec(s): ${summary(report.changes)}.`);
  return 0;
}

function summary(changes: readonly Change[]): string {
  const count = (a: Action) => changes.filter((c) => c.action === a).length;
  return `${count(Action.Create)} created, ${count(Action.Update)} updated, ${count(Action.Delete)} deleted, ${count(Action.Unchanged)} unchanged, ${count(Action.Kept)} user file(s) kept`;
}

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void, root = process.cwd()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { check: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (values.check && values['dry-run']) {
    err(`--check and --dry-run exclude each other.\n${USAGE}`);
    return 2;
  }
  try {
    return await generate({ root, mode: values.check ? 'check' : values['dry-run'] ? 'dry-run' : 'write' }, out);
  } catch (e) {
    if (e instanceof SpecValidationError) {
      err(`Nothing generated: ${e.message}`);
      return 1;
    }
    if (e instanceof GenerateError || e instanceof SpecError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1]?.endsWith('tools/generate/cli.ts')) {
  process.exitCode = await main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
}
