import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { Finding } from '../src/findings.js';
import { edit, FIXTURE_PROJECTS_DIR, ORDERS, ORDERS_FILE, positionOf, REPO_ROOT } from '@kiro-serverless/fixtures';

const run = promisify(execFile);
/** The orders fixture's spec, in place (read only). */
const FIXTURE_ORDERS = path.join(FIXTURE_PROJECTS_DIR, 'orders', ORDERS_FILE);
/** The example with the stream consumer's onFailure taken out, and the queue it named gone too. */
const NO_ON_FAILURE = edit(ORDERS, [['        onFailure: orderStreamFailures\n', ''], ['  orderStreamFailures: {}\n', '']]);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `npm run spec:check -- <args>` in a child process whose working folder is `cwd`; resolves with the exit code and output. */
function specCheck(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
  return run(process.execPath, [tsx, path.join(import.meta.dirname, '../src/cli.ts'), ...args], { cwd })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

describe('spec:check CLI', () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(path.join(tmpdir(), 'spec-cli-'));
    await mkdir(path.join(project, 'specs'));
    await writeFile(path.join(project, 'specs', 'orders.yaml'), NO_ON_FAILURE);
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('passes the orders fixture and prints a total', async () => {
    const result = await cli([FIXTURE_ORDERS]);
    expect(result).toMatchObject({ code: 0, out: '1 spec(s) checked: 0 error(s), 0 warning(s).' });
  });

  it('exits 1 with file:line:col, severity, rule, message and fix for a stream consumer without onFailure', async () => {
    // Act: the real command, as a user runs it, from the project's root
    const failure = await specCheck([], project);
    // Assert
    const { line, column } = positionOf(NO_ON_FAILURE, 'dynamodbStream:');
    expect(failure.code).toBe(1);
    const lines = failure.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^specs/orders\\.yaml:${line}:${column} error LBP-ERR-STREAM-ONFAILURE Stream consumer \`publishOrderEvents\` has no onFailure destination.* Fix: Add \`onFailure: <queue>\``));
    expect(lines.at(-1)).toBe('1 spec(s) checked: 1 error(s), 0 warning(s).');
  });

  it('prints findings as data with --json, with the absolute path of a spec outside the project', async () => {
    const file = path.join(project, 'specs', 'orders.yaml');
    const result = await cli([file, '--json']);
    const findings = JSON.parse(result.out) as Finding[];
    expect(result.code).toBe(1);
    expect(findings).toEqual([{
      file, ...positionOf(NO_ON_FAILURE, 'dynamodbStream:'),
      severity: 'error', rule: 'LBP-ERR-STREAM-ONFAILURE', message: expect.any(String), fix: expect.any(String),
    }]);
  });

  it('exits 2 on an unknown option, and 1 naming a file it cannot read, relative to the project', async () => {
    expect(await cli(['--jsn'])).toMatchObject({ code: 2, err: expect.stringContaining('Usage: npm run spec:check') });
    // A relative path is read from the working folder: run where the project is, not in this repository.
    expect(await specCheck(['specs/nope.yaml'], project)).toMatchObject({ code: 1, stderr: expect.stringContaining('specs/nope.yaml: cannot read the spec') });
  });
});
