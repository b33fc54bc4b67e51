/**
 * cdk-nag acknowledgements, kept next to the resources they are about.
 *
 * cdk-nag 3 runs as a CDK validation plugin and reads acknowledgements from construct metadata
 * (`Validations.of(construct).acknowledge`), on the flagged resource or any of its ancestors. The
 * constructs here acknowledge on the resource itself (the L1 of an L2) so that an acknowledgement
 * never covers more than the resource it names.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges the cdk-nag rule `id` on `resource` (its L1 when it is an L2) with `reason`. */
export function acknowledge(resource: IConstruct, id: string, reason: string): void {
  Validations.of(resource.node.defaultChild ?? resource).acknowledge({ id, reason });
}

/** The same reason for several rules (for example the AwsSolutions and Serverless twins of one check). */
export function acknowledgeAll(resource: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) acknowledge(resource, id, reason);
}

/** Rule IDs of the two packs the app registers (`AwsSolutionsChecks`, `ServerlessChecks`), and one of the built-in validation. */
export const NagRule = {
  /** A queue with no dead-letter queue of its own (AwsSolutions). */
  queueWithoutDlq: 'AwsSolutions-SQS3',
  /** The same, as the Serverless pack words it. */
  queueWithoutRedrive: 'Serverless-SQSRedrivePolicy',
  lambdaDlq: 'Serverless-LambdaDLQ',
  latestRuntime: 'AwsSolutions-L1',
  latestRuntimeServerless: 'Serverless-LambdaLatestVersion',
  mappingDestination: 'Serverless-LambdaEventSourceMappingDestination',
  managedPolicy: 'AwsSolutions-IAM4',
  wildcard: 'AwsSolutions-IAM5',
  bucketLogging: 'AwsSolutions-S1',
  routeAuthorization: 'AwsSolutions-APIG4',
  /** A database on its engine's default port. */
  databaseDefaultPort: 'AwsSolutions-RDS11',
  /** A secret without rotation. */
  secretRotation: 'AwsSolutions-SMG4',
  /** aws-cdk-lib's built-in CloudFormation validation (not cdk-nag): an SNS lambda endpoint that is not a function. */
  lambdaEndpointIsFunction: 'CloudFormation-Validate::W3694',
} as const;
