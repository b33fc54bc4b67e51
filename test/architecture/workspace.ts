/**
 * The workspace the architecture checks read: the root package.json and tsconfig.json (the service's),
 * every packages/<name>/package.json and tsconfig.json (the kit's), and the TypeScript and JavaScript
 * files of packages/<name>/src and test, and of the service's src/, infra/, specs/ and test/.
 *
 * workspaceFromFiles builds it from a `{ path: content }` map, which is what a test writes in memory;
 * readWorkspace reads the same files from disk into that map.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import type { FileRole, PackageManifest, SourceFile, TextFile, Workspace, WorkspacePackage } from './types.js';

/** The folder of the kit's packages. */
export const PACKAGES_DIR = 'packages';

/**
 * The service's folders and what their files are. src/ (handlers, generated entries) is deployed and
 * infra/ (the CDK app) synthesizes the deployment: they take `dependencies`. specs/ (scenarios that
 * `npm start` runs) and test/ run only on a developer's machine or CI: they may take `devDependencies`.
 */
export const SERVICE_DIRS: Readonly<Record<string, FileRole>> = { src: 'src', infra: 'src', specs: 'test', test: 'test' };

/** A kit package's folders and what their files are. */
export const PACKAGE_DIRS: Readonly<Record<string, FileRole>> = { src: 'src', test: 'test' };

/**
 * Folders that hold code which is not the kit's: the lint rules' test fixtures (files RuleTester
 * lints, whose content each case replaces) and the fixture projects (copies of a user's project).
 */
export const SKIPPED_DIRS = ['packages/eslint-plugin/test/fixtures/', 'packages/fixtures/projects/'] as const;

/** The extensions of the files scanned. */
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;

/** The package folder and role of a scanned file, or undefined for a file the checks do not scan. */
export function locate(file: string): { readonly packageDir: string; readonly role: FileRole } | undefined {
  if (!SOURCE_FILE.test(file) || file.split('/').includes('node_modules')) return undefined;
  if (SKIPPED_DIRS.some((dir) => file.startsWith(dir))) return undefined;
  const segments = file.split('/');
  if (segments[0] === PACKAGES_DIR) {
    const role = PACKAGE_DIRS[segments[2] ?? ''];
    return role && segments.length > 3 ? { packageDir: segments.slice(0, 2).join('/'), role } : undefined;
  }
  const role = SERVICE_DIRS[segments[0] ?? ''];
  return role && segments.length > 1 ? { packageDir: '', role } : undefined;
}

function parseManifest(file: TextFile): PackageManifest {
  try {
    return JSON.parse(file.text) as PackageManifest;
  } catch (error) {
    throw new Error(`${file.path}: not valid JSON (${(error as Error).message}). Fix the file, then run the test again.`, { cause: error });
  }
}

/** The folders a tsconfig.json's `references` point to (a reference may name a folder or a tsconfig file). */
function referencesOf(file: TextFile): string[] | undefined {
  const { config, error } = ts.parseConfigFileTextToJson(file.path, file.text);
  if (error) throw new Error(`${file.path}: not valid JSON (${ts.flattenDiagnosticMessageText(error.messageText, '\n')}). Fix the file, then run the test again.`);
  const references = (config as { references?: { path?: unknown }[] }).references;
  if (references === undefined) return undefined;
  return references.map((reference) => {
    const target = path.posix.join(path.posix.dirname(file.path), String(reference.path));
    return (/\.json$/.test(target) ? path.posix.dirname(target) : target).replace(/\/$/, '').replace(/^\.$/, '');
  });
}

function packageAt(dir: string, files: Readonly<Record<string, string>>): WorkspacePackage | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  const manifestText = files[`${prefix}package.json`];
  if (manifestText === undefined) return undefined;
  const manifestFile = { path: `${prefix}package.json`, text: manifestText };
  const manifest = parseManifest(manifestFile);
  const tsconfigText = files[`${prefix}tsconfig.json`];
  const tsconfigFile = tsconfigText === undefined ? undefined : { path: `${prefix}tsconfig.json`, text: tsconfigText };
  const references = tsconfigFile ? referencesOf(tsconfigFile) : undefined;
  return {
    dir,
    name: manifest.name ?? (dir === '' ? '(root)' : dir),
    manifestFile,
    manifest,
    ...(tsconfigFile ? { tsconfigFile } : {}),
    ...(references ? { references } : {}),
  };
}

/** The workspace described by `files` (repository-relative POSIX path to content). It needs a root package.json. */
export function workspaceFromFiles(files: Readonly<Record<string, string>>): Workspace {
  const root = packageAt('', files);
  if (!root) throw new Error('package.json: the workspace has no root package.json.');
  const kitDirs = [...new Set(Object.keys(files)
    .filter((file) => /^packages\/[^/]+\/package\.json$/.test(file))
    .map((file) => path.posix.dirname(file)))].sort();
  const packages = [root, ...kitDirs.map((dir) => packageAt(dir, files)).filter((p): p is WorkspacePackage => p !== undefined)];
  const sources: SourceFile[] = [];
  for (const [file, text] of Object.entries(files)) {
    const where = locate(file);
    if (where) sources.push({ path: file, text, ...where });
  }
  sources.sort((a, b) => a.path.localeCompare(b.path));
  return { packages, files: sources };
}

/** The files of `dir` under `root`, recursively, as repository-relative POSIX paths (node_modules skipped). */
function walk(root: string, dir: string, out: string[]): void {
  if (!fs.existsSync(path.join(root, dir))) return;
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== 'node_modules') walk(root, rel, out);
    else if (entry.isFile()) out.push(rel);
  }
}

/** The workspace of the repository at `root`, read from disk. */
export function readWorkspace(root: string): Workspace {
  const configs = ['package.json', 'tsconfig.json'];
  const sources: string[] = [];
  for (const name of fs.readdirSync(path.join(root, PACKAGES_DIR)).sort()) {
    const dir = `${PACKAGES_DIR}/${name}`;
    if (!fs.existsSync(path.join(root, dir, 'package.json'))) continue;
    configs.push(`${dir}/package.json`, `${dir}/tsconfig.json`);
    for (const sub of Object.keys(PACKAGE_DIRS)) walk(root, `${dir}/${sub}`, sources);
  }
  for (const dir of Object.keys(SERVICE_DIRS)) walk(root, dir, sources);
  const files: Record<string, string> = {};
  for (const file of [...configs.filter((f) => fs.existsSync(path.join(root, f))), ...sources.filter((f) => locate(f))]) {
    files[file] = fs.readFileSync(path.join(root, file), 'utf8');
  }
  return workspaceFromFiles(files);
}
