/**
 * DynamoDB tables and S3 buckets with the practices' defaults: state lives outside the function
 * (LBP-STATE-EXTERNAL), in stores that are encrypted, recoverable and private.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2, type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket, type IBucket,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { KEY_TYPES, STREAM_VIEW_TYPES } from '@kiro-serverless/model/constants';
import { IDEMPOTENCY_TABLE_SCHEMA } from '@kiro-serverless/model/environment';
import type { ServiceFunction } from './function.js';
import { NagRule, acknowledge } from './nag.js';

export type TableKeyType = (typeof KEY_TYPES)[number];
export type TableStream = (typeof STREAM_VIEW_TYPES)[number];

/** A key attribute of a table. */
export interface TableKey {
  readonly name: string;
  readonly type: TableKeyType;
}

export interface ServiceTableProps {
  /** Partition (hash) key. */
  readonly partitionKey: TableKey;
  /**
   * Sort (range) key.
   *
   * @default - no sort key
   */
  readonly sortKey?: TableKey;
  /**
   * Turns on the table's stream with this view of each changed item (needed by
   * `ServiceFunction.consumeStream`).
   *
   * @default - no stream
   */
  readonly stream?: TableStream;
  /**
   * Attribute holding each item's expiry time (epoch seconds); DynamoDB deletes expired items.
   *
   * @default - no time to live
   */
  readonly timeToLiveAttribute?: string;
  /**
   * What happens to the table when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN (the table holds the service's state)
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Refuses DeleteTable, whoever asks (CloudFormation included).
   *
   * Off by default so that a forked template can be torn down while it is being tried out;
   * `removalPolicy: RETAIN` already keeps the table when the stack is deleted. Turn it on for
   * production tables.
   *
   * @default false
   */
  readonly deletionProtection?: boolean;
}

const ATTRIBUTE_TYPES: Readonly<Record<TableKeyType, AttributeType>> = {
  string: AttributeType.STRING,
  number: AttributeType.NUMBER,
  binary: AttributeType.BINARY,
};

const STREAM_VIEWS: Readonly<Record<TableStream, StreamViewType>> = {
  keysOnly: StreamViewType.KEYS_ONLY,
  newImage: StreamViewType.NEW_IMAGE,
  oldImage: StreamViewType.OLD_IMAGE,
  newAndOldImages: StreamViewType.NEW_AND_OLD_IMAGES,
};

/** The aws-cdk-lib feature flag that grants S3 log delivery with a bucket policy instead of an ACL. */
const S3_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

function attribute(key: TableKey): Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/**
 * A DynamoDB table (TableV2): on-demand billing, point-in-time recovery, encryption with the
 * AWS-managed key (`alias/aws/dynamodb`), retained when removed from the stack.
 */
export class ServiceTable extends Construct {
  readonly table: TableV2;
  /** The stream view, when the table has a stream. */
  readonly stream?: TableStream;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    this.stream = props.stream;
    this.table = new TableV2(this, 'Table', {
      partitionKey: attribute(props.partitionKey),
      sortKey: props.sortKey ? attribute(props.sortKey) : undefined,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      dynamoStream: props.stream ? STREAM_VIEWS[props.stream] : undefined,
      timeToLiveAttribute: props.timeToLiveAttribute,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: props.deletionProtection ?? false,
    });
  }
}

export interface IdempotencyTableProps {
  /**
   * What happens to the table when it leaves the stack.
   *
   * The table is a cache of results that expire (`expiresAfterSeconds` of each function's
   * idempotency settings): losing it only means a retry inside the expiry window runs again
   * instead of replaying the stored result, so it is not retained.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The table where Powertools idempotency (LBP-IDEMPOTENCY) stores each handled event's status and
 * result: partition key `IDEMPOTENCY_TABLE_SCHEMA.partitionKey` (string), time to live on
 * `IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute` so expired records go away by themselves,
 * on-demand billing, point-in-time recovery, AWS-managed encryption.
 */
export class IdempotencyTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: IdempotencyTableProps = {}) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: IDEMPOTENCY_TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
  }
}

export interface ServiceBucketProps {
  /**
   * What happens to the bucket when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN (the bucket holds the service's objects)
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Bucket that receives this bucket's server access logs (under the prefix `<construct path>/`).
   * Pass one to share a single log bucket between several buckets.
   *
   * @default - a log bucket created by this construct (see `accessLogsBucket`)
   */
  readonly accessLogsBucket?: IBucket;
  /**
   * How long the log bucket created by this construct keeps access logs. Ignored when
   * `accessLogsBucket` is given.
   *
   * @default Duration.days(90)
   */
  readonly accessLogsRetention?: Duration;
}

/**
 * An S3 bucket: all public access blocked, TLS-only bucket policy, S3-managed encryption, object
 * ownership enforced (no ACLs), versioning on, retained when removed from the stack, and server
 * access logs written to a log bucket.
 *
 * Access logs (cdk-nag AwsSolutions-S1): the construct creates its own log bucket by default
 * rather than acknowledging the rule. Server access logs are the only per-request record of S3
 * data-plane access that is on without extra setup (CloudTrail data events cost extra and are an
 * account-level decision), and a bucket of the service's data should be auditable. The log bucket
 * itself cannot log to itself (that would loop), so S1 is acknowledged on the log bucket only.
 */
export class ServiceBucket extends Construct {
  readonly bucket: Bucket;
  /** Where the server access logs go: the `accessLogsBucket` prop, or the bucket this construct created. */
  readonly accessLogsBucket: IBucket;

  constructor(scope: Construct, id: string, props: ServiceBucketProps = {}) {
    super(scope, id);
    // Log delivery through a bucket policy (ACLs stay disabled), whatever the app's feature flags say.
    this.node.setContext(S3_LOGS_USE_BUCKET_POLICY, true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.accessLogsBucket = props.accessLogsBucket ?? this.createLogBucket(removalPolicy, props.accessLogsRetention ?? Duration.days(90));
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${this.node.path}/`,
    });
  }

  /**
   * Lets `fn` read objects: `s3:GetObject` on the bucket's objects and `s3:ListBucket` on the bucket
   * (so that a missing key is a 404, not a 403). Narrower than `Bucket.grantRead`, which allows
   * `s3:GetObject*`, `s3:GetBucket*` and `s3:List*` (LBP-SEC-LEAST-PRIVILEGE).
   */
  grantRead(fn: ServiceFunction): void {
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    this.acknowledgeObjectWildcard(fn);
  }

  /**
   * Lets `fn` write objects: `s3:PutObject`, `s3:DeleteObject` and `s3:AbortMultipartUpload` on the
   * bucket's objects. Narrower than `Bucket.grantWrite` (LBP-SEC-LEAST-PRIVILEGE).
   */
  grantWrite(fn: ServiceFunction): void {
    fn.role.addToPrincipalPolicy(new PolicyStatement({
      actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: [this.bucket.arnForObjects('*')],
    }));
    this.acknowledgeObjectWildcard(fn);
  }

  /** Object-level actions name objects by key: `<bucket ARN>/*` is every object of this one bucket. */
  private acknowledgeObjectWildcard(fn: ServiceFunction): void {
    const policy = fn.role.node.tryFindChild('DefaultPolicy');
    if (!policy) return;
    const logicalId = Stack.of(this).resolve((this.bucket.node.defaultChild as CfnBucket).logicalId) as string;
    Validations.of(policy.node.defaultChild ?? policy).acknowledge({
      id: `${NagRule.wildcard}[Resource::<${logicalId}.Arn>/*]`,
      reason: `Object-level S3 actions take object ARNs: "${this.node.path}/*" means the objects of this one bucket, ` +
        'which the function is declared to use; the actions themselves are listed one by one, without wildcards.',
    });
  }

  private createLogBucket(removalPolicy: RemovalPolicy, retention: Duration): Bucket {
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Server access logging delivers only to buckets with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      lifecycleRules: [{ expiration: retention }],
    });
    acknowledge(logs, NagRule.bucketLogging,
      'This is the server access log bucket of the service bucket next to it. Logging the log bucket would ' +
      'need yet another bucket (or loop into itself); its objects are written only by the S3 logging service.');
    return logs;
  }
}
