/**
 * SQS queues and SNS topics with the practices' defaults: encryption at rest, TLS only, a
 * dead-letter queue with an alarm for every failure path (LBP-ERR-SQS-DLQ).
 */
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Alias, type IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue, freeChildId, messagesVisibleAlarm, nameFifoQueue } from './dead-letter.js';
import { NagRule, acknowledgeAll } from './nag.js';

export interface ServiceQueueProps {
  /**
   * FIFO queue: ordered delivery per message group, deduplication. The name gets its `.fifo`
   * suffix automatically, and so does the dead-letter queue's.
   */
  readonly fifo: boolean;
  /**
   * How long a received message stays invisible to other consumers. For a queue a function
   * consumes, at least 6x the function's timeout (LBP-ERR-SQS-DLQ), or a slow invocation's
   * messages are received again while it still runs.
   */
  readonly visibilityTimeoutSeconds: number;
  /**
   * Dead-letter queue: after `maxReceiveCount` receives without a delete, SQS moves the message
   * there (LBP-ERR-SQS-DLQ: at least 5, so that a throttled or briefly failing consumer does not
   * dead-letter good messages).
   *
   * @default - no dead-letter queue. Only for a queue that no function consumes, such as an
   * OnFailure destination (see `markAsFailureDestination`); cdk-nag flags it otherwise.
   */
  readonly deadLetter?: { readonly maxReceiveCount: number };
  /**
   * How long SQS keeps a message that nobody deletes.
   *
   * @default Duration.days(4) (the dead-letter queue always keeps 14 days, SQS's maximum)
   */
  readonly retentionPeriod?: Duration;
  /**
   * FIFO only: deduplicate by a SHA-256 of the body when the sender gives no deduplication ID.
   *
   * @default true for a FIFO queue (a send without a deduplication ID would otherwise fail)
   */
  readonly contentBasedDeduplication?: boolean;
}

/**
 * An SQS queue with SQS-managed encryption (SSE-SQS), TLS-only access and, when `deadLetter` is
 * set, a dead-letter queue (14-day retention, same encryption and TLS rule, no redrive of its own)
 * with an alarm on its first message.
 */
export class ServiceQueue extends Construct {
  readonly queue: Queue;
  /** Present when `deadLetter` is set. */
  readonly deadLetterQueue?: Queue;
  /** `ApproximateNumberOfMessagesVisible >= 1` on the dead-letter queue; present when `deadLetter` is set. */
  readonly deadLetterAlarm?: Alarm;
  /** Whether the queue is FIFO. */
  readonly fifo: boolean;
  /** The visibility timeout, in seconds (consumers check it against their timeout). */
  readonly visibilityTimeoutSeconds: number;
  private failureDestinationAlarm?: Alarm;

  constructor(scope: Construct, id: string, props: ServiceQueueProps) {
    super(scope, id);
    this.fifo = props.fifo;
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds;
    let deadLetter: DeadLetterQueue | undefined;
    if (props.deadLetter) {
      deadLetter = new DeadLetterQueue(this, 'DeadLetter', { fifo: props.fifo, of: `the queue ${this.node.path}` });
      this.deadLetterQueue = deadLetter.queue;
      this.deadLetterAlarm = deadLetter.alarm;
    }
    this.queue = new Queue(this, 'Queue', {
      fifo: props.fifo ? true : undefined,
      contentBasedDeduplication: props.fifo ? (props.contentBasedDeduplication ?? true) : undefined,
      visibilityTimeout: Duration.seconds(props.visibilityTimeoutSeconds),
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: deadLetter && props.deadLetter
        ? { queue: deadLetter.queue, maxReceiveCount: props.deadLetter.maxReceiveCount }
        : undefined,
    });
    if (props.fifo) nameFifoQueue(this.queue);
  }

  /** The alarm added by `markAsFailureDestination`, if it was called. */
  get failureAlarm(): Alarm | undefined {
    return this.failureDestinationAlarm;
  }

  /**
   * Declares that this queue is an OnFailure destination (of a stream mapping or of asynchronous
   * invocations): the end of a failure path. Adds an alarm on its first message and, when the
   * queue has no dead-letter queue, acknowledges cdk-nag's "no DLQ" rules with that reason.
   * `ServiceFunction` calls it for every queue it is given as `onFailure`; calling it again does
   * nothing.
   */
  markAsFailureDestination(): void {
    if (this.failureDestinationAlarm) return;
    this.failureDestinationAlarm = messagesVisibleAlarm(this, 'FailureAlarm', this.queue,
      `Failed events in the OnFailure destination ${this.node.path}`);
    if (!this.deadLetterQueue) {
      acknowledgeAll(this.queue, [NagRule.queueWithoutDlq, NagRule.queueWithoutRedrive],
        'This queue is an OnFailure destination: Lambda sends it the events (or stream batch records) whose ' +
        'retries are exhausted, so it is itself the end of a failure path and needs no dead-letter queue. ' +
        'An alarm fires on its first message.');
    }
  }
}

export interface ServiceTopicProps {
  /** FIFO topic (ordered per message group, deduplicated). The name gets its `.fifo` suffix automatically. */
  readonly fifo: boolean;
  /**
   * The KMS key that encrypts messages at rest.
   *
   * The AWS-managed key lets IAM principals of the account (functions publishing with their role,
   * Lambda destinations and stream OnFailure destinations) publish, but not AWS service principals
   * such as CloudWatch alarms, EventBridge or S3 notifications: give a customer-managed key whose
   * policy admits them for a topic those publish to.
   *
   * @default the AWS-managed SNS key, `alias/aws/sns`
   */
  readonly masterKey?: IKey;
  /**
   * FIFO only: deduplicate by a SHA-256 of the body when the publisher gives no deduplication ID.
   *
   * @default true for a FIFO topic (a publish without a deduplication ID would otherwise fail)
   */
  readonly contentBasedDeduplication?: boolean;
}

/** One queue subscription made by `ServiceTopic.subscribeQueue`. */
export interface QueueSubscription {
  readonly queue: ServiceQueue;
  /** Where SNS puts a message it cannot deliver to `queue` (for example when the queue policy refuses it). */
  readonly deadLetterQueue: Queue;
  /** `ApproximateNumberOfMessagesVisible >= 1` on `deadLetterQueue`. */
  readonly deadLetterAlarm: Alarm;
}

/** An SNS topic encrypted at rest, with a topic policy that refuses publishes without TLS. */
export class ServiceTopic extends Construct {
  readonly topic: Topic;
  /** Whether the topic is FIFO. */
  readonly fifo: boolean;
  private readonly subscriptions: QueueSubscription[] = [];

  constructor(scope: Construct, id: string, props: ServiceTopicProps) {
    super(scope, id);
    this.fifo = props.fifo;
    this.topic = new Topic(this, 'Topic', {
      fifo: props.fifo ? true : undefined,
      contentBasedDeduplication: props.fifo ? (props.contentBasedDeduplication ?? true) : undefined,
      masterKey: props.masterKey ?? Alias.fromAliasName(this, 'AwsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
  }

  /** The queue subscriptions made so far. */
  get queueSubscriptions(): readonly QueueSubscription[] {
    return this.subscriptions;
  }

  /**
   * Subscribes `queue` with raw message delivery (the queue receives the published message as it
   * is, not wrapped in an SNS envelope) and a subscription dead-letter queue, created here, for the
   * messages SNS cannot deliver.
   */
  subscribeQueue(queue: ServiceQueue): void {
    const id = freeChildId(this, `${queue.node.id}Subscription`);
    const deadLetter = new DeadLetterQueue(this, id, {
      fifo: this.fifo,
      of: `the subscription of ${queue.node.path} to ${this.node.path}`,
    });
    this.topic.addSubscription(new SqsSubscription(queue.queue, {
      rawMessageDelivery: true,
      deadLetterQueue: deadLetter.queue,
    }));
    this.subscriptions.push({ queue, deadLetterQueue: deadLetter.queue, deadLetterAlarm: deadLetter.alarm });
  }
}
