import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { RecordingServer } from '../helpers/recording-server.js';
import { startRecordingServer } from '../helpers/recording-server.js';
import { stubAwsEnv } from '@kiro-serverless/testing';

async function importFresh(): Promise<typeof import('../../src/clients/s3.js')> {
  vi.resetModules();
  return import('../../src/clients/s3.js');
}

/** Stops a request before it is sent and returns where it would have gone (no network). */
class Captured extends Error {
  constructor(readonly hostname: string, readonly path: string) {
    super('captured');
  }
}

describe('s3', () => {
  let server: RecordingServer;

  beforeEach(async () => {
    stubAwsEnv();
    server = await startRecordingServer(() => ({ headers: { 'content-type': 'application/json' }, body: '{"sku":1}' }));
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it('is created once at module scope with the region from AWS_REGION', async () => {
    const first = await import('../../src/clients/s3.js');
    const again = await import('../../src/clients/s3.js');
    expect(again.s3).toBe(first.s3);
    expect(await first.s3.config.region()).toBe('eu-west-1');
  });

  it('sends path-style requests to AWS_ENDPOINT_URL_S3, read by the SDK itself', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', server.url);
    const { s3 } = await importFresh();
    expect(s3.config.forcePathStyle).toBe(true);

    const output = await s3.send(new GetObjectCommand({ Bucket: 'catalog', Key: 'products/all.json' }));

    expect(await output.Body?.transformToString()).toBe('{"sku":1}');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.method).toBe('GET');
    expect(server.requests[0]!.url.split('?')[0]).toBe('/catalog/products/all.json');
    expect(server.requests[0]!.headers.host).toBe(new URL(server.url).host);
  });

  it('uses path style with AWS_ENDPOINT_URL too', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', server.url);
    const { s3 } = await importFresh();
    expect(s3.config.forcePathStyle).toBe(true);
    await s3.send(new GetObjectCommand({ Bucket: 'catalog', Key: 'k' }));
    expect(server.requests[0]!.url.split('?')[0]).toBe('/catalog/k');
  });

  it('stays virtual-hosted on AWS when no endpoint variable is set, or when they are ignored', async () => {
    for (const ignored of [false, true]) {
      if (ignored) {
        vi.stubEnv('AWS_ENDPOINT_URL_S3', server.url);
        vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'true');
      }
      const { s3 } = await importFresh();
      expect(s3.config.forcePathStyle).toBe(false);
      s3.middlewareStack.add(
        () => (args) => {
          const request = args.request as { hostname: string; path: string };
          throw new Captured(request.hostname, request.path);
        },
        { step: 'finalizeRequest', priority: 'low' },
      );
      const error: unknown = await s3.send(new GetObjectCommand({ Bucket: 'catalog', Key: 'k' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Captured);
      expect((error as Captured).hostname).toBe('catalog.s3.eu-west-1.amazonaws.com');
      expect((error as Captured).path).toBe('/k');
    }
    expect(server.requests).toHaveLength(0);
  });
});
