/**
 * The project the runtime figures (cold start, warm overhead, client scope) run on: the kit's own
 * orders fixture (packages/fixtures/projects/orders), copied under the bench's work folder, linked to
 * the repository's node_modules and generated. Those figures measure what the kit's generated entries
 * and runtime wrappers cost against a baseline, so they need a known project with a consumer of each
 * trigger they time; a project the kit owns gives that in every fork, whatever the user has done to
 * the example. The bundle sizes and their budgets (item 1) measure the user's own functions instead.
 *
 * @module
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURE_PROJECTS_DIR, linkProject, type FixtureProjectName } from '@kiro-serverless/fixtures';
import { generate } from '@kiro-serverless/generate';
import { BenchError } from './errors.js';

/** The fixture project the runtime figures use. */
export const BENCH_FIXTURE: FixtureProjectName = 'orders';

/**
 * Copies the bench fixture to `<workDir>/fixture-<name>`, links it to `repoRoot` (its node_modules,
 * lockfile and compiler options) and generates it. Returns the project's root.
 */
export async function benchProject(repoRoot: string, workDir: string): Promise<string> {
  const root = path.join(workDir, `fixture-${BENCH_FIXTURE}`);
  await cp(path.join(FIXTURE_PROJECTS_DIR, BENCH_FIXTURE), root, { recursive: true });
  await linkProject(root, { name: `bench-${BENCH_FIXTURE}`, repoRoot });
  const lines: string[] = [];
  if (await generate({ root, mode: 'write' }, (line) => lines.push(line)) !== 0) {
    throw new BenchError(`the generator failed on the ${BENCH_FIXTURE} fixture project (${root}):\n${lines.join('\n')}`);
  }
  return root;
}
