/**
 * The local cloud's commands as a user runs them: a child process per command, real emulators, no
 * fixed ports. `npm start` on the orders fixture project must pass its scenario with nothing lost; a spec the
 * project has never seen must run through its synthetic events; `npm run dev` must write its state
 * file and remove it, and leave nothing running, on Ctrl-C.
 *
 * The commands run at the same time (describe.concurrent): each starts its own emulators on free
 * ports and keeps its files under `.local/run-<pid>/`, as two terminals of one user would, and most
 * of their time is spent waiting (emulators starting, visibility timeouts of the scenario).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import path from 'node:path';
import { fixtureProject, fixtureSpec, FIXTURE_SPECS_DIR, REPO_ROOT, tempDir } from '@kiro-serverless/fixtures';
import { generate } from '@kiro-serverless/generate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { LocalStateFile } from '../src/state.js';

const CLI = path.join(import.meta.dirname, '../src/cli.ts');
/** The orders fixture project, generated into a temporary folder: where the commands run. */
let ROOT = '';

beforeAll(async () => {
  ROOT = await fixtureProject('orders', 'local-cli');
  const lines: string[] = [];
  expect(await generate({ root: ROOT, mode: 'write' }, (l) => lines.push(l)), lines.join('\n')).toBe(0);
}, 60_000);

afterAll(async () => {
  if (ROOT !== '') await rm(ROOT, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in a child process, as `npm start` does (`tsx packages/local-cloud/src/cli.ts ...`). */
function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; onOutput?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...(options.env ?? process.env), FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      options.onOutput?.(out, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

async function io(args: readonly string[], command = 'start'): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(command, args, { out: (l) => out.push(l), err: (l) => err.push(l), root: ROOT });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function portAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe.concurrent('npm start (the orders fixture)', () => {
  it('runs the scenario, prints the trace and the summary, and exits 0 with nothing lost', async () => {
    const run = await runCli(['start', '--no-generate']);
    expect(run.err).not.toMatch(/Error:/);
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    // The trace: INIT once per environment, then warm invocations; batches; the poison order's trip to the DLQ.
    expect(run.out).toMatch(/createOrder\s+INIT \d+ ms \(createOrder#1, provisioned\)/);
    expect(run.out).toMatch(/\(createOrder#\d+, warm\)/);
    expect(run.out).toMatch(/publishOrderEvents\s+stream orders: batch of \d+/);
    expect(run.out).toMatch(/fulfilment-dlq\s+← message .* from fulfilment \(maxReceiveCount reached\)/);
    // The summary.
    expect(run.out).toMatch(/^orders accepted \(201\)\s+31\s+31$/m);
    expect(run.out).toMatch(/^rejected with 400\s+1\s+1$/m);
    expect(run.out).toMatch(/^duplicates answered from idempotency\s+1\s+1$/m);
    expect(run.out).toMatch(/^in the fulfilment DLQ\s+1\s+1$/m);
    expect(run.out).toMatch(/^lost\s+0\s+0$/m);
    expect(run.out).toMatch(/Scenario passed/);
  }, 240_000);
});

describe.concurrent('npm start -- <a spec the project has not seen>', () => {
  let project: string | undefined;
  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('generates it, drives one synthetic event through every trigger, and reports each function', async () => {
    project = await tempDir('unseen-spec');
    await mkdir(path.join(project, 'specs'), { recursive: true });
    await copyFile(path.join(FIXTURE_SPECS_DIR, 'billing.yaml'), path.join(project, 'specs/billing.yaml'));
    await writeFile(path.join(project, 'package.json'), '{ "name": "unseen", "private": true, "type": "module" }\n');
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');

    const run = await runCli(['start', 'specs/billing.yaml'], { cwd: project });
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    expect(run.out).toMatch(/No scenario file beside the spec/);
    const billing = fixtureSpec('billing');
    const functionIds = [...billing.matchAll(/^ {2}(\w+):\n(?: {4}.*\n)*? {4}trigger:/gm)].map((m) => m[1]);
    expect(functionIds.length).toBeGreaterThan(5);
    for (const id of functionIds) expect(run.out).toMatch(new RegExp(`^${id}\\s+\\w+\\s+1\\s+0\\s+ok$`, 'm'));
    expect(run.out).toMatch(/Every function was invoked through its trigger and succeeded/);
  }, 240_000);
});

describe.concurrent('npm run dev', () => {
  it('keeps the cloud up with a state file, and on Ctrl-C stops everything and removes the file', async () => {
    const stateFile = path.join(ROOT, '.local', 'state.json');
    let state: LocalStateFile | undefined;
    let interrupted = false;
    const run = await runCli(['dev', 'specs/orders.yaml', '--no-generate'], {
      onOutput: (out, child) => {
        if (interrupted || !out.includes('Watching src/')) return;
        interrupted = true;
        void readFile(stateFile, 'utf8').then((text) => {
          state = JSON.parse(text) as LocalStateFile;
        }).finally(() => child.kill('SIGINT'));
      },
    });
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    expect(state?.services['orders']?.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(state?.services['orders']?.resources.queues['fulfilment']?.deadLetter?.maxReceiveCount).toBe(5);
    expect(state?.services['orders']?.functions['createOrder']?.inits).toBe(2); // provisioned concurrency
    expect(existsSync(stateFile)).toBe(false);
    // Nothing left listening.
    expect(await portAnswers(state?.endpoints.dynamoDb ?? 'http://127.0.0.1:9')).toBe(false);
    expect(await portAnswers(state?.endpoints.fauxqs ?? 'http://127.0.0.1:9')).toBe(false);
  }, 240_000);
});

describe.concurrent('npm run invoke', () => {
  it('invokes one function once with a typed event for its trigger and prints the response', async () => {
    const run = await runCli(['invoke', 'createOrder', '--event', 'http', '--no-generate']);
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    expect(run.out).toMatch(/^INIT \d+ ms$/m);
    expect(run.out).toMatch(/^Duration \d+ ms, request [0-9a-f-]{36}$/m);
    // The typed HTTP event has an empty body: the function answers 400 with the problems.
    expect(run.out).toMatch(/"statusCode": 400/);
    expect(run.out).toMatch(/customerId/);
  }, 120_000);
});

describe.concurrent('errors a user can make', () => {
  it('names a missing spec file and how to give one', async () => {
    const { code, err } = await io(['specs/nope.yaml']);
    expect(code).toBe(2);
    expect(err).toMatch(/specs\/nope\.yaml: no such spec file\. Fix: .*npm start -- specs\/orders\.yaml/);
  });

  it('refuses a time scale outside (0, 1]', async () => {
    const { code, err } = await io(['--time-scale', '5']);
    expect(code).toBe(2);
    expect(err).toMatch(/--time-scale takes a factor in \(0, 1\]/);
  });

  it('refuses an unknown command and an unknown function', async () => {
    expect((await io([], 'deploy')).code).toBe(2);
    const { code, err } = await io(['nosuchFunction', '--no-generate'], 'invoke');
    expect(code).toBe(2);
    expect(err).toMatch(/No spec declares a function nosuchFunction\. Functions: createOrder \(specs\/orders\.yaml\)/);
  });

  it('says at once how to install Java when there is none', async () => {
    const run = await runCli(['start', '--no-generate'], { env: { ...process.env, PATH: '' } });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/DynamoDB Local needs Java 17\+.*Install Java 17 or newer/s);
    expect(run.err).not.toMatch(/\n\s+at /); // no stack trace for a missing tool
  }, 60_000);
});
