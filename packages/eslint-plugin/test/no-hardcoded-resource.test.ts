import rule from '../src/rules/no-hardcoded-resource.js';
import { ruleTester } from './rule-tester.js';

ruleTester.run('lambda/no-hardcoded-resource', rule, {
  valid: [
    { name: 'names from the environment', code: `import { PutCommand } from '@aws-sdk/lib-dynamodb';\nexport const c = new PutCommand({ TableName: process.env.TABLE_ORDERS, Item: {} });` },
    { name: 'names from resources', code: `declare const resources: { topics: { orderEvents: string } };\nexport const input = { TopicArn: resources.topics.orderEvents, Message: 'hi' };` },
    { name: 'an ARN regex (validation, not a resource)', code: `export const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12})?:.+$/;` },
    { name: 'an ARN placeholder in a message', code: `export const hint = 'expected an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)';` },
    { name: 'an ARN built from a partition variable', code: `declare const partition: string;\nexport const prefix = \`arn:\${partition}:sns:\`;` },
    { name: 'ARN template types', code: `export type TopicArn = \`arn:aws:sns:\${string}\`;\nexport type Fixed = 'arn:aws:sqs:eu-west-1:123456789012:q';` },
    { name: 'a 12-digit number that is not an account', code: `export const orderNumber = '123456789012';\nexport const url = 'https://example.com/orders/123456789012/';` },
    { name: 'non-resource keys may be literals', code: `export const input = { Key: 'catalog.json', ConditionExpression: 'attribute_not_exists(pk)', IndexName: 'byCustomer' };` },
    { name: 'an empty name is not a resource', code: `export const input = { TableName: '' };` },
    { name: 'a key that is computed from a variable', code: `declare const TableName: string;\nexport const input = { [TableName]: 'orders' };` },
    { name: 'import sources', code: `import x from 'arn:aws:sqs:thing';\nexport { x };` },
  ],
  invalid: [
    {
      name: 'a topic ARN in a command',
      code: `import { PublishCommand } from '@aws-sdk/client-sns';\nexport const c = new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders', Message: 'x' });`,
      errors: [{ messageId: 'arn', data: { text: 'arn:aws:sns:eu-west-1:123456789012:orders' } }],
    },
    {
      name: 'an ARN inside a longer text: the message quotes the ARN only',
      code: `export const hint = 'Publish to arn:aws:sns:eu-west-1:123456789012:orders, then wait';`,
      errors: [{ messageId: 'arn', data: { text: 'arn:aws:sns:eu-west-1:123456789012:orders' } }],
    },
    {
      name: 'an ARN in another partition, in a plain constant',
      code: `export const role = 'arn:aws-cn:iam::123456789012:role/x';`,
      errors: [{ messageId: 'arn' }],
    },
    {
      name: 'an ARN template with substitutions',
      code: `declare const region: string;\nexport const topic = \`arn:aws:sns:\${region}:123456789012:orders\`;`,
      errors: [{ messageId: 'arn' }],
    },
    {
      name: 'an SQS queue URL',
      code: `export const input = { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/fulfilment', MessageBody: 'x' };`,
      errors: [{ messageId: 'queueUrl' }],
    },
    {
      name: 'an account ID in an AWS host name',
      code: `export const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app';`,
      errors: [{ messageId: 'account', data: { text: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app' } }],
    },
    {
      name: 'an account ID given to an account property or variable',
      code: `export const input = { ExpectedBucketOwner: '123456789012' };\nconst accountId = \`210987654321\`;\nexport { accountId };`,
      errors: [{ messageId: 'account', data: { text: '123456789012' } }, { messageId: 'account', data: { text: '210987654321' } }],
    },
    {
      name: 'literal table, bucket, function names in SDK inputs',
      code: `import { GetObjectCommand } from '@aws-sdk/client-s3';\nimport { PutCommand } from '@aws-sdk/lib-dynamodb';\nexport const a = new PutCommand({ TableName: 'orders', Item: {} });\nexport const b = new GetObjectCommand({ Bucket: \`catalog-bucket\`, Key: 'catalog.json' });\nexport const c = { FunctionName: 'orders-createOrder' };`,
      errors: [
        { messageId: 'resourceName', data: { key: 'TableName', text: 'orders' } },
        { messageId: 'resourceName', data: { key: 'Bucket', text: 'catalog-bucket' } },
        { messageId: 'resourceName', data: { key: 'FunctionName', text: 'orders-createOrder' } },
      ],
    },
    {
      name: 'a name through a const',
      code: `const TABLE = 'orders';\nexport const input = { TableName: TABLE, Key: {} };`,
      errors: [{ messageId: 'resourceName', data: { key: 'TableName', text: "TABLE = 'orders'" } }],
    },
  ],
});
