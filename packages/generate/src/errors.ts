/** Base of every error packages/generate throws. */
export class GenerateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GenerateError';
  }
}

/** Files without the generated header stand where generated files must go; nothing was written. */
export class OwnershipConflictError extends GenerateError {
  constructor(readonly files: readonly string[], options?: ErrorOptions) {
    super(
      `${files.length} file(s) without the generated header stand where generated files must go; nothing was written:\n`
      + `${files.map((f) => `  ${f}`).join('\n')}\n`
      + 'Fix: move your code out (business logic belongs in src/handlers/), delete the file, then run `npm run generate` again.',
      options,
    );
    this.name = 'OwnershipConflictError';
  }
}

/** `new:service` was given a bad name or would overwrite a spec. */
export class NewServiceError extends GenerateError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NewServiceError';
  }
}

/** `new:service --replace-example` found changed files or other problems; nothing was removed or written. */
export class ReplaceExampleError extends NewServiceError {
  constructor(readonly issues: readonly string[], options?: ErrorOptions) {
    super(
      `Nothing was removed or written: ${issues.length} problem(s) stop the replacement of the example:\n`
      + `${issues.map((i) => `  ${i}`).join('\n')}\n`
      + 'Fix: deal with each line as it says, then run the command again; `--dry-run` shows the whole plan and does nothing.',
      options,
    );
    this.name = 'ReplaceExampleError';
  }
}
