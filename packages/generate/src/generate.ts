/**
 * The generator as a function: every valid spec under `root` turned into generated files and
 * scaffolds (`write`), compared with the tree (`check`), or listed (`dry-run`). The CLI
 * (`npm run generate`, cli.ts) and the local cloud (`npm start` regenerates first) call it.
 */
import { loadServiceModels } from '@kiro-serverless/model/check';
import { planFiles } from './plan.js';
import { PROJECT_RENDERERS, SERVICE_RENDERERS } from './renderers.js';
import { statusOf } from './status.js';
import type { Change } from './sync.js';
import { Action, applyReport, diffPlan, pendingChanges } from './sync.js';

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
