import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { RecordingServer } from '../helpers/recording-server.js';
import { startRecordingServer } from '../helpers/recording-server.js';
import { stubAwsEnv } from '@kiro-serverless/testing';

async function importFresh(): Promise<typeof import('../../src/clients/sqs.js')> {
  vi.resetModules();
  return import('../../src/clients/sqs.js');
}

describe('sqs', () => {
  let server: RecordingServer;

  beforeEach(async () => {
    stubAwsEnv();
    server = await startRecordingServer(() => ({
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      // MD5 of "hi", checked by the SDK.
      body: JSON.stringify({ MessageId: 'm-1', MD5OfMessageBody: '49f68a5c8493ec2c0bf489821c21fc3b' }),
    }));
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it('is created once at module scope with the region from AWS_REGION', async () => {
    const first = await import('../../src/clients/sqs.js');
    const again = await import('../../src/clients/sqs.js');
    expect(again.sqs).toBe(first.sqs);
    expect(await first.sqs.config.region()).toBe('eu-west-1');
  });

  it('sends requests to AWS_ENDPOINT_URL_SQS, read by the SDK itself', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', server.url);
    const { sqs } = await importFresh();

    const output = await sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/orders`, MessageBody: 'hi' }));

    expect(output.MessageId).toBe('m-1');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(server.requests[0]!.headers.host).toBe(new URL(server.url).host);
  });

  it('falls back to AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', server.url);
    const { sqs } = await importFresh();
    await sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/orders`, MessageBody: 'hi' }));
    expect(server.requests).toHaveLength(1);
  });
});
