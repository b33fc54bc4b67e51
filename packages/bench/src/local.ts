/**
 * The local cloud the runtime figures run against: the emulators (DynamoDB Local and fauxqs, via
 * packages/local-cloud/src/emulators.ts) with the bench's fixture project (project.ts: the kit's orders
 * fixture, generated) provisioned on them (packages/local-cloud/src/provision.ts), and each function's
 * environment as the local cloud gives it (packages/local-cloud/src/function-env.ts).
 *
 * @module
 */
import path from 'node:path';
import { startEmulators, type Emulators } from '@kiro-serverless/local-cloud/emulators';
import { localFunctionEnvironment } from '@kiro-serverless/local-cloud/function-env';
import { provisionService, type LocalResources } from '@kiro-serverless/local-cloud/provision';
import { timeScale } from '@kiro-serverless/local-cloud/types';
import { loadServiceModels } from '@kiro-serverless/model/check';
import type { FunctionModel, ServiceModel, TriggerModel } from '@kiro-serverless/model/model';
import { BenchError } from './errors.js';
import { BENCH_FIXTURE, benchProject } from './project.js';

/** The fixture's table (partition key `pk`, sort key `sk`): the baseline handlers write to it, the queue consumer's orders are seeded in it. */
export const FIXTURE_TABLE = 'orders';

export interface BenchCloud {
  /** The fixture project the figures run on (generated; its entries are what the figures build). */
  readonly root: string;
  readonly emulators: Emulators;
  readonly model: ServiceModel;
  readonly resources: LocalResources;
  /** The fixture's first function (in spec order) with a trigger of this type; throws if it has none. */
  functionOf(type: TriggerModel['type']): FunctionModel;
  /** The environment of function `functionId` of the fixture (what Lambda and its stack set, endpoints local). */
  functionEnv(functionId: string): Record<string, string>;
  /** The environment of a baseline handler: Lambda's variables, the endpoints, and `TABLE_NAME` = the baseline table. */
  baselineEnv(): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Makes the fixture project under `workDir` (linked to `repoRoot`, the repository running the bench),
 * starts the emulators and provisions the fixture's service on them.
 */
export async function startBenchCloud(repoRoot: string, workDir: string): Promise<BenchCloud> {
  const root = await benchProject(repoRoot, workDir);
  const [model, ...others] = await loadServiceModels(root);
  if (model === undefined || others.length > 0) throw new BenchError(`the ${BENCH_FIXTURE} fixture project must hold exactly one spec (${root})`);
  const emulators = await startEmulators();
  try {
    const resources = await provisionService(model, {
      clients: emulators.clients, timeScale: timeScale(), root, stateDir: path.join(workDir, 'state'),
    });
    const functionOf = (type: TriggerModel['type']): FunctionModel => {
      const fn = Object.values(model.functions).find((f) => f.trigger.type === type);
      if (fn === undefined) throw new BenchError(`the ${BENCH_FIXTURE} fixture has no function with a ${type} trigger; the runtime figures need one`);
      return fn;
    };
    const functionEnv = (functionId: string): Record<string, string> => {
      const fn = model.functions[functionId];
      if (fn === undefined) throw new BenchError(`the ${BENCH_FIXTURE} fixture has no function ${functionId}`);
      return { ...localFunctionEnvironment(model, fn, resources, emulators.endpoints).variables, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' };
    };
    const first = Object.keys(model.functions)[0] ?? '';
    const baselineEnv = (): Record<string, string> => {
      const table = resources.tables[FIXTURE_TABLE];
      if (table === undefined) throw new BenchError(`the ${BENCH_FIXTURE} fixture has no table ${FIXTURE_TABLE}; the baseline handlers write to it`);
      const keep = Object.entries(functionEnv(first)).filter(([name]) => name.startsWith('AWS_') || name === 'TZ');
      return { ...Object.fromEntries(keep), TABLE_NAME: table.name, POWERTOOLS_SERVICE_NAME: 'baseline' };
    };
    return { root, emulators, model, resources, functionOf, functionEnv, baselineEnv, stop: () => emulators.stop() };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

/** `process.env` minus what would leak into a measured function (only PATH and HOME kept), plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}
