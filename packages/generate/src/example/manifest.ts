/**
 * The example service as the template ships it: every file of it with its SHA-256, the folders that
 * are the example's alone, and the service whose generated files and bundle budgets go with it.
 * `npm run new:service -- <name> --replace-example` deletes a file only when it is still as shipped
 * (same hash), or is generated (judged by its header, not by hash), unless `--force`.
 *
 * The data is in manifest.json. The kit's copy of the example, packages/fixtures/projects/orders,
 * holds exactly the files listed there, byte for byte; packages/generate/test/example-manifest.test.ts
 * checks it. When the maintainers change the example, they change it in both places (the example at
 * the repository's root and the fixture copy) and rewrite the hashes from the copy:
 * `npx tsx packages/generate/src/example/write-manifest.ts packages/fixtures/projects/orders`.
 * A manifest that lags behind the example is safe: its changed files are refused, never deleted.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GENERATED_SRC_DIR, stackPath } from '@kiro-serverless/model/layout';

/** The file manifest.json, beside this module. */
export const MANIFEST_FILE = path.join(import.meta.dirname, 'manifest.json');

export interface ExampleManifest {
  /** The example's service name: its generated files are `src/generated/<service>/` and its stack. */
  readonly service: string;
  /** The bundle-budget file whose `functions` entries `<service>.<function>` belong to the example. */
  readonly budgetFile: string;
  /** Folders that hold the example's files alone: any other file found in them is not the template's. */
  readonly folders: readonly string[];
  /** Every file of the example as shipped (project-relative path, forward slashes) and its `sha256Of`. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * The SHA-256 (hex) of a file's text with CRLF line ends read as LF, so that a checkout which
 * converts line ends (git's `core.autocrlf`) still matches.
 */
export function sha256Of(content: Buffer | string): string {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** The folder and the stack file the generator writes for the example service (judged by header). */
export function generatedPathsOf(manifest: ExampleManifest): { readonly folder: string; readonly files: readonly string[] } {
  return { folder: `${GENERATED_SRC_DIR}/${manifest.service}`, files: [stackPath(manifest)] };
}

/** Reads and checks manifest.json (or another manifest file). */
export async function readManifest(file = MANIFEST_FILE): Promise<ExampleManifest> {
  const data = JSON.parse(await readFile(file, 'utf8')) as Partial<Record<keyof ExampleManifest, unknown>>;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const record = (v: unknown): v is Record<string, string> => typeof v === 'object' && v !== null && !Array.isArray(v)
    && Object.values(v).every((s) => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s));
  if (typeof data.service !== 'string' || typeof data.budgetFile !== 'string' || !strings(data.folders) || !record(data.files)) {
    throw new Error(`${file} is not an example manifest (service, budgetFile, folders, files: path to sha256).`);
  }
  return { service: data.service, budgetFile: data.budgetFile, folders: data.folders, files: data.files };
}

/** Every file under `dir` (recursive, dot-files included), as sorted forward-slash paths relative to `dir`. */
export async function listFilesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The `files` of a manifest for the example copy in `dir`: each file's path and hash, sorted by path. */
export async function hashesOf(dir: string): Promise<Record<string, string>> {
  const files = await listFilesUnder(dir);
  const hashes = await Promise.all(files.map(async (rel) => sha256Of(await readFile(path.join(dir, rel)))));
  return Object.fromEntries(files.map((rel, i) => [rel, hashes[i] as string]));
}
