/**
 * The floor of a useful function (item 2): one module-scope DynamoDB document client and one write,
 * no Powertools, bundled exactly like a ServiceFunction. Our cold start is compared with this.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.TABLE_NAME ?? '';

export const handler = async (event: SQSEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  for (const record of event.Records) {
    const body = JSON.parse(record.body) as { orderId: string; customerId: string };
    await documentClient.send(new PutCommand({
      TableName: tableName,
      Item: { pk: `ORDER#${body.orderId}`, sk: 'NOTE', customerId: body.customerId, at: new Date().toISOString() },
    }));
  }
  return { batchItemFailures: [] };
};
