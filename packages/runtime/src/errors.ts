/** Base of every error that packages/runtime throws; catch it to tell runtime failures from business-logic ones. */
export class RuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

/** One environment variable that {@link ConfigError} reports. */
export interface ConfigProblem {
  /** The environment variable's name, e.g. `TABLE_ORDERS`. */
  readonly variable: string;
  /** `missing`: not set at all; `malformed`: set, but its value does not match the schema. */
  readonly kind: 'missing' | 'malformed';
  /** What the variable holds, from the schema's `.describe()`; absent when the schema has none. */
  readonly description?: string;
  /** Why the value was rejected (for `malformed`); never contains the value itself. */
  readonly reason?: string;
}

/** Where the environment variables of a function come from; every {@link ConfigError} message says so. */
const SOURCE = 'set by the generated infrastructure in infra/, or by the local cloud';

function formatProblem(problem: ConfigProblem): string {
  const origin = problem.description === undefined ? SOURCE : `${problem.description}; ${SOURCE}`;
  if (problem.variable === '') {
    return `Invalid configuration (${origin}): ${problem.reason ?? 'rejected by the schema'}`;
  }
  return problem.kind === 'missing'
    ? `Missing environment variable ${problem.variable} (${origin})`
    : `Malformed environment variable ${problem.variable} (${origin}): ${problem.reason ?? 'rejected by the schema'}`;
}

/**
 * The environment variables of a function are missing or malformed, so its configuration cannot be
 * loaded. The message names every problem at once, one a line (values are never echoed: they may be
 * secrets).
 */
export class ConfigError extends RuntimeError {
  constructor(
    /** Every missing or malformed variable, in the order of the schema's issues. */
    readonly problems: readonly ConfigProblem[],
    options?: ErrorOptions,
  ) {
    const lines = problems.map(formatProblem);
    super(
      lines.length === 1
        ? (lines[0] ?? '')
        : `${lines.length} environment variables are missing or malformed:\n${lines.map((l) => `  - ${l}`).join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
  }
}

/** A `/tmp` cache entry could not be fetched; `cause` holds the fetch function's error. Nothing was cached. */
export class TmpCacheFetchError extends RuntimeError {
  constructor(
    /** The cache key whose fetch failed, as the caller passed it. */
    readonly key: string,
    options?: ErrorOptions,
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause ?? 'unknown reason');
    super(`Fetching /tmp cache entry "${key}" failed: ${reason}`, options);
    this.name = 'TmpCacheFetchError';
  }
}
