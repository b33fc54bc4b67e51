/**
 * The one way this package makes a queue that is the end of a failure path: a dead-letter queue of
 * a queue, of an SNS subscription or of an EventBridge target. Not exported from the index: the
 * public constructs create these themselves.
 */
import { Duration, Names } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption, type CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NagRule, acknowledgeAll } from './nag.js';

/** How long a dead-lettered message is kept: SQS's maximum, to leave time to inspect and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface DeadLetterQueueProps {
  /** FIFO queue (required when the source is FIFO). */
  readonly fifo: boolean;
  /** What the queue is the dead-letter queue of, for the alarm description and the cdk-nag reason, e.g. `the queue Orders/Queue`. */
  readonly of: string;
}

/** A dead-letter queue (SSE-SQS, TLS only, 14-day retention) with an alarm on its first message. */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  /** `ApproximateNumberOfMessagesVisible >= 1`: a message here is a failure nobody has looked at yet. */
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      fifo: props.fifo ? true : undefined,
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    if (props.fifo) nameFifoQueue(this.queue);
    this.alarm = messagesVisibleAlarm(this, 'Alarm', this.queue, `Messages in the dead-letter queue of ${props.of}`);
    acknowledgeAll(this.queue, [NagRule.queueWithoutDlq, NagRule.queueWithoutRedrive],
      `This queue is itself the dead-letter queue of ${props.of}: the end of the failure path, so it has no ` +
      'dead-letter queue of its own. Messages are kept 14 days and an alarm fires on the first one.');
  }
}

/**
 * Gives a FIFO queue a name that ends in `.fifo` and fits SQS's 80 characters: unique in the app (built
 * from the construct path, like the names aws-cdk-lib gives FIFO topics). CloudFormation's own generated
 * names for FIFO queues can exceed 80 characters with long stack and logical IDs.
 */
export function nameFifoQueue(queue: Queue): void {
  const suffix = '.fifo';
  (queue.node.defaultChild as CfnQueue).queueName =
    `${Names.uniqueResourceName(queue, { maxLength: 80 - suffix.length, separator: '-' })}${suffix}`;
}

/** An alarm that fires as soon as a queue holds a message (for queues that should stay empty). */
export function messagesVisibleAlarm(scope: Construct, id: string, queue: Queue, description: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** `base`, or `base2`, `base3`... : the first ID not yet taken under `scope`. */
export function freeChildId(scope: Construct, base: string): string {
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id) !== undefined; n++) id = `${base}${n}`;
  return id;
}
