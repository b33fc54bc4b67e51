/**
 * The CDK app: one stack per spec under specs/, built by the generated stack classes
 * (infra/generated/) and checked by cdk-nag (@kiro-serverless/constructs/app). Run it through the
 * CDK CLI: `npm run synth`, `npm run diff`, `npm run deploy`. `STAGE` (default `dev`) prefixes the
 * stack names; account and region come from the CLI's profile.
 */
import path from 'node:path';
import { buildApp } from '@kiro-serverless/constructs/app';
import { SpecValidationError } from '@kiro-serverless/model/errors';
import { STACKS } from './generated/stacks.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

try {
  (await buildApp({ root: PROJECT_ROOT, stacks: STACKS })).synth();
} catch (error) {
  if (!(error instanceof SpecValidationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
