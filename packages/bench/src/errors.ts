/** Base of every error packages/bench throws. */
export class BenchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BenchError';
  }
}

/** One function whose bundle is over its budget. */
export interface BudgetOverrun {
  readonly functionKey: string;
  readonly bytes: number;
  readonly budget: number;
}

/** Bundles over their budget (LBP-PACKAGE-SMALL): names each function, its size, its budget and what to do. */
export class BudgetExceededError extends BenchError {
  constructor(readonly overruns: readonly BudgetOverrun[], readonly budgetFile: string, options?: ErrorOptions) {
    super(
      `${overruns.length} function bundle(s) over budget (LBP-PACKAGE-SMALL, ${budgetFile}):\n` +
      overruns.map((o) => `  ${o.functionKey}: ${o.bytes} bytes, budget ${o.budget} bytes (+${o.bytes - o.budget})`).join('\n') +
      '\nFix: find what grew with `npx esbuild --bundle <entry> --minify --format=esm --platform=node --main-fields=module,main ' +
      '--analyze --outfile=/dev/null`; import a narrower module (a single SDK client, not a barrel), or move the dependency ' +
      'out of the function. If the growth is deliberate, raise the budget in the same commit and say why.',
      options,
    );
    this.name = 'BudgetExceededError';
  }
}

/** The budget file is missing, not JSON, or has no budget for a function. */
export class BudgetFileError extends BenchError {
  constructor(readonly budgetFile: string, problem: string, options?: ErrorOptions) {
    super(`${budgetFile}: ${problem}`, options);
    this.name = 'BudgetFileError';
  }
}
