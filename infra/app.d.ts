import { App } from 'aws-cdk-lib';
import type { Stack, StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ServiceModel } from '@kiro-serverless/model/model';
export { stackName } from '@kiro-serverless/model/naming';
export declare const PROJECT_ROOT: string;
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
export type ServiceStackClass = new (scope: Construct, id: string, props: StackProps & {
    projectRoot: string;
}) => Stack;
/** Builds the app: one stack per model, cdk-nag registered. Throws if a spec has no generated stack. */
export declare function buildApp(options?: BuildAppOptions): Promise<App>;
