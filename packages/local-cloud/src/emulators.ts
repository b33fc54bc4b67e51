/**
 * Starts the two emulators the local cloud runs on: DynamoDB Local (Java, tables and streams) and
 * fauxqs (in-process SQS, SNS and S3), each on a free loopback port, and stops both together.
 *
 * @module
 */
import { startFauxqs } from 'fauxqs';
import type { LocalClients, LocalEndpoints } from './clients.js';
import { localClients } from './clients.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import type { DynamoDbLocal } from './dynamodb-local.js';

/** The fauxqs server, as `startFauxqs` returns it. */
export type FauxqsServer = Awaited<ReturnType<typeof startFauxqs>>;

export interface EmulatorOptions {
  /**
   * Use this DynamoDB Local instead of starting one (tests share the one their setup started).
   * It is not stopped by {@link Emulators.stop}.
   */
  readonly dynamoDbEndpoint?: string;
}

export interface Emulators {
  readonly endpoints: LocalEndpoints;
  /** Clients for the tools (provisioning, engine, scenario); functions build their own. */
  readonly clients: LocalClients;
  /** The DynamoDB Local this call started; absent when it was given one. */
  readonly dynamoDb?: DynamoDbLocal;
  readonly fauxqs: FauxqsServer;
  /** Stops both emulators and closes the clients. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local and fauxqs side by side. If either fails (no Java, a port problem), the
 * other is stopped before the error is thrown, so that nothing is left running.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const given = options.dynamoDbEndpoint;
  const [dynamoDbResult, fauxqsResult] = await Promise.allSettled([
    given === undefined ? startDynamoDbLocal() : Promise.resolve(undefined),
    // `host` names the host of queue URLs (`http://sqs.<region>.localhost:<port>/...`); a dotted IP there would make
    // URLs that WHATWG URL parsing refuses. fauxqs listens on all interfaces whatever it says.
    startFauxqs({ port: 0, host: 'localhost', logger: false, messageSpies: { bufferSize: 10_000 } }),
  ]);
  if (dynamoDbResult.status === 'rejected' || fauxqsResult.status === 'rejected') {
    if (dynamoDbResult.status === 'fulfilled') await dynamoDbResult.value?.stop();
    if (fauxqsResult.status === 'fulfilled') await fauxqsResult.value.stop();
    const failed = dynamoDbResult.status === 'rejected' ? dynamoDbResult : (fauxqsResult as PromiseRejectedResult);
    throw failed.reason;
  }
  const dynamoDb = dynamoDbResult.value;
  const fauxqs = fauxqsResult.value;
  const endpoints: LocalEndpoints = { dynamoDb: dynamoDb?.endpoint ?? given ?? '', fauxqs: `http://127.0.0.1:${fauxqs.port}` };
  const clients = localClients(endpoints);
  let stopping: Promise<void> | undefined;
  return {
    endpoints, clients, fauxqs,
    ...(dynamoDb ? { dynamoDb } : {}),
    stop() {
      stopping ??= (async () => {
        clients.destroy();
        await Promise.allSettled([dynamoDb?.stop(), fauxqs.stop()]);
      })();
      return stopping;
    },
  };
}
