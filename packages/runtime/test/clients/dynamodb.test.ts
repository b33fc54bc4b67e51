import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RecordingServer } from '../helpers/recording-server.js';
import { startRecordingServer } from '../helpers/recording-server.js';
import { stubAwsEnv } from '@kiro-serverless/testing';

async function importFresh(): Promise<typeof import('../../src/clients/dynamodb.js')> {
  vi.resetModules();
  return import('../../src/clients/dynamodb.js');
}

/** Stops a request at the deserialize step and returns where it would have gone (no network). */
class Captured extends Error {
  constructor(readonly hostname: string) {
    super('captured');
  }
}

describe('documentClient', () => {
  let server: RecordingServer;

  beforeEach(async () => {
    stubAwsEnv();
    server = await startRecordingServer(() => ({
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    }));
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it('is created once per module instance and wraps a DynamoDBClient', async () => {
    const first = await import('../../src/clients/dynamodb.js');
    const again = await import('../../src/clients/dynamodb.js');
    expect(again.documentClient).toBe(first.documentClient);
    expect(first.documentClient.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
    expect(await first.documentClient.config.region()).toBe('eu-west-1');
  });

  it('sends requests to AWS_ENDPOINT_URL_DYNAMODB, read by the SDK itself, and drops undefined attributes', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', server.url);
    const { documentClient } = await importFresh();
    // The SDK resolves configured endpoints per request, so `config.endpoint` stays unset: only a
    // request shows where the client goes.
    expect(documentClient.config.endpoint).toBeUndefined();

    await documentClient.send(new PutCommand({ TableName: 'orders', Item: { pk: 'o-1', note: undefined } }));

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.headers['x-amz-target']).toBe('DynamoDB_20120810.PutItem');
    expect(request!.headers.host).toBe(new URL(server.url).host);
    expect(JSON.parse(request!.body)).toEqual({ TableName: 'orders', Item: { pk: { S: 'o-1' } } });
  });

  it('falls back to AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', server.url);
    const { documentClient } = await importFresh();
    await documentClient.send(new PutCommand({ TableName: 'orders', Item: { pk: 'o-1' } }));
    expect(server.requests).toHaveLength(1);
  });

  it('goes to the regional AWS endpoint when no endpoint variable is set', async () => {
    const { documentClient } = await importFresh();
    documentClient.middlewareStack.add(
      () => (args) => {
        throw new Captured((args.request as { hostname: string }).hostname);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    const error: unknown = await documentClient.send(new PutCommand({ TableName: 'orders', Item: { pk: 'o-1' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Captured);
    expect((error as Captured).hostname).toBe('dynamodb.eu-west-1.amazonaws.com');
    expect(server.requests).toHaveLength(0);
  });

  it('prefers AWS_ENDPOINT_URL_DYNAMODB over AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', server.url);
    const { documentClient } = await importFresh();
    await documentClient.send(new PutCommand({ TableName: 'orders', Item: { pk: 'o-1' } }));
    expect(server.requests).toHaveLength(1);
  });
});
