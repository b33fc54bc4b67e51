/**
 * Creates a service's resources in the emulators from its ServiceModel, as its CDK stack does on
 * AWS: tables (streams, TTL), the idempotency table, queues with their dead-letter queues and
 * redrive policies, topics and their queue subscriptions (raw delivery), buckets seeded from
 * `specs/fixtures/<service>/<bucket>/`, and a local folder per file system.
 *
 * Names are `<service>-<id>` (buckets in lower case), so several services can share the emulators.
 *
 * @module
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeDefinition, KeySchemaElement, StreamViewType } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { IDEMPOTENCY_TABLE_SCHEMA } from '@kiro-serverless/model/environment';
import { kebabCase } from '@kiro-serverless/model/model';
import type { ServiceModel } from '@kiro-serverless/model/model';
import type { LocalClients } from './clients.js';
import type { DestinationTarget, TimeScale } from './types.js';

export interface LocalTable {
  readonly name: string;
  readonly arn: string;
  /** Set when the spec turns the table's stream on. */
  readonly streamArn?: string;
}

export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** The visibility timeout the local queue was created with: the spec's, time-scaled (at least 1 s). */
  readonly visibilityTimeoutSeconds: number;
  readonly deadLetter?: { readonly name: string; readonly url: string; readonly arn: string; readonly maxReceiveCount: number };
}

export interface LocalTopic {
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
}

export interface LocalBucket {
  readonly name: string;
  /** Keys put from `specs/fixtures/<service>/<bucket>/`. */
  readonly seeded: readonly string[];
}

/** Where each of a service's resources lives in the emulators. */
export interface LocalResources {
  readonly service: string;
  readonly tables: Readonly<Record<string, LocalTable>>;
  /** Name of the idempotency table; absent when no function has an idempotency key. */
  readonly idempotencyTable?: string;
  readonly queues: Readonly<Record<string, LocalQueue>>;
  readonly topics: Readonly<Record<string, LocalTopic>>;
  readonly buckets: Readonly<Record<string, LocalBucket>>;
  /** A local folder stands in for each EFS file system. */
  readonly fileSystems: Readonly<Record<string, { readonly path: string }>>;
}

export interface ProvisionOptions {
  readonly clients: LocalClients;
  readonly timeScale: TimeScale;
  /** The project root: seeds are read from `<root>/specs/fixtures/<service>/`. */
  readonly root: string;
  /** Where file-system folders are made (`<stateDir>/fs/<service>/<id>`). */
  readonly stateDir: string;
}

/** A resource could not be created; the message names the resource and the emulator's answer. */
export class ProvisionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProvisionError';
  }
}

const VIEW_TYPES: Record<string, StreamViewType> = {
  keysOnly: 'KEYS_ONLY', newImage: 'NEW_IMAGE', oldImage: 'OLD_IMAGE', newAndOldImages: 'NEW_AND_OLD_IMAGES',
};
const KEY_TYPES = { string: 'S', number: 'N', binary: 'B' } as const;

/** Creates every resource of `model` and says where each one is. */
export async function provisionService(model: ServiceModel, options: ProvisionOptions): Promise<LocalResources> {
  const name = (id: string) => `${model.service}-${id}`;
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ProvisionError(`Could not create ${what} of service ${model.service} (${model.sourceFile}) in the local cloud: ${reason}`, { cause: error });
    }
  };

  const tableEntries = await Promise.all(Object.entries(model.tables).map(([id, table]) => step(`table ${id}`, async () => {
    const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    const created = await options.clients.dynamoDb.send(new CreateTableCommand({
      TableName: name(id),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((key): AttributeDefinition => ({ AttributeName: key.name, AttributeType: KEY_TYPES[key.type] })),
      KeySchema: keys.map((key, index): KeySchemaElement => ({ AttributeName: key.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
      ...(table.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: VIEW_TYPES[table.stream] } } : {}),
    }));
    if (table.timeToLiveAttribute) {
      await options.clients.dynamoDb.send(new UpdateTimeToLiveCommand({
        TableName: name(id),
        TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute },
      }));
    }
    const description = created.TableDescription;
    const local: LocalTable = {
      name: name(id),
      arn: description?.TableArn ?? `arn:aws:dynamodb:ddblocal:000000000000:table/${name(id)}`,
      ...(description?.LatestStreamArn ? { streamArn: description.LatestStreamArn } : {}),
    };
    return [id, local] as const;
  })));

  const needsIdempotency = Object.values(model.functions).some((fn) => fn.idempotency && 'key' in fn.idempotency);
  const idempotencyTable = needsIdempotency ? name('idempotency') : undefined;
  if (idempotencyTable) {
    await step('the idempotency table', async () => {
      await options.clients.dynamoDb.send(new CreateTableCommand({
        TableName: idempotencyTable,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE_SCHEMA.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
      }));
      await options.clients.dynamoDb.send(new UpdateTimeToLiveCommand({
        TableName: idempotencyTable,
        TimeToLiveSpecification: { Enabled: true, AttributeName: IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute },
      }));
    });
  }

  const topicEntries = await Promise.all(Object.entries(model.topics).map(([id, topic]) => step(`topic ${id}`, async () => {
    const topicName = `${name(id)}${topic.fifo ? '.fifo' : ''}`;
    const created = await options.clients.sns.send(new CreateTopicCommand({
      Name: topicName,
      ...(topic.fifo ? { Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } } : {}),
    }));
    if (!created.TopicArn) throw new Error('CreateTopic returned no TopicArn');
    return [id, { name: topicName, arn: created.TopicArn, fifo: topic.fifo } satisfies LocalTopic] as const;
  })));
  const topics = Object.fromEntries(topicEntries);

  const queueEntries = await Promise.all(Object.entries(model.queues).map(([id, queue]) => step(`queue ${id}`, async () => {
    const suffix = queue.fifo ? '.fifo' : '';
    const fifoAttributes: Record<string, string> = queue.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
    let deadLetter: LocalQueue['deadLetter'];
    if (queue.deadLetter) {
      const dlqName = `${name(id)}-dlq${suffix}`;
      const dlq = await createQueue(options.clients, dlqName, { ...fifoAttributes });
      deadLetter = { name: dlqName, ...dlq, maxReceiveCount: queue.deadLetter.maxReceiveCount };
    }
    const visibilityTimeoutSeconds = Math.max(1, Math.ceil(queue.visibilityTimeoutSeconds * options.timeScale.factor));
    const queueName = `${name(id)}${suffix}`;
    const created = await createQueue(options.clients, queueName, {
      ...fifoAttributes,
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      ...(deadLetter ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: deadLetter.maxReceiveCount }) } : {}),
    });
    for (const topicId of queue.subscribe) {
      const topic = topics[topicId];
      if (!topic) throw new Error(`it subscribes to topic ${topicId}, which the service does not declare`);
      await options.clients.sns.send(new SubscribeCommand({
        TopicArn: topic.arn, Protocol: 'sqs', Endpoint: created.arn, Attributes: { RawMessageDelivery: 'true' }, ReturnSubscriptionArn: true,
      }));
    }
    return [id, { name: queueName, ...created, fifo: queue.fifo, visibilityTimeoutSeconds, ...(deadLetter ? { deadLetter } : {}) } satisfies LocalQueue] as const;
  })));

  const bucketEntries = await Promise.all(Object.keys(model.buckets).map((id) => step(`bucket ${id}`, async () => {
    const bucketName = `${model.service}-${kebabCase(id)}`.toLowerCase();
    await options.clients.s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    const seedDir = path.join(options.root, 'specs', 'fixtures', model.service, id);
    const files = await listFiles(seedDir);
    for (const file of files) {
      const key = path.relative(seedDir, file).split(path.sep).join('/');
      await options.clients.s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: await readFile(file), ContentType: contentType(key) }));
    }
    return [id, { name: bucketName, seeded: files.map((file) => path.relative(seedDir, file).split(path.sep).join('/')) } satisfies LocalBucket] as const;
  })));

  const fileSystemEntries = await Promise.all(Object.keys(model.fileSystems).map(async (id) => {
    const folder = path.join(options.stateDir, 'fs', model.service, id);
    await mkdir(folder, { recursive: true });
    return [id, { path: folder }] as const;
  }));

  return {
    service: model.service,
    tables: Object.fromEntries(tableEntries),
    ...(idempotencyTable ? { idempotencyTable } : {}),
    queues: Object.fromEntries(queueEntries),
    topics,
    buckets: Object.fromEntries(bucketEntries),
    fileSystems: Object.fromEntries(fileSystemEntries),
  };
}

/** The OnFailure destination `id` (a queue or topic of the service), or undefined when `id` is. */
export function destinationOf(resources: LocalResources, id: string | undefined): DestinationTarget | undefined {
  if (id === undefined) return undefined;
  const queue = resources.queues[id];
  if (queue) return { kind: 'queue', id, url: queue.url, arn: queue.arn };
  const topic = resources.topics[id];
  if (topic) return { kind: 'topic', id, arn: topic.arn };
  throw new ProvisionError(`OnFailure destination ${id} of service ${resources.service} is neither a queue nor a topic of it.`);
}

async function createQueue(clients: LocalClients, queueName: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const created = await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }));
  if (!created.QueueUrl) throw new Error(`CreateQueue ${queueName} returned no QueueUrl`);
  const described = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = described.Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes ${queueName} returned no QueueArn`);
  return { url: created.QueueUrl, arn };
}

/** Every file under `dir`, sorted; none when it does not exist. */
async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}

function contentType(key: string): string {
  const ext = path.extname(key).toLowerCase();
  return { '.json': 'application/json', '.txt': 'text/plain', '.csv': 'text/csv', '.html': 'text/html' }[ext] ?? 'application/octet-stream';
}
