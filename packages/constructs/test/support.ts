/**
 * Shared set-up of the construct tests: an App that skips bundling and the built-in CloudFormation
 * validation (both slow, and each tested once on purpose), and a stack that uses every construct the
 * way the orders example spec does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import {
  IdempotencyTable, ServiceBucket, ServiceFunction, ServiceHttpApi, ServiceQueue, ServiceTable, ServiceTopic,
  type ServiceFunctionProps,
} from '../src/index.js';

/** The Lambda entry used by every test function (it must exist: NodejsFunction checks). */
export const FIXTURE_ENTRY = path.join(import.meta.dirname, 'fixtures/handler.ts');

export interface TestAppOptions {
  /** Bundle with esbuild (default: skip bundling, as `cdk synth --exclusively` does for other stacks). */
  readonly bundle?: boolean;
  /** Run aws-cdk-lib's built-in CloudFormation validation at synth (default: off, it costs ~3 s). */
  readonly builtinValidation?: boolean;
}

/** An App whose cloud assembly goes to a fresh temporary directory (removed by `removeOutdir`). */
export function testApp(options: TestAppOptions = {}): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'constructs-test-')),
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: options.builtinValidation ?? false,
  });
}

export function removeOutdir(app: App): void {
  fs.rmSync(app.outdir, { recursive: true, force: true });
}

/** The logical ID of an L1, or of an L2's L1. */
export function logicalIdOf(construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation element`);
  return Stack.of(element).resolve(element.logicalId) as string;
}

/** Props of a plain function; `overrides` wins. */
export function functionProps(overrides: Partial<ServiceFunctionProps> = {}): ServiceFunctionProps {
  return {
    entry: FIXTURE_ENTRY,
    memoryMb: 512,
    timeoutSeconds: 10,
    architecture: 'arm64',
    runtime: 'nodejs22.x',
    environment: {},
    deployment: 'allAtOnce',
    ...overrides,
  };
}

/** Every construct, wired like specs/orders.yaml (plus a FIFO pair and a schedule). */
export interface ExampleStack {
  readonly stack: Stack;
  readonly orders: ServiceTable;
  readonly idempotency: IdempotencyTable;
  readonly catalog: ServiceBucket;
  readonly fulfilment: ServiceQueue;
  readonly orderStreamFailures: ServiceQueue;
  readonly notifyFailures: ServiceQueue;
  readonly ledger: ServiceQueue;
  readonly orderEvents: ServiceTopic;
  readonly ledgerEvents: ServiceTopic;
  readonly createOrder: ServiceFunction;
  readonly publishOrderEvents: ServiceFunction;
  readonly fulfilOrder: ServiceFunction;
  readonly notifyCustomer: ServiceFunction;
  readonly nightlyReport: ServiceFunction;
  readonly recordLedger: ServiceFunction;
  readonly api: ServiceHttpApi;
}

export function buildExampleStack(app: App, id = 'Orders'): ExampleStack {
  const stack = new Stack(app, id);
  const orders = new ServiceTable(stack, 'OrdersTable', {
    partitionKey: { name: 'pk', type: 'string' },
    sortKey: { name: 'sk', type: 'string' },
    stream: 'newAndOldImages',
    timeToLiveAttribute: 'expiresAt',
  });
  const idempotency = new IdempotencyTable(stack, 'Idempotency');
  const catalog = new ServiceBucket(stack, 'Catalog');
  const fulfilment = new ServiceQueue(stack, 'Fulfilment', { fifo: false, visibilityTimeoutSeconds: 60, deadLetter: { maxReceiveCount: 5 } });
  const orderStreamFailures = new ServiceQueue(stack, 'OrderStreamFailures', { fifo: false, visibilityTimeoutSeconds: 30 });
  const notifyFailures = new ServiceQueue(stack, 'NotifyFailures', { fifo: false, visibilityTimeoutSeconds: 30 });
  const ledger = new ServiceQueue(stack, 'Ledger', { fifo: true, visibilityTimeoutSeconds: 180, deadLetter: { maxReceiveCount: 8 } });
  const orderEvents = new ServiceTopic(stack, 'OrderEvents', { fifo: false });
  const ledgerEvents = new ServiceTopic(stack, 'LedgerEvents', { fifo: true });
  orderEvents.subscribeQueue(fulfilment);
  ledgerEvents.subscribeQueue(ledger);

  const createOrder = new ServiceFunction(stack, 'CreateOrder', functionProps({
    entry: FIXTURE_ENTRY,
    description: 'Accept an order over HTTP and store it',
    environment: {
      TABLE_ORDERS: orders.table.tableName,
      BUCKET_CATALOG: catalog.bucket.bucketName,
      IDEMPOTENCY_TABLE: idempotency.table.tableName,
      LOG_LEVEL: 'INFO',
    },
    reservedConcurrency: 20,
    provisionedConcurrency: 2,
    deployment: 'canary10Percent5Minutes',
  }));
  orders.table.grantWriteData(createOrder.function);
  idempotency.table.grantReadWriteData(createOrder.function);
  catalog.grantRead(createOrder);

  const publishOrderEvents = new ServiceFunction(stack, 'PublishOrderEvents', functionProps({
    runtime: 'nodejs24.x',
    architecture: 'x86_64',
    memoryMb: 256,
    timeoutSeconds: 30,
    environment: { TOPIC_ORDER_EVENTS_ARN: orderEvents.topic.topicArn },
  }));
  publishOrderEvents.consumeStream(orders, {
    startingPosition: 'trimHorizon',
    batchSize: 100,
    batchingWindowSeconds: 0,
    bisectOnError: true,
    maxRetries: 3,
    maxRecordAgeSeconds: 3600,
    parallelization: 1,
    reportBatchItemFailures: true,
    filter: { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { sk: { S: ['ORDER'] } } } },
    onFailure: orderStreamFailures,
  });
  orderEvents.topic.grantPublish(publishOrderEvents.function);

  const fulfilOrder = new ServiceFunction(stack, 'FulfilOrder', functionProps());
  fulfilOrder.consumeQueue(fulfilment, { batchSize: 10, batchingWindowSeconds: 1, maxConcurrency: 5, reportBatchItemFailures: true });
  orders.table.grantWriteData(fulfilOrder.function);

  const notifyCustomer = new ServiceFunction(stack, 'NotifyCustomer', functionProps({
    deployment: 'linear10PercentEvery1Minute',
    async: { maxRetries: 2, maxEventAgeSeconds: 3600, onFailure: notifyFailures },
  }));
  notifyCustomer.subscribeTo(orderEvents);

  const nightlyReport = new ServiceFunction(stack, 'NightlyReport', functionProps({
    async: { maxRetries: 0, maxEventAgeSeconds: 600, onFailure: orderEvents },
    logRetention: RetentionDays.ONE_WEEK,
  }));
  nightlyReport.runOnSchedule('cron(0 12 * * ? *)');
  catalog.grantWrite(nightlyReport);

  const recordLedger = new ServiceFunction(stack, 'RecordLedger', functionProps({ timeoutSeconds: 30 }));
  recordLedger.consumeQueue(ledger, { batchSize: 10, batchingWindowSeconds: 0, reportBatchItemFailures: true });

  const api = new ServiceHttpApi(stack, 'Http');
  api.addRoute('POST', '/orders', createOrder);
  api.addRoute('GET', '/orders/{id}', createOrder);

  return {
    stack, orders, idempotency, catalog, fulfilment, orderStreamFailures, notifyFailures, ledger, orderEvents,
    ledgerEvents, createOrder, publishOrderEvents, fulfilOrder, notifyCustomer, nightlyReport, recordLedger, api,
  };
}
