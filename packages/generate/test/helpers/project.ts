/** Temporary projects for the generator's tests: specs in, the real CLI run, the tree read back. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli.js';
import { checkSpecText } from '@kiro-serverless/model/check';
import type { ServiceModel } from '@kiro-serverless/model/model';
import { fixtureSpec, ORDERS, ORDERS_FILE, REPO_ROOT, tempDir, writeFiles } from '@kiro-serverless/fixtures';

export { ORDERS, ORDERS_FILE, REPO_ROOT, tempDir, writeFiles };

/** The second fixture: billing, with triggers orders does not use (see the file's header). */
export const BILLING_FILE = 'specs/billing.yaml';
export const BILLING = fixtureSpec('billing');

/** Function IDs that are also names the generated code uses itself (handler, config, z, logger, ...). */
export const CLASHES_FILE = 'specs/clashes.yaml';
export const CLASHES = fixtureSpec('clashes');

/** The model of a spec text, as the generator gets it; throws with the findings if it has an error. */
export function modelOf(text: string, file: string): ServiceModel {
  const { model, findings } = checkSpecText(text, file);
  if (!model) throw new Error(`${file} has errors: ${JSON.stringify(findings, null, 2)}`);
  return model;
}

export const billingModel = (text = BILLING): ServiceModel => modelOf(text, BILLING_FILE);
export const ordersModel = (text = ORDERS): ServiceModel => modelOf(text, ORDERS_FILE);

/** Runs `npm run generate` (the CLI's `main`) on `root`, collecting its output. */
export async function generate(args: readonly string[], root: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s), root);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The folders the generator writes to. */
export const OUTPUT_DIRS = ['infra/generated', 'specs/schema', 'src/generated', 'src/handlers', 'test/handlers'] as const;

/**
 * Every file under `dirs` of `root`, as sorted project-relative paths mapped to their text. Symbolic
 * links are not followed (a temporary project links the repo's runtime, constructs and node_modules).
 */
export async function readTree(root: string, dirs: readonly string[] = OUTPUT_DIRS): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile()) files.set(child, await readFile(path.join(root, child), 'utf8'));
    }
  };
  for (const dir of dirs) await walk(dir);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The spec text without one function's block (from `  <id>:` to the next blank line or the end). */
export function withoutFunction(text: string, id: string): string {
  const start = text.indexOf(`\n  ${id}:\n`);
  if (start === -1) throw new Error(`withoutFunction: no function ${id}`);
  const end = text.indexOf('\n\n', start + 1);
  return end === -1 ? `${text.slice(0, start)}\n` : text.slice(0, start) + text.slice(end);
}
