import type { Finding } from './findings.js';
import { formatFinding } from './findings.js';

/** Base of every error packages/model throws. */
export class SpecError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpecError';
  }
}

/** A spec has error findings, so no model can be built from it. */
export class SpecValidationError extends SpecError {
  constructor(readonly findings: readonly Finding[], options?: ErrorOptions) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(
      `${errors.length} error(s) in the specs; fix them, then run \`npm run spec:check\`:\n${errors.map(formatFinding).join('\n')}`,
      options,
    );
    this.name = 'SpecValidationError';
  }
}

/** A spec file or folder could not be read. */
export class SpecReadError extends SpecError {
  constructor(readonly file: string, options?: ErrorOptions) {
    super(`${file}: cannot read the spec (${(options?.cause as Error | undefined)?.message ?? 'unknown reason'}). Check the path.`, options);
    this.name = 'SpecReadError';
  }
}
