/**
 * ServiceVpc, ServiceDatabase and ServiceFileSystem: one stack, synthesized once, with an Aurora
 * database, an RDS instance, a file system and functions that connect and mount.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from 'aws-cdk-lib';
import {
  ServiceDatabase, ServiceFileSystem, ServiceFunction, ServiceVpc,
} from '../src/index.js';
import { functionProps, logicalIdOf, removeOutdir, testApp } from './support.js';

type Resource = { Type: string; Properties: Record<string, unknown> };

let app: App;
let stack: Stack;
let resources: Record<string, Resource>;
let aurora: ServiceDatabase;
let instance: ServiceDatabase;
let assets: ServiceFileSystem;
let reader: ServiceFunction;
let writer: ServiceFunction;

beforeAll(() => {
  app = testApp();
  stack = new Stack(app, 'Data');
  const vpc = new ServiceVpc(stack, 'Network');
  aurora = new ServiceDatabase(stack, 'Analytics', { vpc, engine: 'auroraPostgresql', databaseName: 'analytics', minCapacity: 0.5, maxCapacity: 4 });
  instance = new ServiceDatabase(stack, 'Ledger', { vpc, engine: 'postgres', databaseName: 'ledger' });
  assets = new ServiceFileSystem(stack, 'Assets', { vpc, mountPath: '/mnt/assets' });
  reader = new ServiceFunction(stack, 'Reader', functionProps({ vpc, fileSystem: { fileSystem: assets, access: 'read' } }));
  aurora.grantConnect(reader);
  writer = new ServiceFunction(stack, 'Writer', functionProps({ vpc, fileSystem: { fileSystem: assets, access: 'readWrite' } }));
  instance.grantConnect(writer);
  resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
});

afterAll(() => removeOutdir(app));

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const json = (v: unknown) => JSON.stringify(v);
const lambda = (fn: ServiceFunction) => resources[logicalIdOf(fn.function)]!.Properties;
function statementsOf(fn: ServiceFunction): { Action: string | string[]; Resource: unknown }[] {
  const role = logicalIdOf(fn.role);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => json(p.Properties.Roles).includes(`"${role}"`))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
}
const actions = (fn: ServiceFunction) => statementsOf(fn).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('ServiceDatabase', () => {
  it('LBP-RDS-PROXY: the proxy requires IAM authentication and TLS, and reads the credentials from Secrets Manager', () => {
    const proxies = ofType('AWS::RDS::DBProxy');
    expect(proxies).toHaveLength(2);
    for (const [, proxy] of proxies) {
      expect(proxy.Properties).toMatchObject({ RequireTLS: true, EngineFamily: 'POSTGRESQL' });
      const auth = proxy.Properties.Auth as { IAMAuth: string; SecretArn: unknown }[];
      expect(auth).toHaveLength(1);
      expect(auth[0]!.IAMAuth).toBe('REQUIRED');
      expect(json(auth[0]!.SecretArn)).toMatch(/Secret/);
    }
    expect(ofType('AWS::SecretsManager::Secret')).toHaveLength(2);
  });

  it('LBP-RDS-PROXY: a function granted connect gets rds-db:connect on its proxy only, for the database user', () => {
    const connect = statementsOf(reader).filter((s) => json(s.Action).includes('rds-db:connect'));
    expect(connect).toHaveLength(1);
    expect(json(connect[0]!.Resource)).toContain(logicalIdOf(aurora.proxy));
    expect(json(connect[0]!.Resource)).toContain(`/${aurora.username}`);
    expect(json(connect[0]!.Resource)).not.toContain(logicalIdOf(instance.proxy));
    expect(actions(reader).filter((a) => a.startsWith('rds'))).toEqual(['rds-db:connect']);
  });

  it('LBP-RDS-PROXY: the function runs in the VPC and reaches only the proxy (and its file system); the database admits the proxy only', () => {
    const fnSg = logicalIdOf(reader.securityGroup!);
    expect(json(lambda(reader).VpcConfig)).toContain(fnSg);
    const egress = ofType('AWS::EC2::SecurityGroupEgress').filter(([, r]) => json(r.Properties.GroupId).includes(fnSg)).map(([, r]) => r.Properties);
    const inline = (resources[fnSg]!.Properties.SecurityGroupEgress as { CidrIp?: string }[] | undefined) ?? [];
    expect(inline.every((e) => e.CidrIp === '255.255.255.255/32'), 'no outbound traffic but the grants').toBe(true);
    expect(egress.map((e) => [e.FromPort, json(e.DestinationSecurityGroupId)]).sort()).toEqual([
      [2049, json({ 'Fn::GetAtt': [logicalIdOf(assets.securityGroup), 'GroupId'] })],
      [5432, json({ 'Fn::GetAtt': [logicalIdOf(aurora.proxySecurityGroup), 'GroupId'] })],
    ]);
    const dbSg = logicalIdOf(aurora.securityGroup);
    const ingress = ofType('AWS::EC2::SecurityGroupIngress').filter(([, r]) => json(r.Properties.GroupId).includes(dbSg)).map(([, r]) => r.Properties);
    expect(ingress.length).toBeGreaterThan(0);
    for (const rule of ingress) expect(json(rule.SourceSecurityGroupId)).toContain(logicalIdOf(aurora.proxySecurityGroup));
    expect(resources[dbSg]!.Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('LBP-RDS-PROXY: Aurora Serverless v2 and the RDS instance are encrypted, IAM-enabled, backed up and protected from deletion', () => {
    const [, cluster] = ofType('AWS::RDS::DBCluster')[0]!;
    expect(cluster.Properties).toMatchObject({
      StorageEncrypted: true, EnableIAMDatabaseAuthentication: true, DeletionProtection: true, BackupRetentionPeriod: 7,
      DatabaseName: 'analytics', ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
    });
    const db = ofType('AWS::RDS::DBInstance').map(([, r]) => r.Properties).find((p) => p.DBName === 'ledger')!;
    expect(db).toMatchObject({ StorageEncrypted: true, EnableIAMDatabaseAuthentication: true, DeletionProtection: true, BackupRetentionPeriod: 7, MultiAZ: true, PubliclyAccessible: false });
  });

  it('refuses to grant a function outside a VPC', () => {
    const outside = new ServiceFunction(new Stack(testApp(), 'Outside'), 'Fn', functionProps());
    expect(() => aurora.grantConnect(outside)).toThrow(/not in a VPC/);
  });
});

describe('ServiceFileSystem', () => {
  it('LBP-EFS-ASSETS: an encrypted file system with an access point that pins the POSIX user and root directory', () => {
    expect(ofType('AWS::EFS::FileSystem').map(([, r]) => r.Properties.Encrypted)).toEqual([true]);
    const [, ap] = ofType('AWS::EFS::AccessPoint')[0]!;
    expect(ap.Properties).toMatchObject({
      PosixUser: { Uid: '1001', Gid: '1001' },
      RootDirectory: { Path: '/lambda', CreationInfo: { OwnerUid: '1001', OwnerGid: '1001', Permissions: '750' } },
    });
  });

  it('LBP-EFS-ASSETS: functions mount the access point at the mount path, read-only or read-write, granted through that access point', () => {
    for (const fn of [reader, writer]) {
      expect(lambda(fn).FileSystemConfigs).toEqual([{ Arn: expect.anything() as unknown, LocalMountPath: '/mnt/assets' }]);
      expect(json(lambda(fn).FileSystemConfigs)).toContain(logicalIdOf(assets.accessPoint));
      for (const s of statementsOf(fn).filter((st) => json(st.Action).includes('elasticfilesystem'))) expect(s.Resource).not.toBe('*');
    }
    expect(actions(reader)).toContain('elasticfilesystem:ClientMount');
    expect(actions(reader)).not.toContain('elasticfilesystem:ClientWrite');
    expect(actions(writer)).toContain('elasticfilesystem:ClientWrite');
  });

  it('LBP-EFS-ASSETS: refuses a mount path outside /mnt', () => {
    const s = new Stack(testApp(), 'Paths');
    expect(() => new ServiceFileSystem(s, 'Bad', { vpc: new ServiceVpc(s, 'Network'), mountPath: '/data' })).toThrow(/\/mnt\/<name>/);
  });
});

describe('ServiceVpc', () => {
  it('isolated subnets (no NAT gateway), gateway endpoints for DynamoDB and S3, flow logs', () => {
    expect(ofType('AWS::EC2::NatGateway')).toHaveLength(0);
    expect(ofType('AWS::EC2::InternetGateway')).toHaveLength(0);
    expect(ofType('AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties.VpcEndpointType)).toEqual(['Gateway', 'Gateway']);
    expect(ofType('AWS::EC2::FlowLog')).toHaveLength(1);
  });
});

it('cdk-nag: no unacknowledged AwsSolutions or Serverless finding', () => {
  for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
    const report = pack.validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  }
});
