/**
 * Baseline (b): a function in the style of the AWS SAM "TypeScript + Powertools" quick-start
 * template: Logger, Metrics and Tracer at module scope, the SDK client wrapped by the tracer, the
 * handler doing its own cold-start annotation, metrics and subsegment, bundled with SAM's esbuild
 * settings (packages/bench/src/bundle.ts `samBuildOptions`: CommonJS, minified, es2020, default resolution).
 * It does the work of one of our queue consumers: parse a message and write an item to DynamoDB.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const tracer = new Tracer();
const documentClient = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const tableName = process.env.TABLE_NAME ?? '';

export const handler = async (event: SQSEvent, context: Context): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  const segment = tracer.getSegment();
  const subsegment = segment?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
  if (subsegment) tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  logger.addContext(context);
  metrics.captureColdStartMetric();
  const batchItemFailures: { itemIdentifier: string }[] = [];
  try {
    for (const record of event.Records) {
      try {
        const body = JSON.parse(record.body) as { orderId: string; customerId: string };
        await documentClient.send(new PutCommand({
          TableName: tableName,
          Item: { pk: `ORDER#${body.orderId}`, sk: 'NOTE', customerId: body.customerId, at: new Date().toISOString() },
        }));
        metrics.addMetric('processed', MetricUnit.Count, 1);
      } catch (error) {
        logger.error('record failed', { messageId: record.messageId, error: error as Error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  } finally {
    subsegment?.close();
    if (segment) tracer.setSegment(segment);
    metrics.publishStoredMetrics();
  }
};
