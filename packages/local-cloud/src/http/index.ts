/**
 * The local HTTP front: API Gateway HTTP API (payload format 2.0) in front of the service's
 * functions, on one machine.
 *
 * @example
 * const front = await startHttpFront({ routes: httpRoutesOf(model), invoker, trace });
 * await fetch(`${front.url}/orders/42`);
 * await front.stop();
 *
 * @module
 */
export {
  DEFAULT_HOST,
  DEFAULT_STRUCTURED_CONTENT_TYPE,
  GatewayAnswer,
  INFERRED_CONTENT_TYPE,
  INTEGRATION_TIMEOUT_MS,
  MAX_REQUEST_BODY_BYTES,
} from './constants.js';
export { HttpFrontError, InvalidRoutesError, type RouteIssue } from './errors.js';
export { ERROR_ANSWERS, functionResponse, gatewayAnswer, gatewayResponse, type GatewayResponse } from './gateway-response.js';
export { isTextContentType, newGatewayRequestId, requestEvent, type RequestEventInput } from './request-event.js';
export { RouteTable, httpRoutesOf, type HttpRoute, type HttpRouteMethod, type RouteMatch } from './route-table.js';
export { startHttpFront, type HttpFront, type HttpFrontOptions } from './start-http-front.js';
