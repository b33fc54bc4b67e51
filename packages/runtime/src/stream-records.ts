/**
 * DynamoDB stream records as plain objects. Lambda delivers a record's keys and images in DynamoDB's
 * attribute-value form (`{ pk: { S: 'ORDER#1' } }`); business logic wants `{ pk: 'ORDER#1' }`.
 * Numbers become JavaScript numbers (a value beyond 2^53 throws rather than lose precision), sets
 * become `Set`s, binary values `Uint8Array`s.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

export interface StreamImages {
  /** The item's key attributes (always present). */
  readonly keys: Record<string, unknown>;
  /** The item after the change: INSERT and MODIFY, when the stream view includes new images. */
  readonly newImage?: Record<string, unknown>;
  /** The item before the change: MODIFY and REMOVE, when the stream view includes old images. */
  readonly oldImage?: Record<string, unknown>;
}

type Image = Record<string, AttributeValue>;

function plain(image: NonNullable<DynamoDBRecord['dynamodb']>['Keys']): Record<string, unknown> | undefined {
  // aws-lambda and the SDK describe the same wire format with two declarations of AttributeValue.
  return image === undefined ? undefined : unmarshall(image as Image);
}

/** The keys and images of a stream record, unmarshalled. */
export function streamImages(record: DynamoDBRecord): StreamImages {
  const change = record.dynamodb ?? {};
  const newImage = plain(change.NewImage);
  const oldImage = plain(change.OldImage);
  return {
    keys: plain(change.Keys) ?? {},
    ...(newImage === undefined ? {} : { newImage }),
    ...(oldImage === undefined ? {} : { oldImage }),
  };
}
