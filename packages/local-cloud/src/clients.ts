/**
 * SDK clients of the local cloud's own tools (provisioning, the event-source-mapping engine, the
 * scenario), pointed at the emulators. Functions never use these: they build their own clients at
 * INIT from `AWS_ENDPOINT_URL_*`, as they would on Lambda.
 *
 * @module
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** The region every local resource lives in (ARNs, queue URLs, events). */
export const LOCAL_REGION = 'eu-west-1';
/** The account in local ARNs: fauxqs's fixed account. */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** Any credentials work with the emulators; these make it plain that they are not real. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Where the emulators listen. */
export interface LocalEndpoints {
  /** DynamoDB Local (tables and streams), e.g. `http://127.0.0.1:45123`. */
  readonly dynamoDb: string;
  /** fauxqs (SQS, SNS and S3 on one port). */
  readonly fauxqs: string;
}

export interface LocalClients {
  readonly dynamoDb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  /** Closes every client's sockets. */
  destroy(): void;
}

/** Clients for the emulators at `endpoints`: local region and credentials, few retries (an emulator that fails is not throttling). */
export function localClients(endpoints: LocalEndpoints): LocalClients {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 };
  const dynamoDb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamoDb });
  const streams = new DynamoDBStreamsClient({ ...common, endpoint: endpoints.dynamoDb });
  const sqs = new SQSClient({ ...common, endpoint: endpoints.fauxqs });
  const sns = new SNSClient({ ...common, endpoint: endpoints.fauxqs });
  const s3 = new S3Client({ ...common, endpoint: endpoints.fauxqs, forcePathStyle: true });
  return {
    dynamoDb, streams, sqs, sns, s3,
    destroy() {
      for (const client of [dynamoDb, streams, sqs, sns, s3]) client.destroy();
    },
  };
}
