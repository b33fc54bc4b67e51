/**
 * LBP-INIT-REUSE: the shared SDK clients keep their HTTP connections alive, so a warm invocation
 * reuses the TCP and TLS connection an earlier one opened. The clients set nothing for it and rely
 * on the SDK v3 default on Node.js (NodeHttpHandler with keep-alive agents); these tests assert the
 * effective behaviour, so that a custom handler or agent that turns it off fails here.
 */
import { createServer, type Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubAwsEnv } from '@kiro-serverless/testing';

/** What the tests use of a client: its request handler, a NodeHttpHandler (`@smithy/node-http-handler`) by default. */
interface ClientWithHandler {
  readonly config: { readonly requestHandler: unknown };
}

/** The parts of NodeHttpHandler the tests use. */
interface NodeHandlerLike {
  handle(request: object): Promise<{ response: { statusCode: number; body: Readable } }>;
  /** The resolved configuration, agents included; set by the first `handle`. */
  httpHandlerConfigs(): { httpsAgent?: unknown };
}

const CLIENTS: readonly [string, () => Promise<ClientWithHandler>][] = [
  ['dynamoDbClient', async () => (await import('../../src/clients/dynamodb.js')).dynamoDbClient],
  ['sqs', async () => (await import('../../src/clients/sqs.js')).sqs],
  ['sns', async () => (await import('../../src/clients/sns.js')).sns],
  ['s3', async () => (await import('../../src/clients/s3.js')).s3],
];

function nodeHandlerOf(client: ClientWithHandler): NodeHandlerLike {
  const handler = client.config.requestHandler as Partial<NodeHandlerLike> | undefined;
  if (typeof handler?.handle !== 'function' || typeof handler.httpHandlerConfigs !== 'function') {
    throw new Error(`the request handler is not a NodeHttpHandler: ${String((handler as object | undefined)?.constructor?.name)}`);
  }
  return handler as NodeHandlerLike;
}

/** Reads a response body to its end, then lets the agent take the socket back. */
async function drain(body: Readable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    body.on('end', resolve).on('error', reject).resume();
  });
  await new Promise((resolve) => setImmediate(resolve));
}

describe('shared SDK clients', () => {
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    stubAwsEnv();
    server = createServer((_req, res) => res.end('{}'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(CLIENTS)('LBP-INIT-REUSE: %s sends two requests over one connection, and its HTTPS agent (the one used for AWS) keeps connections alive', async (_name, load) => {
    // Arrange
    const handler = nodeHandlerOf(await load());
    const before = connections;
    // Act: two requests in a row, as two warm invocations would make them.
    for (let i = 0; i < 2; i += 1) {
      const { response } = await handler.handle({
        protocol: 'http:', hostname: '127.0.0.1', port, method: 'GET', path: '/', query: {}, headers: {},
      });
      expect(response.statusCode).toBe(200);
      await drain(response.body);
    }
    // Assert
    expect(connections - before, 'TCP connections opened for two requests').toBe(1);
    const { httpsAgent } = handler.httpHandlerConfigs();
    expect(httpsAgent).toBeInstanceOf(HttpsAgent);
    // `keepAlive` is what Node's agent reads to keep a socket after a response (not in @types/node).
    expect((httpsAgent as HttpsAgent & { keepAlive?: boolean }).keepAlive).toBe(true);
  });
});
