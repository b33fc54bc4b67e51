/**
 * `npm run test:fast`: the tests of the Stop hook's fast tier (`npm run check:fast`), in one vitest
 * run: the whole unit tier (no emulator, no child process), and the service's own tests under
 * test/ whatever their tier (its handlers' tests, and its generated entries against DynamoDB Local,
 * which starts only because such a test is in the run). The kit's integration and end-to-end tests
 * are left to `npm test` (CI).
 *
 * Exit code: 0 when every test file passed, 1 otherwise (as `vitest run`).
 *
 * @module
 */
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { createVitest } from 'vitest/node';

/** The vitest project (tier) that the fast tier runs whole (vitest.config.ts). */
export const UNIT_PROJECT = 'unit';
/** The folder of the service's own tests, relative to the project root (vitest.config.ts). */
export const SERVICE_TESTS_DIR = 'test';

/** Whether the fast tier runs the test file `file` of the vitest project `project`. */
export function inFastTier(project: string, file: string, root: string): boolean {
  if (project === UNIT_PROJECT) return true;
  const relative = path.relative(root, file).split(path.sep).join('/');
  return relative.startsWith(`${SERVICE_TESTS_DIR}/`);
}

export async function main(root: string, err: (line: string) => void): Promise<number> {
  const vitest = await createVitest('test', { root, run: true, watch: false });
  try {
    await vitest.standalone();
    const top = realpathSync(root);
    const specifications = (await vitest.globTestSpecifications()).filter((s) => inFastTier(s.project.name, s.moduleId, top));
    const result = await vitest.runTestSpecifications(specifications, false);
    return result.testModules.some((module) => !module.ok()) || result.unhandledErrors.length > 0 ? 1 : 0;
  } catch (error) {
    err(`test:fast: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await vitest.close();
  }
}

if (process.argv[1]?.endsWith('kiro/src/test-fast.ts')) {
  const code = await main(process.cwd(), (line) => process.stderr.write(`${line}\n`));
  // Like the vitest CLI: do not wait for handles a test may have left open.
  process.exit(code);
}
