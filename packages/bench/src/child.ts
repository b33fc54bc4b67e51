/**
 * Child processes of the bench: the runner (runner.ts, bundled to runner.mjs once per run) and any
 * command whose wall time is a figure.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { BenchError } from './errors.js';

/** Bundles runner.ts to `<workDir>/runner.mjs` (plain ESM, Node built-ins only). */
export async function buildRunner(workDir: string): Promise<string> {
  const outfile = path.join(workDir, 'runner.mjs');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./runner.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent',
  });
  return outfile;
}

/** What a finished child process gave. */
export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Epoch milliseconds (sub-millisecond precision) just before the spawn. */
  readonly spawnedAt: number;
  /** Milliseconds from just before the spawn to the exit. */
  readonly wallMs: number;
}

/** Runs `command` with `args`; resolves when it exits (never rejects for a non-zero exit). */
export function runChild(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.timeOrigin + performance.now();
    const start = process.hrtime.bigint();
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code, spawnedAt, wallMs: Number(process.hrtime.bigint() - start) / 1e6,
        stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** The `@@bench {...}` line a runner printed, parsed; throws with the child's output when there is none. */
export function runnerOutput<T>(result: ChildResult, what: string): T {
  const line = result.stdout.split('\n').reverse().find((l) => l.startsWith('@@bench '));
  if (result.code !== 0 || line === undefined) {
    throw new BenchError(`${what}: the runner exited with ${String(result.code)} and no result.\n${result.stderr.slice(-2_000)}${result.stdout.slice(-1_000)}`);
  }
  return JSON.parse(line.slice('@@bench '.length)) as T;
}
