import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inFastTier } from '../src/test-fast.js';

const ROOT = path.resolve('/project');

describe('inFastTier (what npm run check:fast tests)', () => {
  it.each([
    ['unit', 'packages/model/test/rules.test.ts', true],
    ['unit', 'test/handlers/orders/create-order.test.ts', true],
    ['integration', 'test/generated/orders.integration.test.ts', true],
    ['e2e', 'test/replace.e2e.test.ts', true],
    ['integration', 'packages/local-cloud/test/esm/sqs.integration.test.ts', false],
    ['e2e', 'packages/local-cloud/test/cli.e2e.test.ts', false],
    ['integration', 'packages/x/test/generated/a.integration.test.ts', false],
    ['e2e', 'testing/a.e2e.test.ts', false],
  ])('%s %s: %s', (project, file, expected) => {
    expect(inFastTier(project, path.join(ROOT, file), ROOT)).toBe(expected);
  });
});
