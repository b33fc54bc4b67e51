/**
 * Items 3 and 4, warm: one fresh `node` per subject runs its variants interleaved batch by batch
 * (runner.ts `warm` mode) against the local emulators.
 *
 * - Item 3: the generated wrappers (batch processing, idempotency on and off, logging) against a
 *   plain loop over the same 100 records, in microseconds per record.
 * - Item 4: a DynamoDB read with the client at module scope against a client made in the handler,
 *   per warm invocation.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, constructBuildOptions, constructBundling } from './bundle.js';
import { runChild, runnerOutput } from './child.js';
import { CLIENT_INVOCATIONS, WARM_BATCH_SIZE, WARM_BATCHES, WARM_WARMUP_BATCHES } from './constants.js';
import { us } from './format.js';
import { childEnv, type BenchCloud } from './local.js';
import { median, p90, ratio } from './stats.js';
import type { BenchOptions, BenchRow, SectionResult } from './types.js';

const WRAPPERS = fileURLToPath(new URL('./subjects/wrappers.ts', import.meta.url));
const CLIENTS = fileURLToPath(new URL('./baselines/client-in-handler.ts', import.meta.url));

const WRAPPER_VARIANTS = [
  { name: 'batch', label: 'Powertools batch' },
  { name: 'batchLogging', label: 'batch + logging (idempotency off)' },
  { name: 'batchIdempotencyLogging', label: 'batch + idempotency + logging (generated entry)' },
] as const;

/** Builds `subject` in the fixture project (as a ServiceFunction is built) and runs its variants in one fresh `node`. */
async function runWarm(
  options: BenchOptions, cloud: BenchCloud, subject: string, env: Record<string, string>, variants: readonly string[], batches: number, warmup: number,
): Promise<Record<string, number[]>> {
  const bundling = await constructBundling('nodejs22.x', cloud.root);
  const bundle = await buildBundle(constructBuildOptions(bundling, subject, cloud.root, path.join(options.workDir, 'warm', path.basename(subject, '.ts'))), true);
  const runner = path.join(options.workDir, 'runner.mjs');
  const child = await runChild(process.execPath, [runner, 'warm', bundle.file, String(batches), String(warmup), variants.join(',')], {
    env: childEnv(env), timeoutMs: 600_000,
  });
  return runnerOutput<{ samplesUs: Record<string, number[]> }>(child, `warm run of ${subject}`).samplesUs;
}

export async function warmOverhead(options: BenchOptions, cloud: BenchCloud): Promise<SectionResult> {
  const batches = options.quick ? WARM_BATCHES.quick : WARM_BATCHES.full;
  // The environment of the fixture's queue consumer (its idempotency table among it), as the wrappers are an SQS consumer's.
  const env = { ...cloud.functionEnv(cloud.functionOf('sqs').id), POWERTOOLS_SERVICE_NAME: 'bench' };
  const samples = await runWarm(options, cloud, WRAPPERS, env, ['plainLoop', ...WRAPPER_VARIANTS.map((v) => v.name)], batches, WARM_WARMUP_BATCHES);
  const perRecord = (name: string) => (samples[name] ?? []).map((batchUs) => batchUs / WARM_BATCH_SIZE);
  const plain = perRecord('plainLoop');
  const rows: BenchRow[] = WRAPPER_VARIANTS.map((variant): BenchRow => {
    const own = perRecord(variant.name);
    return {
      item: 3, figure: `warm per record: ${variant.label} vs plain loop`, ours: us(median(own)), baseline: `plain loop ${us(median(plain))}`,
      ratio: ratio(median(own), median(plain)),
      context: `+${us(median(own) - median(plain))} per record; batch of ${WARM_BATCH_SIZE}, median of ${batches} batches, p90 ${us(p90(own))}`,
    };
  });
  return {
    rows,
    notes: [
      `Warm overhead: one process runs every variant over batches of ${WARM_BATCH_SIZE} SQS messages, interleaved (plain, batch, ` +
      `batch + logging, batch + idempotency + logging, then again), ${WARM_WARMUP_BATCHES} warm-up rounds not counted. The business ` +
      'logic is the same trivial check in each, so the difference is the wrappers. Idempotency stores and completes a record per ' +
      'message in DynamoDB Local (two requests), so its figure is mostly those round trips, as it would be on AWS.',
    ],
  };
}

export async function clientScope(options: BenchOptions, cloud: BenchCloud): Promise<SectionResult> {
  const invocations = options.quick ? CLIENT_INVOCATIONS.quick : CLIENT_INVOCATIONS.full;
  const samples = await runWarm(options, cloud, CLIENTS, cloud.baselineEnv(), ['moduleScope', 'inHandler'], invocations, 5);
  const moduleScope = samples.moduleScope ?? [];
  const inHandler = samples.inHandler ?? [];
  return {
    rows: [{
      item: 4, figure: 'warm invocation: client at module scope vs client in the handler', ours: us(median(moduleScope)),
      baseline: `in handler ${us(median(inHandler))}`, ratio: ratio(median(moduleScope), median(inHandler)),
      context: `the handler's client costs +${us(median(inHandler) - median(moduleScope))} per warm invocation (one GetItem on DynamoDB Local; ` +
        `median of ${invocations}, p90 ${us(p90(moduleScope))} vs ${us(p90(inHandler))})`,
    }],
    notes: [
      'Client scope: the same GetItem, interleaved, with a DynamoDBClient made once at INIT and with a new one made per invocation ' +
      '(new configuration resolution, credential chain, connection: no keep-alive reuse). On AWS the extra connection is a TLS ' +
      'handshake to a regional endpoint, so the real gap is larger than against a plain-HTTP local emulator.',
    ],
  };
}
