/**
 * The bundle-size budget (LBP-PACKAGE-SMALL): infra/bundle-budgets.json holds bytes per function
 * (`<service>.<functionId>`), and a `default` for functions without a line. Read by `npm run bench`
 * and by test/bench/bundle-budget.test.ts.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BUDGET_FILE } from './constants.js';
import { BudgetExceededError, BudgetFileError, type BudgetOverrun } from './errors.js';

export interface Budgets {
  /** Bytes for a function without its own budget. */
  readonly default: number;
  /** Bytes by `<service>.<functionId>`. */
  readonly functions: Readonly<Record<string, number>>;
}

const isBytes = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Reads and checks the budget file under `root`. Throws {@link BudgetFileError} naming what is wrong. */
export async function readBudgets(root: string, file: string = BUDGET_FILE): Promise<Budgets> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(root, file), 'utf8'));
  } catch (error) {
    throw new BudgetFileError(file, `cannot read the budgets (${(error as Error).message}); restore the file from git`, { cause: error });
  }
  const { default: fallback, functions } = (json ?? {}) as { default?: unknown; functions?: unknown };
  if (!isBytes(fallback)) throw new BudgetFileError(file, '`default` must be a positive whole number of bytes');
  if (typeof functions !== 'object' || functions === null) throw new BudgetFileError(file, '`functions` must map `<service>.<functionId>` to bytes');
  const bad = Object.entries(functions).filter(([, bytes]) => !isBytes(bytes)).map(([key]) => key);
  if (bad.length > 0) throw new BudgetFileError(file, `the budget of ${bad.join(', ')} must be a positive whole number of bytes`);
  return { default: fallback, functions: functions as Record<string, number> };
}

/** The budget of one function. */
export const budgetOf = (budgets: Budgets, key: string): number => budgets.functions[key] ?? budgets.default;

/** The functions over budget, largest overrun first. */
export function overruns(budgets: Budgets, sizes: ReadonlyMap<string, number>): BudgetOverrun[] {
  return [...sizes]
    .map(([functionKey, bytes]) => ({ functionKey, bytes, budget: budgetOf(budgets, functionKey) }))
    .filter((o) => o.bytes > o.budget)
    .sort((a, b) => (b.bytes - b.budget) - (a.bytes - a.budget));
}

/** Throws {@link BudgetExceededError} when any function is over its budget. */
export function enforceBudgets(budgets: Budgets, sizes: ReadonlyMap<string, number>, file: string = BUDGET_FILE): void {
  const over = overruns(budgets, sizes);
  if (over.length > 0) throw new BudgetExceededError(over, file);
}
