/**
 * Item 2: cold start (INIT + first invocation). For each run a fresh `node` loads a bundle through
 * runner.mjs and serves one invocation against the local emulators; variants are interleaved
 * (A B C D E, A B C D E, ...) so that the shared machine's noise falls on every variant alike.
 * Ours: the generated entries of the bench fixture's SNS and SQS consumers (project.ts; picked by
 * trigger type), built as the construct builds them; the minimal bundled-SDK handler, baseline (b),
 * and `node -e 0` as the floor of any process.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { snsEvent } from '@kiro-serverless/events/sns';
import { sqsEvent, sqsRecord } from '@kiro-serverless/events/sqs';
import { entryPath } from '@kiro-serverless/model/layout';
import type { FunctionModel, TriggerModel } from '@kiro-serverless/model/model';
import { buildBundle, constructBuildOptions, constructBundling, samBuildOptions } from './bundle.js';
import { runChild, runnerOutput } from './child.js';
import { COLD_START_RUNS, COLD_START_TARGET_RATIO } from './constants.js';
import { BenchError } from './errors.js';
import { ms, times } from './format.js';
import { FIXTURE_TABLE, childEnv, type BenchCloud } from './local.js';
import { MINIMAL_BASELINE, SAM_BASELINE } from './sizes.js';
import { median, p90, ratio } from './stats.js';
import type { BenchOptions, BenchRow, SectionResult } from './types.js';

interface ColdRun {
  readonly bootMs: number;
  readonly initMs: number;
  readonly invokeMs: number;
  readonly servedAt: number;
  readonly error?: string;
}

interface Variant {
  readonly name: string;
  /** Builds the event of one run (and seeds what it needs); undefined for the floor. */
  readonly prepare?: () => Promise<unknown>;
  readonly bundle?: string;
  readonly env: Record<string, string>;
}

interface Samples {
  /** INIT + first invocation, measured inside the process (no process start-up). */
  readonly initInvoke: number[];
  readonly init: number[];
  /** Spawn to invocation served (or to exit for the floor). */
  readonly wall: number[];
}

/** An order event as the fixture's order events look (what its consumers parse). */
const orderEvent = (orderId: string) => ({
  type: 'OrderPlaced', orderId, customerId: 'bench-customer', status: 'PLACED', totalCents: 1_250, occurredAt: new Date().toISOString(),
});

/** The trigger types whose consumer is timed, each with the event of one run (seeding what the fixture's handler reads). */
const SUBJECTS: readonly { readonly type: TriggerModel['type']; readonly event: (cloud: BenchCloud, fn: FunctionModel) => Promise<unknown> }[] = [
  {
    type: 'sns',
    event: async (cloud, fn) => {
      const topic = fn.trigger.type === 'sns' ? fn.trigger.topic : '';
      return snsEvent(orderEvent(randomUUID()), { topic: cloud.resources.topics[topic]?.arn ?? topic });
    },
  },
  {
    type: 'sqs',
    // The fixture's queue consumer fulfils a placed order: the order is written first.
    event: async (cloud) => {
      const orderId = randomUUID();
      const now = new Date().toISOString();
      await cloud.emulators.clients.dynamoDb.send(new PutItemCommand({
        TableName: cloud.resources.tables[FIXTURE_TABLE]?.name ?? '',
        Item: marshall({ pk: `ORDER#${orderId}`, sk: 'ORDER', orderId, customerId: 'bench-customer', status: 'PLACED', lines: [], totalCents: 0, createdAt: now, updatedAt: now }),
      }));
      return sqsEvent([sqsRecord(orderEvent(orderId))]);
    },
  },
];

export async function coldStarts(options: BenchOptions, cloud: BenchCloud, runner: string): Promise<SectionResult> {
  const { workDir, quick } = options;
  const { root, model } = cloud;
  const dir = path.join(workDir, 'cold');
  const bundling = await constructBundling('nodejs22.x', root);
  const built = async (build: Parameters<typeof buildBundle>[0]) => (await buildBundle(build, true)).file;
  const sqsMessage = () => sqsEvent([sqsRecord({ orderId: randomUUID(), customerId: 'bench-customer' })]);

  const ours: Variant[] = [];
  for (const subject of SUBJECTS) {
    const fn = cloud.functionOf(subject.type);
    ours.push({
      name: `ours: ${model.service}.${fn.id}`,
      bundle: await built(constructBuildOptions(await constructBundling(fn.runtime, root), entryPath(model, fn), root, path.join(dir, fn.fileName))),
      env: cloud.functionEnv(fn.id),
      prepare: () => subject.event(cloud, fn),
    });
  }
  const variants: Variant[] = [
    ...ours,
    {
      name: 'minimal bundled-SDK handler',
      bundle: await built(constructBuildOptions(bundling, MINIMAL_BASELINE, root, path.join(dir, 'minimal'))),
      env: cloud.baselineEnv(),
      prepare: async () => sqsMessage(),
    },
    {
      name: 'baseline (b) SAM + Powertools',
      bundle: await built(samBuildOptions(SAM_BASELINE, root, path.join(dir, 'sam'))),
      // Tracing as in Lambda: a trace header for the facade segment; segments go by UDP to a daemon address nobody listens on.
      env: {
        ...cloud.baselineEnv(), _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
        AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR', _HANDLER: 'app.handler',
      },
      prepare: async () => sqsMessage(),
    },
    { name: 'floor: node -e 0', env: {} },
  ];

  const runs = quick ? COLD_START_RUNS.quick : COLD_START_RUNS.full;
  const samples = new Map<string, Samples>(variants.map((v) => [v.name, { initInvoke: [], init: [], wall: [] }]));
  for (let run = 0; run < runs + 1; run++) {
    for (const variant of variants) {
      const target = samples.get(variant.name);
      if (target === undefined) continue;
      if (variant.bundle === undefined) {
        const floor = await runChild(process.execPath, ['-e', '0'], { env: childEnv({}) });
        if (run > 0) target.wall.push(floor.wallMs);
        continue;
      }
      const eventFile = path.join(dir, `event-${run}.json`);
      await writeFile(eventFile, JSON.stringify(await variant.prepare?.()));
      // Source maps on, as deployed: the construct sets NODE_OPTIONS=--enable-source-maps (and SAM's template does the same with Sourcemap: true).
      const env = childEnv({ ...variant.env, NODE_OPTIONS: '--enable-source-maps' });
      const child = await runChild(process.execPath, [runner, 'cold', variant.bundle, eventFile], { env, timeoutMs: 60_000 });
      const result = runnerOutput<ColdRun>(child, `cold start of ${variant.name}`);
      if (result.error !== undefined) throw new BenchError(`cold start of ${variant.name}: the invocation failed (${result.error})`);
      // Run 0 of every variant warms the machine's file cache and the emulators' first-request paths; it is not counted.
      if (run === 0) continue;
      target.initInvoke.push(result.initMs + result.invokeMs);
      target.init.push(result.initMs);
      target.wall.push(result.servedAt - child.spawnedAt);
    }
    options.log(`  cold start: round ${run}/${runs}`);
  }
  return { rows: rowsOf(variants, samples, runs), notes: notes(runs) };
}

function rowsOf(variants: readonly Variant[], samples: ReadonlyMap<string, Samples>, runs: number): BenchRow[] {
  const of = (name: string) => samples.get(name) ?? { initInvoke: [], init: [], wall: [] };
  const minimal = of('minimal bundled-SDK handler');
  const floor = of('floor: node -e 0');
  const rows: BenchRow[] = [];
  for (const variant of variants.filter((v) => v.bundle !== undefined && v.name !== 'minimal bundled-SDK handler')) {
    const own = of(variant.name);
    const r = ratio(median(own.initInvoke), median(minimal.initInvoke));
    const ours = variant.name.startsWith('ours');
    rows.push({
      item: 2, figure: `cold start ${variant.name} vs minimal handler`, ours: ms(median(own.initInvoke)),
      baseline: `minimal ${ms(median(minimal.initInvoke))}`, ratio: r,
      ...(ours ? { target: `<= ${COLD_START_TARGET_RATIO.toFixed(2)}`, met: r <= COLD_START_TARGET_RATIO } : {}),
      context: `INIT ${ms(median(own.init))} + first invoke ${ms(median(own.initInvoke) - median(own.init))} (minimal ${ms(median(minimal.init))} + ` +
        `${ms(median(minimal.initInvoke) - median(minimal.init))}), median of ${runs}; p90 ${ms(p90(own.initInvoke))} vs ${ms(p90(minimal.initInvoke))}; ` +
        `spawn to served ${ms(median(own.wall))} = ${times(ratio(median(own.wall), median(floor.wall)))} the floor`,
    });
  }
  rows.push({
    item: 2, figure: 'cold start minimal handler vs floor (context)', ours: ms(median(minimal.wall)), baseline: `node -e 0 ${ms(median(floor.wall))}`,
    ratio: ratio(median(minimal.wall), median(floor.wall)),
    context: `spawn to served vs spawn to exit; INIT + first invoke ${ms(median(minimal.initInvoke))}, p90 ${ms(p90(minimal.initInvoke))}`,
  });
  return rows;
}

const notes = (runs: number): string[] => [
  `Cold start: ${runs} runs per variant (plus one uncounted warm-up round), interleaved. "INIT + first invoke" is measured inside the ` +
  'fresh process (import of the bundle, then one call of the handler against DynamoDB Local / fauxqs with the function\'s local ' +
  'environment, `NODE_OPTIONS=--enable-source-maps` as the construct sets it), which leaves out process start-up; "spawn to served" includes it and is compared with `node -e 0`. Lambda\'s own ' +
  'start-up (runtime bootstrap, code download) is not here; it is the same for every variant.',
];
