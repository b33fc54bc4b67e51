import rule from '../src/rules/no-aws-sdk-v2.js';
import { ruleTester } from './rule-tester.js';

const error = (source: string, replacement: string) => ({ messageId: 'v2', data: { source, replacement } });
const generic = 'the @aws-sdk/client-<service> package of each service you call (e.g. @aws-sdk/client-dynamodb)';

ruleTester.run('lambda/no-aws-sdk-v2', rule, {
  valid: [
    { name: 'v3 clients', code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport { DynamoDBClient, DynamoDBDocumentClient };` },
    { name: 'a package whose name starts like it', code: `import x from 'aws-sdk-client-mock';\nimport y from 'aws-sdk-v3-helpers';\nexport { x, y };` },
    { name: 'a string that is not a module', code: `export const name = 'aws-sdk';\nexport const r = resolveName('aws-sdk');\ndeclare function resolveName(s: string): string;` },
  ],
  invalid: [
    { name: 'default import', code: `import AWS from 'aws-sdk';\nexport const s3 = new AWS.S3();`, errors: [error('aws-sdk', generic)] },
    { name: 'type-only import', code: `import type { DynamoDB } from 'aws-sdk';\nexport type T = DynamoDB;`, errors: [error('aws-sdk', generic)] },
    {
      name: 'a v2 client module',
      code: `import DynamoDB from 'aws-sdk/clients/dynamodb';\nimport SQS from 'aws-sdk/clients/sqs';\nexport { DynamoDB, SQS };`,
      errors: [error('aws-sdk/clients/dynamodb', '@aws-sdk/client-dynamodb (and @aws-sdk/lib-dynamodb for the document client)'), error('aws-sdk/clients/sqs', '@aws-sdk/client-sqs')],
    },
    { name: 'require', code: `const AWS = require('aws-sdk');\nexport { AWS };`, errors: [error('aws-sdk', generic)] },
    { name: 'dynamic import', code: `export const load = () => import('aws-sdk/clients/stepfunctions');`, errors: [error('aws-sdk/clients/stepfunctions', '@aws-sdk/client-sfn')] },
    { name: 'import = require', code: `import AWS = require('aws-sdk');\nexport const x = AWS;`, errors: [error('aws-sdk', generic)] },
    { name: 're-export', code: `export { S3 } from 'aws-sdk';\nexport * from 'aws-sdk/lib/core';`, errors: [error('aws-sdk', generic), error('aws-sdk/lib/core', generic)] },
  ],
});
