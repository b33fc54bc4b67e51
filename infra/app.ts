/**
 * The CDK app: one stack per spec under specs/, built by the generated stack classes
 * (infra/generated/), checked by cdk-nag's AwsSolutions and Serverless packs through the
 * Validations API. Run it through the CDK CLI: `npm run synth`, `npm run diff`, `npm run deploy`.
 *
 * Stage and environment: `STAGE` (default `dev`) prefixes the stack names, so that several copies
 * can live in one account; account and region come from the CLI's profile
 * (`CDK_DEFAULT_ACCOUNT`, `CDK_DEFAULT_REGION`).
 */
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadServiceModels } from '../tools/spec/check.js';
import { SpecValidationError } from '../tools/spec/errors.js';
import type { ServiceModel } from '../tools/spec/model.js';
import { STACKS } from './generated/stacks.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export interface BuildAppOptions {
  /** Where specs/ and src/ are. @default the project root */
  readonly root?: string;
  /** The models to build; @default every spec under root/specs */
  readonly models?: readonly ServiceModel[];
  /** Prefix of stack names. @default process.env.STAGE, else 'dev' */
  readonly stage?: string;
  /** Extra app context (tests pass `aws:cdk:bundling-stacks: []` to skip bundling). */
  readonly context?: Record<string, unknown>;
}

/** A service's stack name: `<stage>-<service>`. */
export function stackName(stage: string, service: string): string {
  return `${stage}-${service}`;
}

/** Builds the app: one stack per model, cdk-nag registered. Throws if a spec has no generated stack. */
export async function buildApp(options: BuildAppOptions = {}): Promise<App> {
  const root = options.root ?? PROJECT_ROOT;
  const stage = options.stage ?? (process.env.STAGE?.trim() || 'dev');
  const models = options.models ?? await loadServiceModels(root);
  const app = new App({ ...(options.context ? { context: options.context } : {}) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const env = process.env.CDK_DEFAULT_ACCOUNT || process.env.CDK_DEFAULT_REGION
    ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
    : undefined;
  for (const model of models) {
    const Stack = (STACKS as Readonly<Record<string, (typeof STACKS)[keyof typeof STACKS] | undefined>>)[model.service];
    if (Stack === undefined) {
      throw new Error(`${model.sourceFile}: service ${model.service} has no generated stack. Fix: run \`npm run generate\`.`);
    }
    new Stack(app, stackName(stage, model.service), {
      projectRoot: root,
      description: `${model.service}${model.description === undefined ? '' : `: ${model.description}`} (from ${model.sourceFile})`,
      ...(env ? { env } : {}),
    });
  }
  return app;
}

if (process.argv[1]?.endsWith('infra/app.ts')) {
  try {
    (await buildApp()).synth();
  } catch (error) {
    if (error instanceof SpecValidationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
