/**
 * Turns a record read from DynamoDB Streams (SDK shape) into the record Lambda hands to a function
 * (the `aws-lambda` `DynamoDBRecord` shape, as `packages/events/src/dynamodb-stream.ts` builds it):
 * `ApproximateCreationDateTime` in epoch seconds, binary values base64-encoded (Lambda delivers
 * JSON), `userIdentity` with lower-case keys, `eventSourceARN` added, plain JSON only.
 *
 * @module
 */
import type { _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * DynamoDB Local truncates `ApproximateCreationDateTime` to the minute (DynamoDB to the second), so
 * a record's creation time is taken as the earlier of the moment it was first read and its stated
 * time plus this much. Record age (MaximumRecordAgeInSeconds) is measured from that time.
 *
 * @internal
 */
export const CREATION_TIME_GRANULARITY_MS = 60_000;

/** A stream record as the mapping holds it between reading and delivery. */
export interface BufferedStreamRecord {
  /** The record in Lambda's shape, as the function receives it. */
  readonly record: DynamoDBRecord;
  readonly sequenceNumber: string;
  /** Best local estimate of when the change happened (epoch ms), for record age. */
  readonly createdMs: number;
  /** Partition key value (JSON text), for parallelization lanes. */
  readonly partitionKey: string;
}

/** Options of {@link toLambdaStreamRecord}. */
export interface ToLambdaStreamRecordOptions {
  /** The records' `eventSourceARN`. */
  readonly streamArn: string;
  /** The records' `awsRegion` (DynamoDB Local says `ddblocal`; functions expect the local region). */
  readonly region: string;
  /** Name of the table's partition key attribute; absent = every key attribute. */
  readonly partitionKeyName?: string;
  /** When the record was read (epoch ms). @default Date.now() */
  readonly readAtMs?: number;
}

/** Binary attribute values come from the SDK as bytes; Lambda delivers them base64-encoded. */
function asDelivered(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(asDelivered);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out[key] = asDelivered(inner);
    }
    return out;
  }
  return value;
}

/**
 * The Lambda form of one SDK stream record, with what the mapping needs to order, age and lane it.
 * Throws a TypeError when the record has no sequence number (DynamoDB Streams always gives one).
 */
export function toLambdaStreamRecord(sdk: SdkStreamRecord, options: ToLambdaStreamRecordOptions): BufferedStreamRecord {
  const stream = sdk.dynamodb;
  const sequenceNumber = stream?.SequenceNumber;
  if (sequenceNumber === undefined) throw new TypeError(`stream record ${sdk.eventID ?? '(no eventID)'} has no SequenceNumber`);
  const readAtMs = options.readAtMs ?? Date.now();
  const statedMs = stream?.ApproximateCreationDateTime?.getTime() ?? readAtMs;
  const dynamodb: Record<string, unknown> = { ApproximateCreationDateTime: Math.floor(statedMs / 1000) };
  if (stream?.Keys !== undefined) dynamodb.Keys = asDelivered(stream.Keys);
  if (stream?.NewImage !== undefined) dynamodb.NewImage = asDelivered(stream.NewImage);
  if (stream?.OldImage !== undefined) dynamodb.OldImage = asDelivered(stream.OldImage);
  dynamodb.SequenceNumber = sequenceNumber;
  if (stream?.SizeBytes !== undefined) dynamodb.SizeBytes = stream.SizeBytes;
  if (stream?.StreamViewType !== undefined) dynamodb.StreamViewType = stream.StreamViewType;

  const record: DynamoDBRecord = {
    eventID: sdk.eventID,
    eventName: sdk.eventName,
    eventVersion: sdk.eventVersion ?? '1.1',
    eventSource: sdk.eventSource ?? 'aws:dynamodb',
    awsRegion: options.region,
    dynamodb,
    eventSourceARN: options.streamArn,
  };
  if (sdk.userIdentity !== undefined) {
    record.userIdentity = { type: sdk.userIdentity.Type, principalId: sdk.userIdentity.PrincipalId };
  }
  const keys = stream?.Keys ?? {};
  const partitionKey = JSON.stringify(asDelivered(
    options.partitionKeyName === undefined ? keys : keys[options.partitionKeyName],
  ) ?? null);
  return {
    record: JSON.parse(JSON.stringify(record)) as DynamoDBRecord,
    sequenceNumber,
    createdMs: Math.min(readAtMs, statedMs + CREATION_TIME_GRANULARITY_MS),
    partitionKey,
  };
}
