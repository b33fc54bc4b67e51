/**
 * A copy of the project to time the development loop in: a local git clone of its HEAD (so that
 * "changed since HEAD" means what it means in the project), with a node_modules folder of its own
 * whose entries link to the project's installed packages, except the workspace links (they point at
 * the copy's own packages/) and the caches (tsc, ESLint and vitest start empty in the copy and are
 * never shared with the project's). Nothing in the project is written.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { BenchError } from './errors.js';

const run = promisify(execFile);

/** Entries of node_modules that hold caches or state of a run: created fresh in the copy. */
const NOT_LINKED = new Set(['.cache', '.vite', '.vite-temp', '.vitest', '.package-lock.json']);

/** The npm scope of the workspace packages, whose links must point into the copy. */
const WORKSPACE_SCOPE = '@kiro-serverless';

/** Clones `root`'s HEAD into `<workDir>/<name>` and links its node_modules; returns the copy's root. */
export async function copyWorkspace(root: string, workDir: string, name = 'loop'): Promise<string> {
  const copy = path.join(workDir, name);
  try {
    await run('git', ['clone', '--quiet', '--local', '--no-checkout', root, copy]);
    await run('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', 'HEAD'], { cwd: copy });
  } catch (error) {
    throw new BenchError(`cannot clone ${root} for the development-loop figures (it needs a git work tree with a commit): ${(error as Error).message}`, { cause: error });
  }
  await linkNodeModules(root, copy);
  return copy;
}

async function linkNodeModules(root: string, copy: string): Promise<void> {
  const from = path.join(root, 'node_modules');
  const to = path.join(copy, 'node_modules');
  await mkdir(to);
  for (const entry of await readdir(from)) {
    if (NOT_LINKED.has(entry)) continue;
    if (entry === WORKSPACE_SCOPE) {
      await mkdir(path.join(to, entry));
      // npm's workspace links are relative (../../packages/<name>): the same text resolves in the copy.
      for (const pkg of await readdir(path.join(from, entry))) {
        const target = await readlink(path.join(from, entry, pkg));
        await symlink(path.isAbsolute(target) ? path.join(copy, path.relative(root, target)) : target, path.join(to, entry, pkg));
      }
      continue;
    }
    await symlink(path.join(from, entry), path.join(to, entry));
  }
}
