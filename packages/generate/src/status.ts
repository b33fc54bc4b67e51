/**
 * Whether the generated files match the specs, as data: what `npm run generate -- --check` prints
 * and what the MCP server's `get_generation_status` returns.
 *
 * @module
 */
import { loadServiceModels } from '@kiro-serverless/model/check';
import { planFiles } from './plan.js';
import { PROJECT_RENDERERS, SERVICE_RENDERERS } from './renderers.js';
import type { SyncReport } from './sync.js';
import { Action, diffPlan, pendingChanges } from './sync.js';

export type PendingState = 'missing' | 'stale' | 'orphaned';

export interface GenerationStatus {
  readonly specs: number;
  /** Files the specs call for (generated and scaffolded). */
  readonly files: number;
  /** Generated files that differ from what the generator would write now. */
  readonly pending: readonly { readonly path: string; readonly state: PendingState }[];
  /** Generated paths taken by files without the generated header (the generator will not overwrite them). */
  readonly conflicts: readonly string[];
  /** Handlers or tests of functions no longer in the specs (reported, never deleted). */
  readonly abandoned: readonly string[];
}

const STATE: Partial<Record<Action, PendingState>> = { create: 'missing', update: 'stale', delete: 'orphaned' };

export function statusOf(report: SyncReport, specs: number): GenerationStatus {
  return {
    specs,
    files: report.changes.filter((c) => c.action !== Action.Delete && c.action !== Action.Abandoned).length,
    pending: pendingChanges(report).map((c) => ({ path: c.path, state: STATE[c.action] ?? 'stale' })),
    conflicts: [...report.conflicts],
    abandoned: report.changes.filter((c) => c.action === Action.Abandoned).map((c) => c.path),
  };
}

/** The status of the project at `root`. Throws SpecValidationError when a spec has errors. */
export async function generationStatus(root: string): Promise<GenerationStatus> {
  const models = await loadServiceModels(root);
  return statusOf(await diffPlan(planFiles(models, SERVICE_RENDERERS, PROJECT_RENDERERS), root), models.length);
}
