/**
 * Tables in the DynamoDB Local of the test run: vitest's globalSetup
 * `@kiro-serverless/local-cloud/vitest-setup` starts one and tests read its endpoint with
 * `inject('dynamoDbEndpoint')`.
 */
import { randomUUID } from 'node:crypto';
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TABLE_SCHEMA } from '@kiro-serverless/model/environment';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local started once per test run, e.g. `http://127.0.0.1:45123`. */
    dynamoDbEndpoint: string;
  }
}

/** A client of DynamoDB Local with fake credentials (DynamoDB Local accepts any). */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** A table name no other test uses (tests share one DynamoDB Local). */
export const uniqueTableName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Creates a table with string keys (on-demand) and returns its name. */
export async function createTable(client: DynamoDBClient, name: string, keys: { partitionKey: string; sortKey?: string }): Promise<string> {
  const schema: KeySchemaElement[] = [{ AttributeName: keys.partitionKey, KeyType: 'HASH' }];
  if (keys.sortKey !== undefined) schema.push({ AttributeName: keys.sortKey, KeyType: 'RANGE' });
  await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: schema,
    AttributeDefinitions: schema.map((k) => ({ AttributeName: k.AttributeName, AttributeType: 'S' })),
  }));
  return name;
}

/** Creates an idempotency table shaped as the infrastructure creates it. */
export function createIdempotencyTable(client: DynamoDBClient, name = uniqueTableName('idempotency')): Promise<string> {
  return createTable(client, name, { partitionKey: IDEMPOTENCY_TABLE_SCHEMA.partitionKey });
}
