/**
 * A relational database that functions reach only through RDS Proxy (LBP-RDS-PROXY): Aurora
 * PostgreSQL Serverless v2 or an RDS for PostgreSQL instance, encrypted, with backups and deletion
 * protection, its credentials in Secrets Manager (read by the proxy alone), and a proxy that takes
 * IAM authentication and TLS only. A function gets `rds-db:connect` on the proxy and a path through
 * the proxy's security group; the database's own security group admits the proxy and nothing else.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { InstanceType, Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import {
  AuroraPostgresEngineVersion, ClusterInstance, Credentials, DatabaseCluster, DatabaseClusterEngine, DatabaseInstance,
  DatabaseInstanceEngine, DatabaseProxy, PostgresEngineVersion, ProxyTarget,
} from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DatabaseEngine } from '@kiro-serverless/model/constants';
import { DATABASE_USER } from '@kiro-serverless/model/environment';
import type { ServiceFunction } from './function.js';
import { NagRule, acknowledge } from './nag.js';
import type { ServiceVpc } from './network.js';

/** PostgreSQL's port, which the proxy listens on too. */
export const POSTGRES_PORT = 5432;

export interface ServiceDatabaseProps {
  /** The VPC the database, its proxy and the functions that connect run in. */
  readonly vpc: ServiceVpc;
  /** `auroraPostgresql` (Aurora Serverless v2) or `postgres` (an RDS instance). */
  readonly engine: DatabaseEngine;
  /** The database created in the cluster or instance. */
  readonly databaseName: string;
  /**
   * Aurora Serverless v2 least capacity, in ACUs.
   *
   * @default 0.5
   */
  readonly minCapacity?: number;
  /**
   * Aurora Serverless v2 most capacity, in ACUs.
   *
   * @default 2
   */
  readonly maxCapacity?: number;
  /**
   * RDS instance class (without `db.`), for `postgres`.
   *
   * @default 't4g.micro'
   */
  readonly instanceClass?: string;
  /**
   * Days of automated backups.
   *
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Refuses deletion of the cluster or instance, whoever asks (CloudFormation included).
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the database when it leaves the stack.
   *
   * @default RemovalPolicy.SNAPSHOT (a final snapshot is kept)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A PostgreSQL database behind an RDS Proxy with IAM authentication and TLS (LBP-RDS-PROXY). */
export class ServiceDatabase extends Construct {
  /** Present for `auroraPostgresql`. */
  readonly cluster?: DatabaseCluster;
  /** Present for `postgres`. */
  readonly instance?: DatabaseInstance;
  /** The credentials, generated into Secrets Manager; only the proxy reads them. */
  readonly secret: ISecret;
  readonly proxy: DatabaseProxy;
  /** The database's security group: it admits the proxy only. */
  readonly securityGroup: SecurityGroup;
  /** The proxy's security group: it admits the functions granted `grantConnect`. */
  readonly proxySecurityGroup: SecurityGroup;
  /** The user functions connect as (with an IAM token, through the proxy). */
  readonly username = DATABASE_USER;
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: ServiceDatabaseProps) {
    super(scope, id);
    const vpc = props.vpc.vpc;
    const subnets = props.vpc.subnets;
    this.databaseName = props.databaseName;
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc, allowAllOutbound: false, description: `Database of ${this.node.path}: the proxy only`,
    });
    // The subnets are isolated (no route out of the VPC); the proxy's outbound traffic stays in it.
    this.proxySecurityGroup = new SecurityGroup(this, 'ProxySecurityGroup', {
      vpc, allowAllOutbound: true, description: `RDS Proxy of ${this.node.path}: functions granted connect`,
    });
    const common = {
      credentials: Credentials.fromGeneratedSecret(DATABASE_USER),
      vpc,
      vpcSubnets: subnets,
      securityGroups: [this.securityGroup],
      storageEncrypted: true,
      iamAuthentication: true,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
      port: POSTGRES_PORT,
    };
    const backupDays = props.backupRetentionDays ?? 7;
    let target: ProxyTarget;
    let secret: ISecret | undefined;
    if (props.engine === 'auroraPostgresql') {
      this.cluster = new DatabaseCluster(this, 'Cluster', {
        ...common,
        engine: DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_6 }),
        defaultDatabaseName: props.databaseName,
        writer: ClusterInstance.serverlessV2('Writer'),
        serverlessV2MinCapacity: props.minCapacity ?? 0.5,
        serverlessV2MaxCapacity: props.maxCapacity ?? 2,
        backup: { retention: Duration.days(backupDays) },
      });
      target = ProxyTarget.fromCluster(this.cluster);
      secret = this.cluster.secret;
    } else {
      this.instance = new DatabaseInstance(this, 'Instance', {
        ...common,
        engine: DatabaseInstanceEngine.postgres({ version: PostgresEngineVersion.VER_16_6 }),
        instanceType: new InstanceType(props.instanceClass ?? 't4g.micro'),
        databaseName: props.databaseName,
        multiAz: true,
        allocatedStorage: 20,
        publiclyAccessible: false,
        backupRetention: Duration.days(backupDays),
      });
      target = ProxyTarget.fromInstance(this.instance);
      secret = this.instance.secret;
      acknowledge(this.instance, NagRule.databaseDefaultPort,
        'PostgreSQL listens on its default port 5432. Nothing reaches it but the RDS Proxy: the database\'s security ' +
        'group admits the proxy\'s alone, in isolated subnets; a different port would hide nothing (LBP-RDS-PROXY).');
    }
    if (!secret) throw new Error(`${this.node.path}: the database has no credentials secret`);
    this.secret = secret;
    // The generated secret (DatabaseSecret) is the child `Secret` of the cluster or instance; `secret` is its attachment.
    const generated = (this.cluster ?? this.instance)?.node.tryFindChild('Secret');
    if (!generated) throw new Error(`${this.node.path}: the generated credentials secret was not found`);
    acknowledge(generated, NagRule.secretRotation,
      'The only reader of this secret is the RDS Proxy: functions authenticate to the proxy with IAM tokens that ' +
      'expire after 15 minutes, so no function or person holds the password. Rotating it needs a rotation function ' +
      'with a route to Secrets Manager (an interface endpoint); add `addRotationSingleUser` when that is wanted.');

    this.proxy = new DatabaseProxy(this, 'Proxy', {
      proxyTarget: target,
      secrets: [this.secret],
      vpc,
      vpcSubnets: subnets,
      securityGroups: [this.proxySecurityGroup],
      iamAuth: true,
      requireTLS: true,
      debugLogging: false,
    });
    this.securityGroup.addIngressRule(this.proxySecurityGroup, Port.tcp(POSTGRES_PORT), 'The RDS Proxy only');
  }

  /**
   * Lets `fn` (which must run in the database's VPC) connect through the proxy: `rds-db:connect` on
   * the proxy for `username`, and the function's security group into the proxy's on 5432. Nothing
   * lets it reach the database itself.
   */
  grantConnect(fn: ServiceFunction): void {
    if (!fn.vpc) throw new Error(`${fn.node.path} is not in a VPC: give it \`vpc\` to connect to ${this.node.path} (LBP-RDS-PROXY).`);
    this.proxy.grantConnect(fn.function, this.username);
    fn.function.connections.allowTo(this.proxySecurityGroup, Port.tcp(POSTGRES_PORT), `RDS Proxy of ${this.node.path}`);
  }
}
