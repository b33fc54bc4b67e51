import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { RecordingServer } from '../helpers/recording-server.js';
import { startRecordingServer } from '../helpers/recording-server.js';
import { stubAwsEnv } from '@kiro-serverless/testing';

async function importFresh(): Promise<typeof import('../../src/clients/sns.js')> {
  vi.resetModules();
  return import('../../src/clients/sns.js');
}

const PUBLISH_RESPONSE = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>m-1</MessageId></PublishResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</PublishResponse>`;

describe('sns', () => {
  let server: RecordingServer;

  beforeEach(async () => {
    stubAwsEnv();
    server = await startRecordingServer(() => ({ headers: { 'content-type': 'text/xml' }, body: PUBLISH_RESPONSE }));
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it('is created once at module scope with the region from AWS_REGION', async () => {
    const first = await import('../../src/clients/sns.js');
    const again = await import('../../src/clients/sns.js');
    expect(again.sns).toBe(first.sns);
    expect(await first.sns.config.region()).toBe('eu-west-1');
  });

  it('sends requests to AWS_ENDPOINT_URL_SNS, read by the SDK itself', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', server.url);
    const { sns } = await importFresh();

    const output = await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:000000000000:orders', Message: 'hi' }));

    expect(output.MessageId).toBe('m-1');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.host).toBe(new URL(server.url).host);
    expect(new URLSearchParams(server.requests[0]!.body).get('Action')).toBe('Publish');
  });

  it('falls back to AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', server.url);
    const { sns } = await importFresh();
    await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:000000000000:orders', Message: 'hi' }));
    expect(server.requests).toHaveLength(1);
  });
});
