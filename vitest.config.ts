import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// On CI, a JSON report is written too: .ci/run reads it to print the closing `N passed, N failed`.
const reporters = process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'];

/** The service's own tests (test/) and the kit's (packages/<package>/test/). */
const ROOTS = ['test', 'packages/*/test'];
const files = (suffix: string): string[] => ROOTS.map((root) => `${root}/**/*${suffix}`);

/**
 * At least two files at a time, even on two cores: integration and e2e files spend most of their time
 * waiting (visibility timeouts, batching windows, child processes), and vitest's default (cores - 1)
 * would run every file one after another there.
 */
const MAX_WORKERS = Math.max(2, availableParallelism() - 1);

/**
 * Three tiers, by file name. `npm test` runs them all; the Kiro hooks run the unit tier.
 * - unit (`*.test.ts`): no emulator and no child process. Its files share their worker's loaded
 *   modules (`isolate: false`): aws-cdk-lib, TypeScript, ESLint and the SDK are imported once per
 *   worker instead of once per file (about 4x faster). A file restores what it stubs (vitest's mocks
 *   and aws-sdk-client-mock's are restored after each file by test/setup/unit.ts; `vi.stubEnv` needs
 *   `vi.unstubAllEnvs()`), and re-imports a module with `vi.resetModules()` to test its INIT.
 * - integration (`*.integration.test.ts`): DynamoDB Local (started once for the tier, needs Java
 *   17+; tests read `inject('dynamoDbEndpoint')`) and fauxqs.
 * - e2e (`*.e2e.test.ts`): the commands as a user runs them, in child processes.
 */
export default defineConfig({
  test: {
    reporters: reporters as never,
    testTimeout: 20_000,
    maxWorkers: MAX_WORKERS,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          isolate: false,
          setupFiles: ['test/setup/unit.ts'],
          include: files('.test.ts'),
          exclude: [...configDefaults.exclude, '**/*.integration.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: files('.integration.test.ts'),
          globalSetup: ['packages/local-cloud/src/vitest-setup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: files('.e2e.test.ts') },
      },
    ],
  },
});
