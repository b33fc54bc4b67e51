/**
 * The first half of `npm run new:service -- <name> --replace-example`: which files of the example
 * service go, which are refused because the user changed them, and the edit of the bundle budgets,
 * worked out before anything is touched (`planReplaceExample`); then done (`applyReplacement`).
 *
 * A file of the example goes when it is as the template shipped it (its hash in the manifest), or
 * when it is generated (its header, whatever its content). A file the user changed, a file in one of
 * the example's folders that the template did not ship, and a file without the generated header
 * where the generator writes the example's files are refused, unless `force`.
 *
 * @module
 */
import { readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listSpecFiles } from '@kiro-serverless/model/check';
import { compareCodeUnits } from '@kiro-serverless/model/constants';
import { OWNED_DIRS, SCAFFOLD_DIRS, SPEC_DIR } from '@kiro-serverless/model/layout';
import { isGenerated } from './header.js';
import type { ExampleManifest } from './example/manifest.js';
import { generatedPathsOf, listFilesUnder, sha256Of } from './example/manifest.js';

/** Why a file of the example's is in the plan. */
export const ExampleFileState = {
  /** As the template shipped it (same hash). */
  AsShipped: 'as-shipped',
  /** Carries the generated header. */
  Generated: 'generated',
  /** Listed in the manifest, with other content now. */
  Changed: 'changed',
  /** In one of the example's folders, and not listed in the manifest. */
  Unknown: 'unknown',
  /** Where the generator writes the example's files, without the generated header. */
  NotGenerated: 'not-generated',
} as const;
export type ExampleFileState = (typeof ExampleFileState)[keyof typeof ExampleFileState];

export interface ExampleFile {
  /** Project-relative, forward slashes. */
  readonly path: string;
  readonly state: ExampleFileState;
}

/** The states whose files are deleted only with `--force`. */
export type ForcedState = 'changed' | 'unknown' | 'not-generated';

/** What a changed, unknown or header-less file is. */
export const FORCED_NOTE: Readonly<Record<ForcedState, string>> = {
  changed: 'changed since the template shipped it',
  unknown: 'not a file the template shipped with the example',
  'not-generated': 'has no generated header, so it is not the generator\'s',
};

/** Whether deleting a file in this state needs `--force`. */
export function needsForce(state: ExampleFileState): state is ForcedState {
  return state !== ExampleFileState.AsShipped && state !== ExampleFileState.Generated;
}

/** Why a file is refused without `--force`, and what to do. */
export function refusalOf(state: ForcedState): string {
  return `${FORCED_NOTE[state]}; ${state === 'changed' ? 'edit or move it' : 'move it'}, or pass --force`;
}

export interface BudgetEdit {
  /** The budget file, project-relative. */
  readonly file: string;
  /** Its `functions` entries of the example's service, which are dropped. */
  readonly drop: readonly string[];
  /** The other `functions` entries, kept (the `default` is always kept). */
  readonly keep: readonly string[];
}

export interface ReplacementPlan {
  /** The example's service. */
  readonly service: string;
  /** Files to delete, sorted by path; changed or unknown ones only with `force`. */
  readonly remove: readonly ExampleFile[];
  /** Changed, unknown or header-less files that stop the replacement (none with `force`). */
  readonly refused: readonly ExampleFile[];
  /** Files of the example as shipped that are gone already. */
  readonly absent: readonly string[];
  /** The budget entries to drop; undefined when the file is absent or holds none of the example's. */
  readonly budgets: BudgetEdit | undefined;
  /** Specs of other services, left as they are. */
  readonly keptSpecs: readonly string[];
  /** Problems that stop the replacement besides refused files (a budget file that does not parse). */
  readonly problems: readonly string[];
}

export interface PlanOptions {
  /** Delete changed and unknown files too. @default false */
  readonly force?: boolean;
}

/** What replacing the example at `root` would remove, refuse, edit and keep. Reads, never writes. */
export async function planReplaceExample(root: string, manifest: ExampleManifest, options: PlanOptions = {}): Promise<ReplacementPlan> {
  const found: ExampleFile[] = [];
  const absent: string[] = [];
  const shipped = Object.entries(manifest.files);
  const contents = await Promise.all(shipped.map(([rel]) => readIfExists(path.join(root, rel))));
  shipped.forEach(([rel, hash], i) => {
    const content = contents[i];
    if (content === undefined) absent.push(rel);
    else found.push({ path: rel, state: sha256Of(content) === hash ? ExampleFileState.AsShipped : ExampleFileState.Changed });
  });
  const seen = new Set(shipped.map(([rel]) => rel));
  for (const folder of manifest.folders) {
    for (const rel of (await listFilesUnder(path.join(root, folder))).map((f) => `${folder}/${f}`)) {
      if (!seen.has(rel)) found.push({ path: rel, state: ExampleFileState.Unknown });
      seen.add(rel);
    }
  }
  const generated = generatedPathsOf(manifest);
  const generatedFiles = [...(await listFilesUnder(path.join(root, generated.folder))).map((f) => `${generated.folder}/${f}`), ...generated.files];
  for (const rel of generatedFiles.filter((f) => !seen.has(f))) {
    const content = await readIfExists(path.join(root, rel));
    if (content !== undefined) found.push({ path: rel, state: isGenerated(content.toString('utf8')) ? ExampleFileState.Generated : ExampleFileState.NotGenerated });
  }
  found.sort((a, b) => compareCodeUnits(a.path, b.path));
  const force = options.force === true;
  const removed = new Set(found.filter((f) => force || !needsForce(f.state)).map((f) => f.path));
  const { budgets, problems } = await planBudgets(root, manifest);
  return {
    service: manifest.service,
    remove: found.filter((f) => removed.has(f.path)),
    refused: found.filter((f) => !removed.has(f.path)),
    absent: absent.sort(compareCodeUnits),
    budgets,
    keptSpecs: (await listSpecFiles(root)).filter((f) => !removed.has(f) && !seen.has(f)),
    problems,
  };
}

/** Deletes the plan's files (and the folders they leave empty) and drops the example's budgets. */
export async function applyReplacement(plan: ReplacementPlan, root: string): Promise<void> {
  if (plan.refused.length > 0 || plan.problems.length > 0) throw new Error('applyReplacement: the plan has refused files or problems (a caller bug).');
  for (const file of plan.remove) await rm(path.join(root, file.path), { force: true });
  const folders = [...new Set(plan.remove.map((f) => path.posix.dirname(f.path)))].sort((a, b) => b.length - a.length);
  for (const folder of folders) await removeEmptyFolders(root, folder);
  if (plan.budgets) {
    const file = path.join(root, plan.budgets.file);
    const data = JSON.parse(await readFile(file, 'utf8')) as { functions: Record<string, unknown> };
    const drop = new Set(plan.budgets.drop);
    data.functions = Object.fromEntries(Object.entries(data.functions).filter(([key]) => !drop.has(key)));
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`);
    await rename(temp, file);
  }
}

/** Folders that stay even when empty: the project's top-level folders and the generator's. */
const KEPT_FOLDERS: ReadonlySet<string> = new Set([SPEC_DIR, 'src', 'test', 'infra', '.kiro', ...OWNED_DIRS, ...SCAFFOLD_DIRS]);

/** Removes `folder` and its parents while they are empty, up to a kept folder. */
async function removeEmptyFolders(root: string, folder: string): Promise<void> {
  let current = folder;
  while (current !== '.' && current !== '' && !KEPT_FOLDERS.has(current)) {
    try {
      await rmdir(path.join(root, current));
    } catch {
      return;
    }
    current = path.posix.dirname(current);
  }
}

async function planBudgets(root: string, manifest: ExampleManifest): Promise<{ budgets: BudgetEdit | undefined; problems: string[] }> {
  const text = await readIfExists(path.join(root, manifest.budgetFile));
  if (text === undefined) return { budgets: undefined, problems: [] };
  let functions: unknown;
  try {
    functions = (JSON.parse(text.toString('utf8')) as { functions?: unknown }).functions;
  } catch (error) {
    return { budgets: undefined, problems: [`${manifest.budgetFile}: not JSON (${(error as Error).message}); fix it, then run the command again.`] };
  }
  if (functions === undefined) return { budgets: undefined, problems: [] };
  if (typeof functions !== 'object' || functions === null || Array.isArray(functions)) {
    return { budgets: undefined, problems: [`${manifest.budgetFile}: \`functions\` is not a map of "<service>.<function>" to bytes; fix it, then run the command again.`] };
  }
  const keys = Object.keys(functions);
  const drop = keys.filter((k) => k.startsWith(`${manifest.service}.`));
  return { budgets: drop.length === 0 ? undefined : { file: manifest.budgetFile, drop, keep: keys.filter((k) => !drop.includes(k)) }, problems: [] };
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
