/**
 * Narrow TypeScript programs for ESLint's type-aware rules when only a few files changed.
 *
 * With `projectService`, typescript-eslint type-checks a changed file inside the whole project that
 * owns it: for a handler under src/, the service's tsconfig.json with every test, the CDK app and
 * aws-cdk-lib's types (about 10 s before the first rule runs). The rules only need the types of the
 * file and of what it imports, so `npm run lint:changed` gives each owning tsconfig.json a program
 * of just its changed files (their imports are followed as usual), on the same compiler options
 * (about 3 s for a handler). What such a program does not see is a global declaration in a file of
 * the project that the changed files do not import; `npm run lint` (CI) checks with whole projects.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Linter } from 'eslint';

/** Where the narrow tsconfig files are written, relative to the project root (beside ESLint's cache). */
export const NARROW_TSCONFIG_DIR = 'node_modules/.cache/eslint/lint-changed';

/** Narrow tsconfig files older than this are removed when new ones are written. */
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * The tsconfig.json that owns `file`: the nearest one in its folder or a folder above, up to and
 * including `root` (as TypeScript's project service finds it); `undefined` outside `root` or without one.
 */
export function owningTsconfig(file: string, root: string, exists: (p: string) => boolean = existsSync): string | undefined {
  const top = path.resolve(root);
  let dir = path.dirname(path.resolve(file));
  if (dir !== top && !dir.startsWith(top + path.sep)) return undefined;
  for (;;) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (exists(candidate)) return candidate;
    if (dir === top) return undefined;
    dir = path.dirname(dir);
  }
}

/** Files grouped by the tsconfig.json that owns them; files without one are left out. */
export function groupByTsconfig(files: readonly string[], root: string, exists?: (p: string) => boolean): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const file of [...new Set(files.map((f) => path.resolve(f)))].sort()) {
    const tsconfig = owningTsconfig(file, root, exists);
    if (tsconfig === undefined) continue;
    groups.set(tsconfig, [...(groups.get(tsconfig) ?? []), file]);
  }
  return groups;
}

/**
 * The narrow tsconfig of `files` owned by `tsconfig`: its compiler options (extended), without
 * emit or build information, and only `files` as roots. `rootDir` is the project root, so that
 * imports of other workspace packages (their TypeScript sources) stay inside it.
 */
export function narrowTsconfig(tsconfig: string, files: readonly string[], root: string): object {
  return {
    '//': `Written by npm run lint:changed (packages/kiro/src/narrow-programs.ts) for ${files.length} changed file(s); safe to delete.`,
    extends: tsconfig,
    compilerOptions: { composite: false, incremental: false, declaration: false, emitDeclarationOnly: false, noEmit: true, rootDir: path.resolve(root) },
    files: [...files],
    include: [],
  };
}

/**
 * Writes one narrow tsconfig per owning tsconfig of `files` (the type-aware ones among the changed
 * files) under `root`/NARROW_TSCONFIG_DIR and returns the ESLint config blocks that make the
 * type-aware rules use them. A file is named after a hash of its content, so that runs with the
 * same changed files share it (and ESLint's cache, whose key includes the config) and concurrent
 * runs never rewrite a file another run is reading.
 */
export async function narrowProgramConfigs(files: readonly string[], root: string): Promise<Linter.Config[]> {
  const dir = path.join(root, NARROW_TSCONFIG_DIR);
  const configs: Linter.Config[] = [];
  const written = new Set<string>();
  for (const [tsconfig, group] of groupByTsconfig(files, root)) {
    const text = `${JSON.stringify(narrowTsconfig(tsconfig, group, root), null, 2)}\n`;
    const file = path.join(dir, `tsconfig.${createHash('sha1').update(text).digest('hex').slice(0, 16)}.json`);
    written.add(file);
    if (!existsSync(file)) {
      await mkdir(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, file);
    }
    configs.push({
      files: group.map((f) => path.relative(root, f).split(path.sep).join('/')),
      languageOptions: { parserOptions: { projectService: false, project: [file], tsconfigRootDir: path.resolve(root) } },
    });
  }
  await removeStale(dir, written);
  return configs;
}

async function removeStale(dir: string, keep: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  await Promise.all(names.map(async (name) => {
    const file = path.join(dir, name);
    if (keep.has(file)) return;
    try {
      if (now - (await stat(file)).mtimeMs > STALE_MS) await rm(file, { force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }));
}
