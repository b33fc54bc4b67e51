/**
 * The errors of the function host: one base class, one subclass per failure. A failed invocation is
 * not one of these (it is an `InvokeOutcome` with `status: 'error'`); these are for misuse of
 * the host and for code that does not build.
 *
 * @module
 */
/** Base class of every error the function host throws. */
export class FunctionHostError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FunctionHostError';
  }
}

/** One esbuild message, with the functions whose bundle it stops. */
export interface BuildIssue {
  /** IDs of the functions that cannot be built because of it. */
  readonly functionIds: readonly string[];
  /** Source file, relative to the project root, when esbuild names one. */
  readonly file?: string;
  readonly line?: number;
  /** 1-based, as editors show it. */
  readonly column?: number;
  readonly text: string;
}

/** Function code did not bundle; `issues` lists every esbuild error with its file, line:column and functions. */
export class FunctionBuildError extends FunctionHostError {
  constructor(readonly issues: readonly BuildIssue[], options?: ErrorOptions) {
    super(
      `${issues.length} build error(s) in function code:\n` +
        issues.map((i) => `  ${i.file ? `${i.file}:${i.line ?? 0}:${i.column ?? 0}: ` : ''}${i.text} (function ${i.functionIds.join(', ') || '?'})`).join('\n') +
        '\nFix the code, then save again (or restart the local cloud).',
      options,
    );
    this.name = 'FunctionBuildError';
  }
}

/** `invoke` or `reload` named a function the host was not given. */
export class UnknownFunctionError extends FunctionHostError {
  constructor(readonly functionId: string, readonly known: readonly string[]) {
    super(`No function "${functionId}" in this host; it knows ${known.map((k) => `"${k}"`).join(', ') || 'none'}. Pass it in \`functions\` of createFunctionHost.`);
    this.name = 'UnknownFunctionError';
  }
}

/** The host options are invalid; `issues` lists every problem found. */
export class FunctionHostOptionsError extends FunctionHostError {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid function host options:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'FunctionHostOptionsError';
  }
}

/** `invoke`, `start` or `reload` was called after `stop()`. Start a new host. */
export class HostStoppedError extends FunctionHostError {
  /** @param action what was refused, e.g. `invoke "orders-api"` */
  constructor(readonly action: string) {
    super(`Cannot ${action}: the function host is stopped. Create and start a new host.`);
    this.name = 'HostStoppedError';
  }
}

