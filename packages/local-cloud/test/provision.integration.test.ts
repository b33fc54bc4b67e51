import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadServiceModels } from '@kiro-serverless/model';
import { FIXTURE_PROJECTS_DIR, FIXTURE_SPECS_DIR } from '@kiro-serverless/fixtures';
import type { ServiceModel } from '@kiro-serverless/model';
import { startEmulators } from '../src/emulators.js';
import type { Emulators } from '../src/emulators.js';
import { localFunctionEnvironment, NO_LOCAL_DATABASE } from '../src/function-env.js';
import { destinationOf, provisionService } from '../src/provision.js';
import type { LocalResources } from '../src/provision.js';
import { timeScale } from '../src/types.js';

/** The orders fixture project, read in place: provisioning writes only to its state folder. */
const root = path.join(FIXTURE_PROJECTS_DIR, 'orders');

describe('provisioning the orders example', () => {
  let emulators: Emulators;
  let model: ServiceModel;
  let resources: LocalResources;
  let stateDir: string;

  beforeAll(async () => {
    emulators = await startEmulators({ dynamoDbEndpoint: inject('dynamoDbEndpoint') });
    [model] = (await loadServiceModels(root, [path.join(root, 'specs/orders.yaml')])) as [ServiceModel];
    // Another service name, so that tables do not collide with other tests sharing DynamoDB Local.
    model = { ...model, service: `prov${Date.now().toString(36)}` };
    stateDir = await mkdtemp(path.join(tmpdir(), 'provision-'));
    resources = await provisionService(model, { clients: emulators.clients, timeScale: timeScale(1 / 60), root, stateDir });
  }, 60_000);

  afterAll(async () => {
    await emulators?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('creates each table with its keys, stream view and TTL', async () => {
    const name = resources.tables['orders']?.name;
    expect(name).toBe(`${model.service}-orders`);
    const { Table } = await emulators.clients.dynamoDb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(resources.tables['orders']?.streamArn).toBe(Table?.LatestStreamArn);
    const ttl = await emulators.clients.dynamoDb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
  });

  it('creates the idempotency table in the shape Powertools expects', async () => {
    const { Table } = await emulators.clients.dynamoDb.send(new DescribeTableCommand({ TableName: resources.idempotencyTable }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
  });

  it('gives a consumed queue its dead-letter queue, redrive policy and a time-scaled visibility timeout', async () => {
    const fulfilment = resources.queues['fulfilment'];
    expect(fulfilment?.deadLetter?.maxReceiveCount).toBe(5);
    const { Attributes } = await emulators.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: fulfilment?.url, AttributeNames: ['All'] }));
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: fulfilment?.deadLetter?.arn, maxReceiveCount: 5 });
    // 6 x 10 s = 60 s of AWS time is 1 s at 1/60.
    expect(Attributes?.VisibilityTimeout).toBe('1');
  });

  it('subscribes queues to their topics with raw delivery', async () => {
    const topic = resources.topics['orderEvents'];
    const { Subscriptions } = await emulators.clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic?.arn }));
    expect(Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([['sqs', resources.queues['fulfilment']?.arn]]);
  });

  it('seeds buckets from specs/fixtures/<service>/<bucket>/', async () => {
    // The seed folder is named after the spec's service (orders), which this copy renamed: none here.
    expect(resources.buckets['catalog']?.seeded).toEqual([]);
    const seeded = await provisionService({ ...model, service: 'orders', tables: {}, queues: {}, topics: {}, functions: {} },
      { clients: emulators.clients, timeScale: timeScale(), root, stateDir });
    expect(seeded.buckets['catalog']?.seeded).toEqual(['catalog.json']);
    const object = await emulators.clients.s3.send(new GetObjectCommand({ Bucket: seeded.buckets['catalog']?.name, Key: 'catalog.json' }));
    expect(JSON.parse(await object.Body?.transformToString() ?? '{}')).toHaveProperty('products');
  });

  it('maps OnFailure destinations to queues and topics', () => {
    expect(destinationOf(resources, 'orderStreamFailures')).toMatchObject({ kind: 'queue', url: resources.queues['orderStreamFailures']?.url });
    expect(destinationOf(resources, 'orderEvents')).toMatchObject({ kind: 'topic', arn: resources.topics['orderEvents']?.arn });
    expect(destinationOf(resources, undefined)).toBeUndefined();
    expect(() => destinationOf(resources, 'nowhere')).toThrow(/nowhere .*neither a queue nor a topic/);
  });

  it('gives each function its contract variables with local values, Lambda\'s own variables and the emulator endpoints', () => {
    const fn = model.functions['createOrder'];
    if (!fn) throw new Error('no createOrder');
    const { variables, unavailable } = localFunctionEnvironment(model, fn, resources, emulators.endpoints);
    expect(unavailable).toEqual([]);
    expect(variables).toMatchObject({
      TABLE_ORDERS: resources.tables['orders']?.name,
      BUCKET_CATALOG: resources.buckets['catalog']?.name,
      IDEMPOTENCY_TABLE: resources.idempotencyTable,
      POWERTOOLS_SERVICE_NAME: model.service,
      LOG_LEVEL: 'INFO',
      AWS_LAMBDA_FUNCTION_NAME: `${model.service}-createOrder`,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamoDb,
      AWS_ENDPOINT_URL_S3: emulators.endpoints.fauxqs,
    });
  });

  it('makes a folder for each file system and marks database endpoints as not emulated', async () => {
    const [reports] = (await loadServiceModels(root, [path.join(FIXTURE_SPECS_DIR, 'reports.yaml')])) as [ServiceModel];
    const local = await provisionService({ ...reports, service: `rep${Date.now().toString(36)}` }, { clients: emulators.clients, timeScale: timeScale(), root, stateDir });
    const [fsId, folder] = Object.entries(local.fileSystems)[0] ?? [];
    expect(fsId).toBeDefined();
    expect((await stat(folder?.path ?? '')).isDirectory()).toBe(true);
    const connecting = Object.values(reports.functions).find((fn) => fn.permissions.connect.length > 0);
    if (!connecting) throw new Error('the reports fixture has no function that connects to a database');
    const env = localFunctionEnvironment(reports, connecting, local, emulators.endpoints);
    expect(env.unavailable.length).toBeGreaterThan(0);
    expect(Object.values(env.variables)).toContain(NO_LOCAL_DATABASE);
  });
});
