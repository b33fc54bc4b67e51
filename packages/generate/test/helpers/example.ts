/** Projects for the tests of `new:service --replace-example`: the example as a fresh clone holds it. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fixtureProject, writeFiles } from '@kiro-serverless/fixtures';
import { readManifest } from '../../src/example/manifest.js';
import { generate } from '../../src/generate.js';

/** The manifest the template ships (src/example/manifest.json). */
export const MANIFEST = await readManifest();

/** A bundle-budget file with the example's budgets and one of another service. */
export const BUDGETS = {
  '//': 'budgets',
  default: 780000,
  functions: { 'orders.createOrder': 730000, 'billing.getInvoice': 500000, 'orders.notifyCustomer': 570000 },
};

/**
 * The kit's copy of the example in a temporary folder, generated, with `infra/bundle-budgets.json`
 * (BUDGETS) and `extra` files written before the generator runs.
 */
export async function exampleClone(prefix: string, extra: Readonly<Record<string, string>> = {}): Promise<string> {
  const root = await fixtureProject('orders', prefix);
  await writeFiles(root, { [MANIFEST.budgetFile]: `${JSON.stringify(BUDGETS, null, 2)}\n`, ...extra });
  const lines: string[] = [];
  if (await generate({ root, mode: 'write' }, (line) => lines.push(line)) !== 0) throw new Error(`generate failed:\n${lines.join('\n')}`);
  return root;
}

/** Every file of a project (not node_modules) and its text, by forward-slash path, sorted. */
export async function projectTree(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && !path.relative(root, e.parentPath).split(path.sep).includes('node_modules'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(root, f), 'utf8')] as const)));
}
