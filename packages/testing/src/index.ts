/**
 * What the service's tests import: builders for the events Lambda hands to a handler (the same ones
 * the local cloud delivers, from @kiro-serverless/events) and a hermetic AWS environment.
 * Tables in DynamoDB Local for integration tests: `@kiro-serverless/testing/dynamodb`.
 */
export * from '@kiro-serverless/events';
export { stubAwsEnv } from './aws-env.js';
