import { S3Client } from '@aws-sdk/client-s3';

/**
 * Whether the SDK will send S3 requests to a configured endpoint (an emulator) rather than AWS: the
 * same environment variables, in the same order, as the SDK's own endpoint resolution.
 */
function hasConfiguredEndpoint(env: NodeJS.ProcessEnv): boolean {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/**
 * The S3 client of this execution environment, created once at INIT and reused by every warm
 * invocation (import it; never create clients in a handler).
 *
 * - Region: `AWS_REGION` (set by Lambda), through the SDK's default chain.
 * - Endpoint: AWS, unless `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` is set (the local cloud sets
 *   them); the SDK reads them itself on the first request. With either set, requests use path-style
 *   addressing (`http://host/bucket/key`, `forcePathStyle`), which emulators need; on AWS they stay
 *   virtual-hosted. Both are read when this module is first imported.
 * - HTTP keep-alive is the SDK v3 default on Node.js, so warm invocations reuse TLS connections.
 */
export const s3 = new S3Client({ forcePathStyle: hasConfiguredEndpoint(process.env) });
