/**
 * Shard handling of the stream mapping against a scripted DynamoDB Streams client, for what DynamoDB
 * Local does not do on demand: closed parent shards with children, paginated DescribeStream, reads
 * spread over several GetRecords calls, and an expired iterator.
 */
import {
  DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type _Record as SdkStreamRecord, type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import type { LocalClients } from '../../src/clients.js';
import { createStreamMapping } from '../../src/esm/stream.js';
import type { TraceEvent } from '../../src/types.js';
import { fakeInvoker, LONG, SCALE, trigger, waitFor, waitIdle } from './stream-harness.js';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/x';

interface FakeShard { readonly id: string; readonly parent?: string; closed: boolean; readonly records: SdkStreamRecord[] }

const record = (sequence: number): SdkStreamRecord => ({
  eventID: `e${sequence}`, eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'ddblocal',
  dynamodb: {
    ApproximateCreationDateTime: new Date(), Keys: { pk: { S: `k${sequence}` } }, NewImage: { pk: { S: `k${sequence}` } },
    SequenceNumber: String(sequence).padStart(21, '0'), SizeBytes: 10, StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

/** A scripted stream: one shard per DescribeStream page, two records per GetRecords, an expired iterator on demand. */
function fakeStreams(shards: FakeShard[], options: { expireOnce?: string } = {}) {
  let expire = options.expireOnce;
  const calls: string[] = [];
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof DescribeStreamCommand) {
      const start = command.input.ExclusiveStartShardId;
      const index = start === undefined ? 0 : shards.findIndex((shard) => shard.id === start) + 1;
      const shard = shards[index];
      const listed: Shard[] = shard === undefined ? [] : [{
        ShardId: shard.id, ...(shard.parent === undefined ? {} : { ParentShardId: shard.parent }),
        SequenceNumberRange: { StartingSequenceNumber: '1', ...(shard.closed ? { EndingSequenceNumber: '999' } : {}) },
      }];
      return { StreamDescription: { Shards: listed, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], ...(index < shards.length - 1 ? { LastEvaluatedShardId: shard?.id } : {}) } };
    }
    if (command instanceof GetShardIteratorCommand) {
      const { ShardId, ShardIteratorType, SequenceNumber } = command.input;
      calls.push(`iterator ${ShardId} ${ShardIteratorType}${SequenceNumber === undefined ? '' : ` ${Number(SequenceNumber)}`}`);
      const shard = shards.find((candidate) => candidate.id === ShardId)!;
      const position = ShardIteratorType === 'TRIM_HORIZON' ? 0
        : ShardIteratorType === 'LATEST' ? shard.records.length
        : shard.records.findIndex((r) => r.dynamodb?.SequenceNumber === SequenceNumber) + 1;
      return { ShardIterator: `${ShardId}|${position}` };
    }
    if (command instanceof GetRecordsCommand) {
      const [id, at] = (command.input.ShardIterator ?? '').split('|');
      if (expire === id && Number(at) > 0) {
        expire = undefined;
        throw Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' });
      }
      const shard = shards.find((candidate) => candidate.id === id)!;
      const position = Number(at);
      const records = shard.records.slice(position, position + 2);
      const next = position + records.length;
      const end = shard.closed && next >= shard.records.length;
      return { Records: records, ...(end ? {} : { NextShardIterator: `${id}|${next}` }) };
    }
    throw new Error(`unexpected command ${String(command)}`);
  };
  return { client: { send } as unknown as DynamoDBStreamsClient, calls };
}

function mappingOver(streams: DynamoDBStreamsClient, startingPosition: 'trimHorizon' | 'latest', invoker = fakeInvoker(() => null)) {
  const events: TraceEvent[] = [];
  const clients = { streams, sqs: undefined, sns: undefined } as unknown as Pick<LocalClients, 'streams' | 'sqs' | 'sns'>;
  const mapping = createStreamMapping(
    { functionId: 'fn', tableId: 't', tableName: 't', streamArn: STREAM_ARN, trigger: trigger({ startingPosition, batchSize: 10 }) },
    { clients, invoker, trace: (event) => events.push(event), timeScale: SCALE, pollIntervalMs: 10 },
  );
  return { mapping, invoker, events };
}

describe('createStreamMapping: shards', () => {
  it('reads a closed parent to its end before its child, across pages and reads', async () => {
    // Arrange: the child is listed first; the parent's records take three reads
    const parent: FakeShard = { id: 'shard-parent', closed: true, records: [1, 2, 3, 4, 5].map(record) };
    const child: FakeShard = { id: 'shard-child', parent: 'shard-parent', closed: false, records: [6, 7].map(record) };
    const { client } = fakeStreams([child, parent]);
    const slow = fakeInvoker(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return null;
    });
    const { mapping, invoker, events } = mappingOver(client, 'trimHorizon', slow);

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls.flatMap((call) => call.sequences.map(Number))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const shardsInOrder = events.flatMap((event) => (event.type === 'stream-batch' ? [event.range.shardId] : []));
    expect(shardsInOrder.indexOf('shard-child')).toBeGreaterThan(shardsInOrder.lastIndexOf('shard-parent'));
  }, LONG);

  it('with latest, skips closed shards and reads open ones from now on', async () => {
    // Arrange
    const parent: FakeShard = { id: 'shard-parent', closed: true, records: [1, 2].map(record) };
    const child: FakeShard = { id: 'shard-child', parent: 'shard-parent', closed: false, records: [3].map(record) };
    const { client } = fakeStreams([parent, child]);
    const { mapping, invoker } = mappingOver(client, 'latest');
    mapping.start();
    await waitIdle(mapping);

    // Act
    child.records.push(record(4), record(5));
    await waitFor('two records', () => invoker.calls.flatMap((call) => call.records).length >= 2);
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls.flatMap((call) => call.sequences.map(Number))).toEqual([4, 5]);
  }, LONG);

  it('replaces an expired iterator after the last record read', async () => {
    // Arrange
    const shard: FakeShard = { id: 'shard-1', closed: false, records: [1, 2, 3, 4].map(record) };
    const { client, calls } = fakeStreams([shard], { expireOnce: 'shard-1' });
    const { mapping, invoker } = mappingOver(client, 'trimHorizon');

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(invoker.calls.flatMap((call) => call.sequences.map(Number))).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual(['iterator shard-1 TRIM_HORIZON', 'iterator shard-1 AFTER_SEQUENCE_NUMBER 2']);
  }, LONG);

  it('counts an invoker that rejects as a crashed invocation and retries the batch', async () => {
    // Arrange
    const shard: FakeShard = { id: 'shard-1', closed: false, records: [1, 2].map(record) };
    const { client } = fakeStreams([shard]);
    let calls = 0;
    const flaky = fakeInvoker(() => null);
    const invoker = { ...flaky, invoke: (...args: Parameters<typeof flaky.invoke>) => (++calls === 1 ? Promise.reject(new Error('host down')) : flaky.invoke(...args)) };
    const { mapping, events } = mappingOver(client, 'trimHorizon', invoker as typeof flaky);

    // Act
    mapping.start();
    await waitIdle(mapping);
    await mapping.stop();

    // Assert
    expect(flaky.calls.flatMap((call) => call.sequences.map(Number))).toEqual([1, 2]);
    const results = events.flatMap((event) => (event.type === 'stream-result' ? [event.result] : []));
    expect(results).toEqual(['error', 'ok', 'ok']); // bisect is on by default: the halves succeed
  }, LONG);
});
