/**
 * The CDK app of a project: one stack per service model, built by its generated stack class and
 * checked by cdk-nag's AwsSolutions and Serverless packs through the Validations API. The project's
 * `infra/app.ts` calls it with the generated stack index; tests call it with their own.
 *
 * Stage and environment: `STAGE` (default `dev`) prefixes the stack names, so that several copies
 * can live in one account; account and region come from the CLI's profile
 * (`CDK_DEFAULT_ACCOUNT`, `CDK_DEFAULT_REGION`).
 */
import { App, Validations } from 'aws-cdk-lib';
import type { Stack, StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadServiceModels } from '@kiro-serverless/model/check';
import type { ServiceModel } from '@kiro-serverless/model/model';
import { defaultStage, stackName } from '@kiro-serverless/model/naming';

/** What a generated stack class looks like to the app. */
export type ServiceStackClass = new (scope: Construct, id: string, props: StackProps & { projectRoot: string }) => Stack;

export interface BuildAppOptions {
  /** Where specs/ and src/ are: function entries resolve against it. */
  readonly root: string;
  /** The stack class of each service, by service name (the project's `infra/generated/stacks.ts`). */
  readonly stacks: Readonly<Record<string, ServiceStackClass | undefined>>;
  /** The models to build. @default every spec under `root/specs` */
  readonly models?: readonly ServiceModel[];
  /** Prefix of stack names. @default process.env.STAGE, else 'dev' */
  readonly stage?: string;
  /** Extra app context (tests pass `aws:cdk:bundling-stacks: []` to skip bundling). @default none */
  readonly context?: Record<string, unknown>;
  /**
   * Run aws-cdk-lib's own CloudFormation validation on synth (several seconds per synth; tests that
   * check templates with assertions turn it off). @default true
   */
  readonly builtinValidation?: boolean;
}

/** Builds the app: one stack per model, cdk-nag registered. Throws if a spec has no generated stack. */
export async function buildApp(options: BuildAppOptions): Promise<App> {
  const stage = options.stage ?? defaultStage();
  const models = options.models ?? await loadServiceModels(options.root);
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.builtinValidation === false ? { builtinCloudFormationValidation: false } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const env = process.env.CDK_DEFAULT_ACCOUNT || process.env.CDK_DEFAULT_REGION
    ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
    : undefined;
  for (const model of models) {
    const ServiceStack = options.stacks[model.service];
    if (ServiceStack === undefined) {
      throw new Error(`${model.sourceFile}: service ${model.service} has no generated stack. Fix: run \`npm run generate\`.`);
    }
    new ServiceStack(app, stackName(stage, model.service), {
      projectRoot: options.root,
      description: `${model.service}${model.description === undefined ? '' : `: ${model.description}`} (from ${model.sourceFile})`,
      ...(env ? { env } : {}),
    });
  }
  return app;
}
