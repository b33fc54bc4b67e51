import { join } from 'node:path';
import { vi } from 'vitest';

const ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SNS',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_S3',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
];

/**
 * Stubs a hermetic AWS environment: fixed region and static fake credentials, no shared config or
 * credentials files, no profile and no endpoint variables. Undo with `vi.unstubAllEnvs()`.
 */
export function stubAwsEnv(): void {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  const nowhere = join(import.meta.dirname, 'does-not-exist');
  vi.stubEnv('AWS_CONFIG_FILE', join(nowhere, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(nowhere, 'credentials'));
  for (const name of ENDPOINT_VARIABLES) vi.stubEnv(name, undefined);
}
