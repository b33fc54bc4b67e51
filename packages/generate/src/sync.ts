/**
 * Compares a plan with the files on disk, and applies it: atomic writes, orphan deletion, and no
 * write at all when a file without the generated header stands in the way.
 */
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OwnershipConflictError } from './errors.js';
import { isGenerated } from './header.js';
import type { PlannedFile } from './plan.js';
import { entryPath, OWNED_DIRS, SCAFFOLD_DIRS, scaffoldOwner, typesPath } from '@kiro-serverless/model/layout';
import { FileKind } from './plan.js';

export const Action = {
  Create: 'create',
  Update: 'update',
  Delete: 'delete',
  Unchanged: 'unchanged',
  /** A scaffold that exists already: the user's file, left alone. */
  Kept: 'kept',
  /**
   * A handler or test whose function is gone from the spec (its generated files are deleted now, or
   * it still imports their types): reported, never deleted. Other files of the user's in the
   * scaffold folders (shared modules) are not reported.
   */
  Abandoned: 'abandoned',
} as const;
export type Action = (typeof Action)[keyof typeof Action];

export interface Change {
  readonly path: string;
  readonly action: Action;
  /** For create and update. */
  readonly content?: string;
}

export interface SyncReport {
  /** Sorted by path. */
  readonly changes: readonly Change[];
  /** Generated paths occupied by files without the header. */
  readonly conflicts: readonly string[];
}

/** Changes that make the tree differ from the plan (what `--check` fails on). */
export function pendingChanges(report: SyncReport): Change[] {
  return report.changes.filter((c) => c.action === Action.Create || c.action === Action.Update || c.action === Action.Delete);
}

export async function diffPlan(plan: readonly PlannedFile[], root: string): Promise<SyncReport> {
  const conflicts: string[] = [];
  const planned = new Set(plan.map((f) => f.path));
  const currents = await mapLimit(plan, IO_CONCURRENCY, (file) => readIfExists(path.join(root, file.path)));
  const changes: Change[] = [];
  plan.forEach((file, i) => {
    const current = currents[i];
    if (file.kind === FileKind.Scaffold) {
      changes.push(current === undefined ? { path: file.path, action: Action.Create, content: file.content } : { path: file.path, action: Action.Kept });
    } else if (current === undefined) {
      changes.push({ path: file.path, action: Action.Create, content: file.content });
    } else if (!isGenerated(current)) {
      conflicts.push(file.path);
    } else {
      changes.push(current === file.content ? { path: file.path, action: Action.Unchanged } : { path: file.path, action: Action.Update, content: file.content });
    }
  });
  const unplanned = async (dirs: readonly string[]) => (await Promise.all(dirs.map((d) => listFiles(root, d)))).flat().filter((rel) => !planned.has(rel));
  const orphans = await unplanned(OWNED_DIRS);
  const orphanContents = await mapLimit(orphans, IO_CONCURRENCY, (rel) => readIfExists(path.join(root, rel)));
  orphans.forEach((rel, i) => {
    const content = orphanContents[i];
    // A file of the user's in a generated folder is left alone: only marked files are ours.
    if (content !== undefined && isGenerated(content)) changes.push({ path: rel, action: Action.Delete });
  });
  const deleted = new Set(changes.filter((c) => c.action === Action.Delete).map((c) => c.path));
  const strays = await unplanned(SCAFFOLD_DIRS);
  const abandoned = await mapLimit(strays, IO_CONCURRENCY, (rel) => isAbandonedScaffold(root, rel, planned, deleted));
  strays.forEach((rel, i) => {
    if (abandoned[i] === true) changes.push({ path: rel, action: Action.Abandoned });
  });
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { changes, conflicts };
}

/** Applies a report from `diffPlan`. Refuses (writing nothing) if it has conflicts. */
export async function applyReport(report: SyncReport, root: string): Promise<void> {
  if (report.conflicts.length > 0) throw new OwnershipConflictError(report.conflicts);
  const writes = report.changes.filter((c) => (c.action === Action.Create || c.action === Action.Update) && c.content !== undefined);
  const dirs = [...new Set(writes.map((c) => path.dirname(path.join(root, c.path))))];
  await mapLimit(dirs, IO_CONCURRENCY, (dir) => mkdir(dir, { recursive: true }));
  await mapLimit(writes, IO_CONCURRENCY, async (change) => {
    const target = path.join(root, change.path);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, change.content ?? '');
    await rename(temp, target);
  });
  for (const change of report.changes) {
    if (change.action !== Action.Delete) continue;
    const target = path.join(root, change.path);
    await rm(target, { force: true });
    await removeEmptyParents(path.dirname(target), root);
  }
}

/** How many files are read or written at once (a few dozen keeps the disk busy without exhausting file handles). */
const IO_CONCURRENCY = 32;

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Whether a file in a scaffold folder that no function plans is the handler (or test) of a removed
 * function, rather than a module of the user's (shared domain code, helpers): its function's
 * generated entry is deleted in this run, or it still imports that function's generated types.
 */
async function isAbandonedScaffold(root: string, rel: string, planned: ReadonlySet<string>, deleted: ReadonlySet<string>): Promise<boolean> {
  const owner = scaffoldOwner(rel);
  if (!owner) return false;
  const service = { service: owner.service };
  const entry = entryPath(service, owner);
  const types = typesPath(service, owner);
  if (deleted.has(entry) || deleted.has(types)) return true;
  if (planned.has(types)) return false;
  const content = await readIfExists(path.join(root, rel));
  return content?.includes(`generated/${owner.service}/${owner.fileName}.types.js`) ?? false;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Files under `root/dir`, recursively, as sorted root-relative paths; none if `dir` is absent. */
async function listFiles(root: string, dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Removes now-empty folders from `dir` up to (not including) the owned folder's parent. */
async function removeEmptyParents(dir: string, root: string): Promise<void> {
  const stops = new Set(OWNED_DIRS.map((d) => path.join(root, d)));
  let current = dir;
  while (current.startsWith(root) && !stops.has(current) && current !== root) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}
