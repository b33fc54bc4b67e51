import { configDefaults, defineConfig } from 'vitest/config';

// On CI, a JSON report is written too: .ci/run reads it to print the closing `N passed, N failed`.
const reporters = process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'];

/** The service's own tests (test/) and the kit's (packages/<package>/test/). */
const ROOTS = ['test', 'packages/*/test'];
const files = (suffix: string): string[] => ROOTS.map((root) => `${root}/**/*${suffix}`);

/**
 * Three tiers, by file name. `npm test` runs them all; the Kiro hooks run the unit tier.
 * - unit (`*.test.ts`): no emulator and no child process.
 * - integration (`*.integration.test.ts`): DynamoDB Local (started once for the tier, needs Java
 *   17+; tests read `inject('dynamoDbEndpoint')`) and fauxqs.
 * - e2e (`*.e2e.test.ts`): the commands as a user runs them, in child processes.
 */
export default defineConfig({
  test: {
    reporters: reporters as never,
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
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
