/**
 * End to end, as a user runs it in a fresh clone: `npm run new:service -- payments --replace-example`
 * on the full example (the kit's copy, generated), then `npm run generate -- --check`, the new
 * service's scaffolded tests and `npm start` (no argument: the project's only spec, which has no
 * scenario), each in a child process in the project's folder.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@kiro-serverless/fixtures';
import { exampleClone, MANIFEST, projectTree } from './helpers/example.js';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
const VITEST = path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs');
const LOCAL_CLOUD = path.join(REPO_ROOT, 'packages/local-cloud/src/cli.ts');

interface Result { code: number; stdout: string; stderr: string }

/** Environment for a child: without the variables of the vitest running this file. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST' && k !== 'NODE_ENV'));
}

async function node(args: readonly string[], cwd: string): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...args], { cwd, env: childEnv(), maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

describe('new:service --replace-example in a clone of the template', () => {
  let root: string;
  let replaced: Result;
  beforeAll(async () => {
    root = await exampleClone('replace-example-e2e');
    replaced = await node([TSX, path.join(import.meta.dirname, '../src/new-service.ts'), 'payments', '--replace-example'], root);
  }, 60_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('replaces the example with the starter service and exits 0', async () => {
    const files = [...(await projectTree(root)).keys()];

    expect({ code: replaced.code, stderr: replaced.stderr }).toEqual({ code: 0, stderr: '' });
    expect(replaced.stdout).toMatch(/^Removed \d+ file\(s\) of the orders example; wrote specs\/payments\.yaml and generated payments\.$/m);
    expect(files.filter((f) => Object.keys(MANIFEST.files).includes(f) || /(^|\/)orders(\/|-stack|\.)/.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['specs/payments.yaml', 'infra/generated/payments-stack.ts', 'src/handlers/payments/create-item.ts']));
  });

  it('leaves generated files that `npm run generate -- --check` finds up to date', async () => {
    const check = await node([TSX, path.join(import.meta.dirname, '../src/cli.ts'), '--check'], root);

    expect(check).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Generated files are up to date \(\d+ files, 1 spec\(s\)\)\.\n$/) });
  }, 30_000);

  it('leaves a service whose scaffolded tests pass', async () => {
    // Arrange: only the service's handler tests, without the DynamoDB Local setup of the repository's config
    await writeFile(path.join(root, 'vitest.config.mjs'), "export default { test: { include: ['test/handlers/**/*.test.ts'], testTimeout: 20000 } };\n");
    const report = path.join(root, 'vitest-report.json');

    // Act
    const vitest = await node([VITEST, 'run', '--root', root, '--config', path.join(root, 'vitest.config.mjs'), '--reporter=json', `--outputFile=${report}`], root);

    // Assert
    const result = JSON.parse(await readFile(report, 'utf8')) as { numFailedTests: number; numPassedTests: number; testResults: { name: string }[] };
    expect({ code: vitest.code, failed: result.numFailedTests }, vitest.stdout + vitest.stderr).toEqual({ code: 0, failed: 0 });
    expect(result.numPassedTests).toBe(2);
    expect(result.testResults.map((t) => path.relative(root, t.name).split(path.sep).join('/')).sort())
      .toEqual(['test/handlers/payments/create-item.test.ts', 'test/handlers/payments/process-item.test.ts']);
  }, 120_000);

  it('runs in the local cloud with `npm start`: one synthetic event through each trigger, each function ok', async () => {
    const start = await node([TSX, LOCAL_CLOUD, 'start'], root);

    expect(start.code, `${start.stdout}\n${start.stderr}`).toBe(0);
    expect(start.stdout).toContain('Local cloud: service payments (specs/payments.yaml)');
    expect(start.stdout).toMatch(/^createItem\s+http\s+1\s+0\s+ok$/m);
    expect(start.stdout).toMatch(/^processItem\s+sqs\s+1\s+0\s+ok$/m);
    expect(start.stdout).toContain('Every function was invoked through its trigger and succeeded.');
  }, 120_000);
});
