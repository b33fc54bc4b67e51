/**
 * An EFS file system for large or shared assets (LBP-EFS-ASSETS): encrypted, in the service's VPC,
 * with one access point that pins the POSIX user and root directory functions see, mounted by each
 * function at the spec's path (`/mnt/<name>`), read-only or read-write.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import type { AccessPoint } from 'aws-cdk-lib/aws-efs';
import { FileSystem, PerformanceMode, ThroughputMode } from 'aws-cdk-lib/aws-efs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FileSystem as LambdaFileSystem, type FileSystemConfig } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { ServiceVpc } from './network.js';

/** The POSIX user and group functions act as on the file system. */
export const FILE_SYSTEM_POSIX_ID = '1001';
/** The directory of the file system functions see as their mount path. */
export const FILE_SYSTEM_ROOT = '/lambda';

export interface ServiceFileSystemProps {
  /** The VPC of the mount targets and of the functions that mount it. */
  readonly vpc: ServiceVpc;
  /** Where functions see it: `/mnt/<name>` (Lambda accepts nothing else). */
  readonly mountPath: string;
  /**
   * What happens to the file system when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN (it holds the assets)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A Lambda mount with the grants this construct chooses (the base class's constructor is protected). */
class EfsMount extends LambdaFileSystem {
  static of(config: FileSystemConfig): LambdaFileSystem {
    return new EfsMount(config);
  }
}

/** An encrypted EFS file system with an access point, mounted by functions (LBP-EFS-ASSETS). */
export class ServiceFileSystem extends Construct {
  readonly fileSystem: FileSystem;
  readonly accessPoint: AccessPoint;
  readonly securityGroup: SecurityGroup;
  readonly mountPath: string;

  constructor(scope: Construct, id: string, props: ServiceFileSystemProps) {
    super(scope, id);
    if (!/^\/mnt\/[A-Za-z0-9._-]+$/.test(props.mountPath)) {
      throw new Error(`${this.node.path}: the mount path ${props.mountPath} is not /mnt/<name>, the only place Lambda mounts file systems (LBP-EFS-ASSETS).`);
    }
    this.mountPath = props.mountPath;
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc.vpc, allowAllOutbound: false, description: `EFS mount targets of ${this.node.path}: the functions that mount it`,
    });
    this.fileSystem = new FileSystem(this, 'FileSystem', {
      vpc: props.vpc.vpc,
      vpcSubnets: props.vpc.subnets,
      securityGroup: this.securityGroup,
      encrypted: true,
      performanceMode: PerformanceMode.GENERAL_PURPOSE,
      throughputMode: ThroughputMode.ELASTIC,
      enableAutomaticBackups: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.accessPoint = this.fileSystem.addAccessPoint('AccessPoint', {
      path: FILE_SYSTEM_ROOT,
      createAcl: { ownerUid: FILE_SYSTEM_POSIX_ID, ownerGid: FILE_SYSTEM_POSIX_ID, permissions: '750' },
      posixUser: { uid: FILE_SYSTEM_POSIX_ID, gid: FILE_SYSTEM_POSIX_ID },
    });
  }

  /**
   * The mount a function gets (`ServiceFunctionProps.fileSystem`): the access point at `mountPath`,
   * with `elasticfilesystem:ClientMount` (and `ClientWrite` unless read-only) on this file system
   * through this access point only, and a path from the function's security group to the mount
   * targets. (aws-cdk-lib's `FileSystem.fromEfsAccessPoint` grants both actions on `*`.)
   */
  lambdaFileSystem(access: 'read' | 'readWrite'): LambdaFileSystem {
    return EfsMount.of({
      arn: this.accessPoint.accessPointArn,
      localMountPath: this.mountPath,
      connections: this.fileSystem.connections,
      dependency: [this.fileSystem.mountTargetsAvailable],
      policies: [new PolicyStatement({
        actions: access === 'readWrite' ? ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'] : ['elasticfilesystem:ClientMount'],
        resources: [this.fileSystem.fileSystemArn],
        conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': this.accessPoint.accessPointArn } },
      })],
    });
  }
}
