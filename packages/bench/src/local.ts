/**
 * The local cloud the runtime figures run against: the emulators (DynamoDB Local and fauxqs, via
 * packages/local-cloud/src/emulators.ts) with the example service provisioned on them (packages/local-cloud/src/provision.ts),
 * and each function's environment as the local cloud gives it (packages/local-cloud/src/function-env.ts).
 *
 * @module
 */
import path from 'node:path';
import { startEmulators, type Emulators } from '@kiro-serverless/local-cloud/emulators';
import { localFunctionEnvironment } from '@kiro-serverless/local-cloud/function-env';
import { provisionService, type LocalResources } from '@kiro-serverless/local-cloud/provision';
import { timeScale } from '@kiro-serverless/local-cloud/types';
import { loadServiceModels } from '@kiro-serverless/model/check';
import type { ServiceModel } from '@kiro-serverless/model/model';
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
