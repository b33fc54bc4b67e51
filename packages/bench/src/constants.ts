/** Numbers and names of the benchmarks, written once. */

/** The budget file, relative to the repository root. */
export const BUDGET_FILE = 'infra/bundle-budgets.json';
/** Where the bench writes its report, relative to the repository root. */
export const REPORT_FILE = 'docs/benchmarks.md';

/** Item 1 target: our bundle at most this fraction of the SAM-style baseline (b). */
export const BUNDLE_TARGET_RATIO = 0.6;
/** Item 2 target: our cold start at most this multiple of the minimal bundled-SDK handler. */
export const COLD_START_TARGET_RATIO = 1.2;

/** Cold starts per variant: at least 15 in the full run, fewer in --quick. */
export const COLD_START_RUNS = { full: 15, quick: 5 } as const;
/** Records per warm batch (item 3). */
export const WARM_BATCH_SIZE = 100;
/** Warm batches measured per variant, after the warm-up ones. */
export const WARM_BATCHES = { full: 30, quick: 8 } as const;
export const WARM_WARMUP_BATCHES = 3;
/** Warm invocations per variant for the client-scope comparison (item 4). */
export const CLIENT_INVOCATIONS = { full: 200, quick: 40 } as const;

/** Item 5: records in the batch, the poison record's index, and the bounded retries of every mode. */
export const POISON_BATCH_SIZE = 100;
export const POISON_INDEX = 49;
export const POISON_MAX_RETRIES = 3;

/** Item 6: service counts for the generator, spec counts for synth. */
export const GENERATOR_SERVICES = { full: [1, 10, 100], quick: [1, 10] } as const;
export const SYNTH_SPECS: { readonly full: readonly number[]; readonly quick: readonly number[] } = { full: [1, 5], quick: [] };
