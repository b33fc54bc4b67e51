/**
 * `npm run generate [-- --check | --dry-run]`: turns every valid spec into generated files and
 * scaffolds. `--check` writes nothing and exits 1 if anything generated is stale, missing or
 * orphaned; `--dry-run` prints what a run would do.
 */
import { parseArgs } from 'node:util';
import { SpecError, SpecValidationError } from '@kiro-serverless/model/errors';
import { GenerateError } from './errors.js';
import { generate } from './generate.js';

const USAGE = 'Usage: npm run generate [-- --check | --dry-run]';

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void, root = process.cwd()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { check: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (values.check && values['dry-run']) {
    err(`--check and --dry-run exclude each other.\n${USAGE}`);
    return 2;
  }
  try {
    return await generate({ root, mode: values.check ? 'check' : values['dry-run'] ? 'dry-run' : 'write' }, out);
  } catch (e) {
    if (e instanceof SpecValidationError) {
      err(`Nothing generated: ${e.message}`);
      return 1;
    }
    if (e instanceof GenerateError || e instanceof SpecError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1]?.endsWith('generate/src/cli.ts')) {
  process.exitCode = await main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
}
