import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB client of this execution environment, created once at INIT and reused by every warm
 * invocation (import it; never create clients in a handler). Business logic uses
 * {@link documentClient}; this one serves the idempotency layer.
 *
 * - Region: `AWS_REGION` (set by Lambda), through the SDK's default chain.
 * - Endpoint: AWS, unless `AWS_ENDPOINT_URL_DYNAMODB` or `AWS_ENDPOINT_URL` is set (the local cloud
 *   sets them); the SDK reads them itself on the first request.
 * - HTTP keep-alive is the SDK v3 default on Node.js, so warm invocations reuse TLS connections.
 */
export const dynamoDbClient = new DynamoDBClient({});

/**
 * The DynamoDB document client over {@link dynamoDbClient}: items are plain JavaScript objects;
 * `undefined` attributes are dropped (`removeUndefinedValues`) instead of failing the call.
 */
export const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});
