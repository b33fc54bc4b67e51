import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from './dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local started once per test run, e.g. `http://127.0.0.1:45123`. */
    dynamoDbEndpoint: string;
  }
}

/**
 * Vitest globalSetup: starts one in-memory DynamoDB Local for the whole run and provides its endpoint
 * to tests as `inject('dynamoDbEndpoint')`; the returned teardown stops it.
 * Tests share the instance, so each should use its own table names.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamoDb = await startDynamoDbLocal();
  project.provide('dynamoDbEndpoint', dynamoDb.endpoint);
  return async () => {
    await dynamoDb.stop();
  };
}
