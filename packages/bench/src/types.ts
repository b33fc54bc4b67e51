/** One line of the benchmark table: a figure of ours beside its baseline, measured in the same run. */
export interface BenchRow {
  /** The item number (1 bundle size ... 6 tooling time). */
  readonly item: number;
  /** What is measured, e.g. `bundle fulfilOrder vs SAM-style (b)`. */
  readonly figure: string;
  /** Ours, formatted with its unit. */
  readonly ours: string;
  /** The baseline's name and value, formatted, e.g. `esbuild defaults: 2.1 MB`. */
  readonly baseline: string;
  /** ours / baseline; undefined where no baseline exists (say why in `context`). */
  readonly ratio?: number;
  /** The target, e.g. `<= 0.60`; undefined for a figure reported as context. */
  readonly target?: string;
  /** Whether the target is met; undefined without a target. */
  readonly met?: boolean;
  /** Context: absolute times, settings, sample counts, p90. */
  readonly context?: string;
}

/** What a bench section returns. */
export interface SectionResult {
  readonly rows: readonly BenchRow[];
  /** Notes for the document (settings, what a figure means). */
  readonly notes?: readonly string[];
}

/** Options every section sees. */
export interface BenchOptions {
  /** The repository root. */
  readonly root: string;
  /** Reduced set (under two minutes in all). */
  readonly quick: boolean;
  /** A scratch folder for bundles and runner files, removed at the end. */
  readonly workDir: string;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}
