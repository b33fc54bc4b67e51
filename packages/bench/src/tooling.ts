/**
 * Item 6: the development loop. The generator (packages/generate/src/cli.ts `generate`) on 1, 10 and 100
 * services; `cdk synth` (with bundling, as `npm run synth` runs it) on 1 and 5 specs; the full
 * `npm test` once (full mode only). The generator and synth run in a temporary project made like a
 * fork of the template: N copies of the kit's orders fixture spec (packages/fixtures, so that the
 * figures do not move when the user edits or removes the example), the project's own infra/ app and
 * configuration, and its node_modules (and through it the kit's packages) linked in.
 *
 * @module
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ORDERS } from '@kiro-serverless/fixtures';
import { generate } from '@kiro-serverless/generate';
import { runChild } from './child.js';
import { GENERATOR_SERVICES, SYNTH_SPECS } from './constants.js';
import { BenchError } from './errors.js';
import { seconds, times } from './format.js';
import { msSince, ratio } from './stats.js';
import type { BenchOptions, BenchRow, SectionResult } from './types.js';

/** A temporary project under `workDir` with `count` copies of the orders fixture spec (`orders-1` ...). */
async function project(options: BenchOptions, name: string, count: number): Promise<string> {
  const root = await mkdtemp(path.join(options.workDir, `${name}-`));
  await mkdir(path.join(root, 'specs'), { recursive: true });
  await mkdir(path.join(root, 'src'), { recursive: true });
  await mkdir(path.join(root, 'infra'), { recursive: true });
  for (let i = 1; i <= count; i++) {
    await writeFile(path.join(root, 'specs', `orders-${i}.yaml`), ORDERS.replace(/^service: orders$/m, `service: orders-${i}`));
  }
  await symlink(path.join(options.root, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  // infra/: top-level files copied, so that app.ts resolves ./generated in this project.
  for (const entry of await readdir(path.join(options.root, 'infra'), { withFileTypes: true })) {
    if (entry.name === 'generated') continue;
    const from = path.join(options.root, 'infra', entry.name);
    if (entry.isFile()) await copyFile(from, path.join(root, 'infra', entry.name));
  }
  for (const file of ['cdk.json', 'tsconfig.json', 'tsconfig.base.json', 'package.json', 'package-lock.json']) await copyFile(path.join(options.root, file), path.join(root, file));
  return root;
}

async function timeGenerate(options: BenchOptions, services: number): Promise<number> {
  const root = await project(options, `generate-${services}`, services);
  try {
    const lines: string[] = [];
    const start = process.hrtime.bigint();
    const code = await generate({ root, mode: 'write' }, (line) => lines.push(line));
    const elapsed = msSince(start);
    if (code !== 0) throw new BenchError(`the generator failed on ${services} service(s):\n${lines.join('\n')}`);
    return elapsed;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function timeSynth(options: BenchOptions, specs: number): Promise<number> {
  const root = await project(options, `synth-${specs}`, specs);
  try {
    const lines: string[] = [];
    if (await generate({ root, mode: 'write' }, (line) => lines.push(line)) !== 0) throw new BenchError(`generate failed before synth:\n${lines.join('\n')}`);
    const cdk = path.join(options.root, 'node_modules', '.bin', 'cdk');
    const result = await runChild(cdk, ['synth', '--quiet'], {
      cwd: root, timeoutMs: 900_000,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: '1', STAGE: 'bench' },
    });
    if (result.code !== 0) throw new BenchError(`cdk synth failed on ${specs} spec(s) (exit ${String(result.code)}):\n${result.stderr.slice(-3_000)}`);
    return result.wallMs;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Growth rows: each size against the first one, with the time per unit. */
function growthRows(label: string, unit: string, sizes: readonly number[], timesMs: readonly number[]): BenchRow[] {
  const [firstSize = 1, firstMs = 0] = [sizes[0], timesMs[0]];
  const one = unit.replace(/s$/, '');
  return sizes.slice(1).map((size, index) => {
    const own = timesMs[index + 1] ?? Number.NaN;
    const r = ratio(own, firstMs);
    return {
      item: 6, figure: `${label} ${size} ${unit} vs ${firstSize}`, ours: seconds(own), baseline: `${firstSize} ${firstSize === 1 ? one : unit}: ${seconds(firstMs)}`, ratio: r,
      context: `${size / firstSize}x the ${unit}: ${r / (size / firstSize) < 0.5 ? 'sub-linear' : r / (size / firstSize) <= 1.3 ? 'about linear' : 'super-linear'}; ` +
        `${seconds(own / size)} per ${one} vs ${seconds(firstMs / firstSize)}`,
    };
  });
}

/** Runs `npx vitest run [args]` in `root` once and reports its wall time and average per test (no baseline exists). */
export async function timeTestSuite(root: string, args: readonly string[] = []): Promise<BenchRow> {
  const result = await runChild(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', ...args], {
    cwd: root, timeoutMs: 1_800_000, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  // eslint-disable-next-line no-control-regex
  const text = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  const tests = /Tests\s+(?:(\d+) failed \| )?(\d+) passed(?: \| (\d+) skipped)?/.exec(text);
  const files = /Test Files\s+(?:\d+ failed \| )?(\d+) passed/.exec(text);
  const count = tests === null ? 0 : Number(tests[1] ?? 0) + Number(tests[2] ?? 0) + Number(tests[3] ?? 0);
  return {
    item: 6, figure: `full npm test (npx vitest run${args.length > 0 ? ` ${args.join(' ')}` : ''})`, ours: seconds(result.wallMs),
    baseline: '— (no baseline: growth per test)',
    context: `${count} tests in ${files?.[1] ?? '?'} files, ${seconds(count > 0 ? result.wallMs / count : Number.NaN)} per test on average; ` +
      `exit ${String(result.code)}${tests?.[1] ? `, ${tests[1]} failed` : ''}`,
  };
}

export async function toolingTimes(options: BenchOptions & { readonly skipTestSuite: boolean }): Promise<SectionResult> {
  const services = options.quick ? GENERATOR_SERVICES.quick : GENERATOR_SERVICES.full;
  const generatorMs: number[] = [];
  for (const count of services) {
    generatorMs.push(await timeGenerate(options, count));
    options.log(`  generator: ${count} service(s) ${seconds(generatorMs.at(-1) ?? 0)}`);
  }
  const specs = options.quick ? SYNTH_SPECS.quick : SYNTH_SPECS.full;
  const synthMs: number[] = [];
  for (const count of specs) {
    synthMs.push(await timeSynth(options, count));
    options.log(`  synth: ${count} spec(s) ${seconds(synthMs.at(-1) ?? 0)}`);
  }
  const rows: BenchRow[] = [
    {
      item: 6, figure: `generator ${services[0]} service`, ours: seconds(generatorMs[0] ?? Number.NaN), baseline: '— (growth below)',
      context: 'generate({ mode: "write" }) into an empty project: plan, render, write every file',
    },
    ...growthRows('generator', 'services', services, generatorMs),
    ...(specs.length === 0 ? [] : [{
      item: 6, figure: `cdk synth ${specs[0] ?? 1} spec`, ours: seconds(synthMs[0] ?? Number.NaN), baseline: '— (growth below)',
      context: 'npx cdk synth --quiet with esbuild bundling of every function and cdk-nag, as `npm run synth`',
    }]),
    ...growthRows('cdk synth', 'specs', specs, synthMs),
  ];
  if (!options.quick && !options.skipTestSuite) rows.push(await timeTestSuite(options.root));
  const notes = [
    'Tooling times: the generator and synth run in temporary projects built like a fork of the template (copies of the kit\'s orders ' +
    'fixture spec, packages/fixtures/projects/orders/specs/orders.yaml, renamed orders-1 ... orders-N; node_modules linked). Synth bundles every function with ' +
    'esbuild and runs cdk-nag, as `npm run synth` does. No baseline exists for these: each size is compared with the smallest, and ' +
    'the "how it grows" section says per unit.',
  ];
  if (options.quick) notes.push('Quick mode: the generator on 1 and 10 services; no synth (about 30 s per spec on this machine) and no full test run.');
  else if (options.skipTestSuite) notes.push('The full test run was skipped (--skip-test-suite).');
  return { rows, notes: [...notes, `Ratios read as: ${times(2)} = twice the time of the smallest size.`] };
}
