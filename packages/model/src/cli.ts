/**
 * `npm run spec:check -- [files...] [--json]`: checks specs (default: every specs/*.yaml) and prints
 * one line per finding, then a total. Exits 1 if any spec has an error, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { checkSpecFiles } from './check.js';
import { SpecError } from './errors.js';
import { countBySeverity, formatFinding, hasErrors } from './findings.js';

const USAGE = 'Usage: npm run spec:check -- [spec files...] [--json]';

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    out(USAGE);
    return 0;
  }
  try {
    const results = await checkSpecFiles(args.positionals.length > 0 ? args.positionals : undefined);
    const findings = results.flatMap((r) => r.findings);
    if (args.values.json) {
      out(JSON.stringify(findings, null, 2));
    } else {
      for (const f of findings) out(formatFinding(f));
      const { errors, warnings } = countBySeverity(findings);
      out(results.length === 0
        ? 'No spec found under specs/. Start from a copy of the example (specs/orders.yaml in the template); see docs/spec.md.'
        : `${results.length} spec(s) checked: ${errors} error(s), ${warnings} warning(s).`);
    }
    return hasErrors(findings) ? 1 : 0;
  } catch (e) {
    if (e instanceof SpecError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1]?.endsWith('model/src/cli.ts')) {
  process.exitCode = await main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
}
