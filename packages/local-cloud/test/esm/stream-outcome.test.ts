/** Lambda's reading of a stream batch's outcome, the OnFailure record, and the record conversion (pure). */
import type { _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import {
  INVALID_BATCH_RESPONSE_ERROR, judgeStreamOutcome, streamOnFailureRecord,
} from '../../src/esm/stream-outcome.js';
import { CREATION_TIME_GRANULARITY_MS, toLambdaStreamRecord, type BufferedStreamRecord } from '../../src/esm/stream-record.js';
import type { InvokeOutcome } from '../../src/types.js';

const sdkRecord = (sequence: string, extra: Partial<SdkStreamRecord> = {}): SdkStreamRecord => ({
  eventID: `e-${sequence}`,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ddblocal',
  dynamodb: {
    ApproximateCreationDateTime: new Date('2026-01-02T03:04:00Z'),
    Keys: { pk: { S: `k${sequence}` } },
    NewImage: { pk: { S: `k${sequence}` }, data: { B: new Uint8Array([255, 0]) } },
    SequenceNumber: sequence,
    SizeBytes: 20,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  ...extra,
});
const options = { streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/x', region: 'eu-west-1', partitionKeyName: 'pk' };
const batch: BufferedStreamRecord[] = ['100', '200', '300'].map((sequence) => toLambdaStreamRecord(sdkRecord(sequence), options));
const ok = (response: unknown): InvokeOutcome => ({ status: 'ok', response, requestId: 'r', environmentId: 'e', durationMs: 1 });

describe('judgeStreamOutcome', () => {
  it.each<[string, unknown, ReturnType<typeof judgeStreamOutcome>['result'], string?]>([
    ['undefined', undefined, 'ok'],
    ['null', null, 'ok'],
    ['an object without batchItemFailures', { processed: 3 }, 'ok'],
    ['batchItemFailures null', { batchItemFailures: null }, 'ok'],
    ['an empty list', { batchItemFailures: [] }, 'ok'],
    ['one failure', { batchItemFailures: [{ itemIdentifier: '200' }] }, 'partial', '200'],
    ['several failures: the lowest counts', { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] }, 'partial', '200'],
    ['the first record', { batchItemFailures: [{ itemIdentifier: '100' }] }, 'partial', '100'],
    ['an unknown identifier', { batchItemFailures: [{ itemIdentifier: '200' }, { itemIdentifier: '999' }] }, 'error'],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }, 'error'],
    ['a numeric identifier', { batchItemFailures: [{ itemIdentifier: 200 }] }, 'error'],
    ['an entry that is not an object', { batchItemFailures: ['200'] }, 'error'],
    ['a string response', 'ok', 'error'],
    ['an array response', [], 'error'],
  ])('with ReportBatchItemFailures, reads %s', (_name, response, result, sequence) => {
    // Act
    const verdict = judgeStreamOutcome(ok(response) as Exclude<InvokeOutcome, { status: 'throttled' }>, batch, true);

    // Assert
    expect(verdict.result).toBe(result);
    if (verdict.result === 'partial') expect(verdict.sequenceNumber).toBe(sequence);
    if (verdict.result === 'error') expect(verdict.error.errorType).toBe(INVALID_BATCH_RESPONSE_ERROR);
  });

  it('ignores the response without ReportBatchItemFailures', () => {
    expect(judgeStreamOutcome(ok({ batchItemFailures: [{ itemIdentifier: 'x' }] }) as never, batch, false)).toEqual({ result: 'ok' });
  });

  it.each(['function', 'timeout', 'init', 'crash'] as const)('fails the whole batch on a %s error', (kind) => {
    const verdict = judgeStreamOutcome({ status: 'error', kind, error: { errorType: 'E', errorMessage: 'm' }, requestId: 'r', durationMs: 1 }, batch, true);
    expect(verdict).toEqual({ result: 'error', error: { errorType: 'E', errorMessage: 'm' }, functionError: 'Unhandled' });
  });
});

describe('streamOnFailureRecord', () => {
  it('describes the batch, not its records', () => {
    // Act
    const record = streamOnFailureRecord({
      condition: 'RecordAgeExceeded', functionArn: 'arn:fn', streamArn: options.streamArn, shardId: 'shard-1',
      records: batch, approximateInvokeCount: 2, requestId: 'req', functionError: 'Unhandled', now: new Date('2026-01-02T03:05:00Z'),
    });

    // Assert
    expect(record).toEqual({
      requestContext: { requestId: 'req', functionArn: 'arn:fn', condition: 'RecordAgeExceeded', approximateInvokeCount: 2 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-01-02T03:05:00.000Z',
      DDBStreamBatchInfo: {
        shardId: 'shard-1', startSequenceNumber: '100', endSequenceNumber: '300',
        approximateArrivalOfFirstRecord: '2026-01-02T03:04:00.000Z', approximateArrivalOfLastRecord: '2026-01-02T03:04:00.000Z',
        batchSize: 3, streamArn: options.streamArn,
      },
    });
  });

  it('refuses an empty batch', () => {
    expect(() => streamOnFailureRecord({ condition: 'RetryAttemptsExhausted', functionArn: 'a', streamArn: 's', shardId: 'x', records: [], approximateInvokeCount: 1 }))
      .toThrow(RangeError);
  });
});

describe('toLambdaStreamRecord', () => {
  it('gives epoch seconds, base64 binaries, the local region and the stream ARN', () => {
    const { record, sequenceNumber, partitionKey } = batch[0]!;
    expect(sequenceNumber).toBe('100');
    expect(partitionKey).toBe('{"S":"k100"}');
    expect(record).toEqual({
      eventID: 'e-100', eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2026-01-02T03:04:00Z') / 1000,
        Keys: { pk: { S: 'k100' } },
        NewImage: { pk: { S: 'k100' }, data: { B: '/wA=' } },
        SequenceNumber: '100', SizeBytes: 20, StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: options.streamArn,
    });
  });

  it('gives a TTL deletion its userIdentity in Lambda\'s spelling', () => {
    const { record } = toLambdaStreamRecord(
      sdkRecord('1', { eventName: 'REMOVE', userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } }), options);
    expect(record.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('dates a record from when it was read, within the granularity of its stated time', () => {
    const stated = Date.parse('2026-01-02T03:04:00Z');
    expect(toLambdaStreamRecord(sdkRecord('1'), { ...options, readAtMs: stated + 5_000 }).createdMs).toBe(stated + 5_000);
    expect(toLambdaStreamRecord(sdkRecord('1'), { ...options, readAtMs: stated + 3_600_000 }).createdMs).toBe(stated + CREATION_TIME_GRANULARITY_MS);
  });
});
