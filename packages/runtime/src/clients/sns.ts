import { SNSClient } from '@aws-sdk/client-sns';

/**
 * The SNS client of this execution environment, created once at INIT and reused by every warm
 * invocation (import it; never create clients in a handler).
 *
 * - Region: `AWS_REGION` (set by Lambda), through the SDK's default chain.
 * - Endpoint: AWS, unless `AWS_ENDPOINT_URL_SNS` or `AWS_ENDPOINT_URL` is set (the local cloud sets
 *   them); the SDK reads them itself on the first request.
 * - HTTP keep-alive is the SDK v3 default on Node.js, so warm invocations reuse TLS connections.
 */
export const sns = new SNSClient({});
