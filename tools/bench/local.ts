/**
 * The local cloud the runtime figures run against: the emulators (DynamoDB Local and fauxqs, via
 * tools/local/emulators.ts) with the example service provisioned on them (tools/local/provision.ts),
 * and each function's environment as the local cloud gives it (tools/local/function-env.ts).
 *
 * @module
 */
import path from 'node:path';
import { startEmulators, type Emulators } from '../local/emulators.js';
import { localFunctionEnvironment } from '../local/function-env.js';
import { provisionService, type LocalResources } from '../local/provision.js';
import { timeScale } from '../local/types.js';
import { loadServiceModels } from '../spec/check.js';
import type { ServiceModel } from '../spec/model.js';
import { BenchError } from './errors.js';

/** The example service the figures use. */
export const EXAMPLE_SERVICE = 'orders';

export interface BenchCloud {
  readonly emulators: Emulators;
  readonly model: ServiceModel;
  readonly resources: LocalResources;
  /** The environment of function `functionId` of the example service (what Lambda and its stack set, endpoints local). */
  functionEnv(functionId: string): Record<string, string>;
  /** The environment of a baseline handler: Lambda's variables, the endpoints, and `TABLE_NAME` = the orders table. */
  baselineEnv(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startBenchCloud(root: string, workDir: string): Promise<BenchCloud> {
  const model = (await loadServiceModels(root)).find((m) => m.service === EXAMPLE_SERVICE);
  if (model === undefined) throw new BenchError(`specs/: no service ${EXAMPLE_SERVICE}; the runtime figures use the example service`);
  const emulators = await startEmulators();
  try {
    const resources = await provisionService(model, {
      clients: emulators.clients, timeScale: timeScale(), root, stateDir: path.join(workDir, 'state'),
    });
    const functionEnv = (functionId: string): Record<string, string> => {
      const fn = model.functions[functionId];
      if (fn === undefined) throw new BenchError(`service ${EXAMPLE_SERVICE} has no function ${functionId}`);
      return { ...localFunctionEnvironment(model, fn, resources, emulators.endpoints).variables, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' };
    };
    const first = Object.keys(model.functions)[0] ?? '';
    const baselineEnv = (): Record<string, string> => {
      const base = functionEnv(first);
      const keep = Object.entries(base).filter(([name]) => name.startsWith('AWS_') || name === 'TZ');
      return { ...Object.fromEntries(keep), TABLE_NAME: resources.tables.orders?.name ?? '', POWERTOOLS_SERVICE_NAME: 'baseline' };
    };
    return { emulators, model, resources, functionEnv, baselineEnv, stop: () => emulators.stop() };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

/** `process.env` minus what would leak into a measured function (only PATH and HOME kept), plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}
