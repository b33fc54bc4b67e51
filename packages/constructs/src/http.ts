/**
 * An HTTP API (API Gateway v2) in front of functions invoked synchronously (LBP-ERR-SYNC): routes
 * integrate the functions' `live` alias, the stage throttles by default and writes JSON access logs.
 */
import { HttpApi, HttpMethod, type CfnStage, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceFunction } from './function.js';
import { NagRule, acknowledge } from './nag.js';

/** Stage-wide throttling of an HTTP API. */
export interface HttpThrottle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the rate. */
  readonly burstLimit: number;
}

export interface ServiceHttpApiProps {
  /**
   * Default route throttling of the stage: requests above it get 429 before reaching a function.
   *
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: HttpThrottle;
  /**
   * How long the access log group keeps logs.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Authorizer of every route added with `addRoute`.
   *
   * @default - none: routes are public (the spec format declares no authorizer yet), and the
   * AwsSolutions-APIG4 finding is acknowledged on each route with that reason
   */
  readonly authorizer?: IHttpRouteAuthorizer;
  /**
   * Description of the API.
   *
   * @default - no description
   */
  readonly description?: string;
}

/** The default throttle of `ServiceHttpApiProps.throttle`. */
export const DEFAULT_HTTP_THROTTLE: HttpThrottle = { rateLimit: 100, burstLimit: 200 };

/**
 * The access log line: one JSON object per request. API Gateway substitutes `$context` variables;
 * every value is a string so that a missing one (`-`) keeps the line valid JSON.
 */
export const ACCESS_LOG_FORMAT: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  responseLength: '$context.responseLength',
  userAgent: '$context.identity.userAgent',
};

const METHODS: Readonly<Record<string, HttpMethod>> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
  HEAD: HttpMethod.HEAD,
  OPTIONS: HttpMethod.OPTIONS,
  ANY: HttpMethod.ANY,
};

/** An HTTP API with a throttled, access-logged `$default` stage. */
export class ServiceHttpApi extends Construct {
  readonly api: HttpApi;
  readonly accessLogs: LogGroup;
  /** The `$default` stage's L1, where access logging and throttling are set. */
  readonly stage: CfnStage;
  private readonly authorizer?: IHttpRouteAuthorizer;
  private readonly integrations = new Map<ServiceFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: ServiceHttpApiProps = {}) {
    super(scope, id);
    this.authorizer = props.authorizer;
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new HttpApi(this, 'Api', { description: props.description, createDefaultStage: true });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage | undefined;
    if (!stage) throw new Error(`${this.node.path}: the HTTP API has no default stage`);
    this.stage = stage;
    const throttle = props.throttle ?? DEFAULT_HTTP_THROTTLE;
    stage.accessLogSettings = {
      destinationArn: this.accessLogs.logGroupArn,
      format: JSON.stringify(ACCESS_LOG_FORMAT),
    };
    stage.defaultRouteSettings = {
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
    };
  }

  /**
   * Routes `method path` (e.g. `POST /orders`, `GET /orders/{id}`) to `target`'s `live` alias
   * (payload format 2.0). Routes to the same function share one integration.
   */
  addRoute(method: string, path: string, target: ServiceFunction): void {
    const httpMethod = METHODS[method.toUpperCase()];
    if (!httpMethod) {
      throw new Error(`${this.node.path}: unknown HTTP method "${method}" for ${path}; use one of ${Object.keys(METHODS).join(', ')}.`);
    }
    let integration = this.integrations.get(target);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${target.node.id}Integration`, target.alias);
      this.integrations.set(target, integration);
    }
    const routes = this.api.addRoutes({ path, methods: [httpMethod], integration, authorizer: this.authorizer });
    if (!this.authorizer) {
      for (const route of routes) {
        acknowledge(route, NagRule.routeAuthorization,
          `${method} ${path} is public on purpose: the service spec declares no authorizer, so the construct was ` +
          'given none (ServiceHttpApiProps.authorizer). The stage throttles every route and the handler validates ' +
          'its input (4xx on bad requests); pass an authorizer to require callers to authenticate.');
      }
    }
  }
}
