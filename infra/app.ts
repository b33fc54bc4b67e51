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
import type { Stack, StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadServiceModels } from '../tools/spec/check.js';
import { SpecValidationError } from '../tools/spec/errors.js';
import type { ServiceModel } from '../tools/spec/model.js';
import { STACKS } from './generated/stacks.js';
import { defaultStage, stackName } from './naming.js';

export { stackName } from './naming.js';

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
  /**
   * Run aws-cdk-lib's own CloudFormation validation on synth (several seconds per synth; tests that
   * check templates with assertions turn it off). @default true
   */
  readonly builtinValidation?: boolean;
  /** The stack class of each service. @default the generated index, infra/generated/stacks.ts */
  readonly stacks?: Readonly<Record<string, ServiceStackClass | undefined>>;
}

/** What a generated stack class looks like to the app. */
export type ServiceStackClass = new (scope: Construct, id: string, props: StackProps & { projectRoot: string }) => Stack;


/** Builds the app: one stack per model, cdk-nag registered. Throws if a spec has no generated stack. */
export async function buildApp(options: BuildAppOptions = {}): Promise<App> {
  const root = options.root ?? PROJECT_ROOT;
  const stage = options.stage ?? defaultStage();
  const models = options.models ?? await loadServiceModels(root);
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.builtinValidation === false ? { builtinCloudFormationValidation: false } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const env = process.env.CDK_DEFAULT_ACCOUNT || process.env.CDK_DEFAULT_REGION
    ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
    : undefined;
  for (const model of models) {
    const stacks: Readonly<Record<string, ServiceStackClass | undefined>> = options.stacks ?? STACKS;
    const ServiceStack = stacks[model.service];
    if (ServiceStack === undefined) {
      throw new Error(`${model.sourceFile}: service ${model.service} has no generated stack. Fix: run \`npm run generate\`.`);
    }
    new ServiceStack(app, stackName(stage, model.service), {
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
