/**
 * Item 4 (LBP-INIT-CLIENTS in numbers): the same read with a client made at module scope (INIT,
 * reused warm; what packages/runtime/src/clients does) and with a client made inside the handler on every
 * invocation (the anti-pattern, the baseline). Driven by packages/bench/src/runner.ts (`warm` mode).
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const tableName = process.env.TABLE_NAME ?? '';
const key = { pk: { S: 'ORDER#bench' }, sk: { S: 'ORDER' } };
const moduleClient = new DynamoDBClient({});

export const variants: Record<string, () => Promise<object>> = {
  moduleScope: async () => {
    await moduleClient.send(new GetItemCommand({ TableName: tableName, Key: key }));
    return {};
  },
  inHandler: async () => {
    const client = new DynamoDBClient({});
    await client.send(new GetItemCommand({ TableName: tableName, Key: key }));
    return {};
  },
};

export const makeEvent = (): object => ({});
