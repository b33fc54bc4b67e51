/**
 * The VPC of a service whose functions reach a database (LBP-RDS-PROXY) or mount a file system
 * (LBP-EFS-ASSETS). One per stack, created only when a spec needs it.
 *
 * Cost: isolated subnets only, no NAT gateway (a NAT gateway costs about 32 USD a month per AZ, idle
 * or not). Functions in the VPC reach DynamoDB and S3 through gateway endpoints (free), other AWS
 * APIs through interface endpoints added on demand (`addInterfaceEndpoint`, about 7 USD a month per
 * AZ each), and nothing on the internet. Flow logs go to CloudWatch Logs with a retention.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { InterfaceVpcEndpoint } from 'aws-cdk-lib/aws-ec2';
import {
  FlowLogDestination, FlowLogTrafficType, GatewayVpcEndpointAwsService, InterfaceVpcEndpointAwsService,
  Peer, Port, SubnetType, Vpc, type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServiceFunction } from './function.js';

/** AWS APIs that a function in the VPC may call through an interface endpoint. */
export type InterfaceEndpointService = 'sqs' | 'sns';

const INTERFACE_SERVICES: Readonly<Record<InterfaceEndpointService, InterfaceVpcEndpointAwsService>> = {
  sqs: InterfaceVpcEndpointAwsService.SQS,
  sns: InterfaceVpcEndpointAwsService.SNS,
};

export interface ServiceVpcProps {
  /**
   * Availability zones, each with one isolated subnet (Aurora and RDS Proxy need two).
   *
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * How long the flow logs are kept.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly flowLogRetention?: RetentionDays;
}

/** A VPC of isolated subnets with gateway endpoints for DynamoDB and S3, and flow logs. */
export class ServiceVpc extends Construct {
  readonly vpc: Vpc;
  /** The subnets databases, proxies, mount targets and functions are placed in. */
  readonly subnets: SubnetSelection = { subnetType: SubnetType.PRIVATE_ISOLATED };
  /** Where the flow logs (accepted and rejected traffic) go. */
  readonly flowLogGroup: LogGroup;
  private readonly endpoints = new Map<InterfaceEndpointService, InterfaceVpcEndpoint>();

  constructor(scope: Construct, id: string, props: ServiceVpcProps = {}) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: props.maxAzs ?? 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      // Every resource here has a security group of its own; leaving the default group as it is
      // avoids the custom resource (a Lambda function) that restricting it would add.
      restrictDefaultSecurityGroup: false,
      gatewayEndpoints: {
        DynamoDb: { service: GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: GatewayVpcEndpointAwsService.S3 },
      },
    });
    this.flowLogGroup = new LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: FlowLogTrafficType.ALL,
    });
  }

  /** An interface endpoint for `service` (created once), so that functions in the VPC can call it. */
  addInterfaceEndpoint(service: InterfaceEndpointService): InterfaceVpcEndpoint {
    const existing = this.endpoints.get(service);
    if (existing) return existing;
    const endpoint = this.vpc.addInterfaceEndpoint(`${service.toUpperCase()}Endpoint`, {
      service: INTERFACE_SERVICES[service],
      subnets: this.subnets,
      privateDnsEnabled: true,
    });
    this.endpoints.set(service, endpoint);
    return endpoint;
  }

  /**
   * Lets `fn` call AWS APIs over HTTPS. The subnets are isolated (no route to the internet), so this
   * reaches only the gateway endpoints (DynamoDB, S3, whose addresses are public) and the interface
   * endpoints of this VPC.
   */
  allowAwsApis(fn: ServiceFunction): void {
    fn.function.connections.allowTo(Peer.anyIpv4(), Port.tcp(443), 'AWS APIs through the VPC endpoints (isolated subnets: nothing else is routed)');
  }
}
