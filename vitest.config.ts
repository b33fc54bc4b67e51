import { defineConfig } from 'vitest/config';

// On CI, a JSON report is written too: .ci/run reads it to print the closing `N passed, N failed`.
const reporters = process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'];

export default defineConfig({
  test: {
    // The service's own tests (test/) and the kit's (packages/*/test/).
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Starts one in-memory DynamoDB Local per run (needs Java 17+); tests read inject('dynamoDbEndpoint').
    globalSetup: ['packages/local-cloud/src/vitest-setup.ts'],
    reporters: reporters as never,
    testTimeout: 20_000,
  },
});
