/**
 * Delivers OnFailure records to a queue or topic, as Lambda does for a stream batch whose retries
 * or record age ran out and for an asynchronous event whose retries or age ran out.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { LocalClients } from '../clients.js';
import type { DestinationTarget } from '../types.js';

/**
 * Sends `record` (serialised as JSON) to `target`. A FIFO target gets the function's name as its
 * message group and a content-based deduplication ID, so records keep their order.
 * Throws when the emulator refuses the message: the caller must not treat the record as delivered.
 */
export async function sendToDestination(
  clients: Pick<LocalClients, 'sqs' | 'sns'>,
  target: DestinationTarget,
  record: unknown,
  groupId = 'on-failure',
): Promise<void> {
  const body = JSON.stringify(record);
  if (target.kind === 'queue') {
    const fifo = target.url.endsWith('.fifo');
    await clients.sqs.send(new SendMessageCommand({
      QueueUrl: target.url,
      MessageBody: body,
      ...(fifo ? { MessageGroupId: groupId, MessageDeduplicationId: deduplicationId(body) } : {}),
    }));
    return;
  }
  const fifo = target.arn.endsWith('.fifo');
  await clients.sns.send(new PublishCommand({
    TopicArn: target.arn,
    Message: body,
    ...(fifo ? { MessageGroupId: groupId, MessageDeduplicationId: deduplicationId(body) } : {}),
  }));
}

function deduplicationId(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}
