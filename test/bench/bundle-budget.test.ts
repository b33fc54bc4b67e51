/**
 * LBP-PACKAGE-SMALL: every function of the specs, bundled exactly as the ServiceFunction construct
 * bundles it (packages/bench/src/bundle.ts over packages/constructs/src/function.ts `functionBundling`), stays
 * within its budget in infra/bundle-budgets.json. `npm run bench` enforces the same budgets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetOf, enforceBudgets, overruns, readBudgets } from '@kiro-serverless/bench/budget';
import { buildConstructBundles, constructBuildOptions, serviceFunctions } from '@kiro-serverless/bench/bundle';
import { BUDGET_FILE } from '@kiro-serverless/bench/constants';
import { BenchError, BudgetExceededError } from '@kiro-serverless/bench/errors';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('bundle-size budget (LBP-PACKAGE-SMALL)', () => {
  it('keeps every example function within its budget, built as the construct builds it', { timeout: 60_000 }, async () => {
    // Arrange
    const functions = await serviceFunctions(ROOT);
    const budgets = await readBudgets(ROOT);
    const outDir = await mkdtemp(path.join(tmpdir(), 'bench-budget-'));
    dirs.push(outDir);

    // Act
    const bundles = await buildConstructBundles(functions, ROOT, outDir);
    const sizes = new Map([...bundles].map(([key, bundle]) => [key, bundle.bytes]));

    // Assert: within budget; the bundles are ESM with the require shim, as deployed
    expect(functions.length).toBeGreaterThan(0);
    expect(() => enforceBudgets(budgets, sizes)).not.toThrow();
    for (const [key, bundle] of bundles) {
      const code = Buffer.from(bundle.code).toString('utf8');
      expect(code.startsWith('import { createRequire as __createRequire }'), key).toBe(true);
    }
  });

  it('names the function, its size, its budget and the fix when a bundle is over', () => {
    const budgets = { default: 1_000, functions: { 'orders.small': 100 } };
    const sizes = new Map([['orders.small', 150], ['orders.new', 900], ['orders.big', 1_300]]);

    expect(budgetOf(budgets, 'orders.new')).toBe(1_000);
    expect(overruns(budgets, sizes).map((o) => o.functionKey)).toEqual(['orders.big', 'orders.small']);
    expect(() => enforceBudgets(budgets, sizes)).toThrow(BudgetExceededError);
    expect(() => enforceBudgets(budgets, sizes)).toThrow(
      new RegExp(`2 function bundle\\(s\\) over budget \\(LBP-PACKAGE-SMALL, ${BUDGET_FILE.replace(/\./g, '\\.')}\\):\\n` +
        '  orders\\.big: 1300 bytes, budget 1000 bytes \\(\\+300\\)\\n  orders\\.small: 150 bytes, budget 100 bytes \\(\\+50\\)\\nFix: '),
    );
  });

  it('refuses a bundling option it does not translate, so the bench cannot drift from the construct', () => {
    expect(() => constructBuildOptions({ keepNames: true }, 'src/x.ts', ROOT, '/tmp/x')).toThrow(BenchError);
    expect(() => constructBuildOptions({ keepNames: true }, 'src/x.ts', ROOT, '/tmp/x')).toThrow(/keepNames/);
  });
});
