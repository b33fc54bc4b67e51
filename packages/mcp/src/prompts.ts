/**
 * The `implement-feature` prompt: how a change is made in this project, step by step, with the
 * command that checks each step. It mirrors .kiro/steering/spec-workflow.md for clients that do
 * not read Kiro's steering.
 *
 * @module
 */
import type { PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export const IMPLEMENT_FEATURE_ARGS = {
  feature: z.string().min(1).describe('What to build, in a sentence or a paragraph (or the path of a Kiro spec under .kiro/specs/).'),
  service: z.string().optional().describe('The service it belongs to (a name from list_services). Default: the project\'s only service.'),
};

export function implementFeatureMessages(args: { feature: string; service?: string | undefined }): PromptMessage[] {
  const service = args.service ?? '<service>';
  const spec = args.service ? `specs/${args.service}.yaml` : 'specs/<service>.yaml';
  const text = `Implement this feature in the serverless project: ${args.feature}

Work in this order; do not go on while a step's check fails.

1. Understand what exists. Call list_services and read the resource spec://${service}; read docs/spec.md for the keys and docs/best-practices.md for the rules (LBP-* IDs).
2. Change the spec, ${spec}: tables, queues, topics and functions with their triggers, permissions (read, write, publish, send) and idempotency keys. Retried triggers (streams, queues, SNS, schedules, async) need an idempotency key or an explicit opt-out; stream triggers need bounded retries, bisect and an OnFailure destination; queues need a DLQ.
   Check: \`npm run spec:check\` (or the check_specs tool). Fix every finding; each names the rule and the fix.
3. Generate: \`npm run generate\`. It writes src/generated/** and infra/generated/** (never edit those) and scaffolds src/handlers/${service}/<function>.ts and test/handlers/${service}/<function>.test.ts once.
   Check: get_generation_status says up to date.
4. Write the business logic in src/handlers/${service}/<function>.ts only. Use the typed resources the handler receives (table names, queue URLs come from the environment, never hard-coded); SDK clients come from @kiro-serverless/runtime/clients/* and are created once at module scope; await every promise; keep no state in module variables; throw for a failed record so that the batch reports it.
   Check: \`npm run lint\` (the lambda/* rules) and \`npm run typecheck\`.
5. Test it in test/handlers/${service}/<function>.test.ts: the happy path, bad input (4xx for HTTP), a failing record in a batch (only its ID is reported), and a duplicate delivery (processed once).
   Check: \`npm test\`.
6. Run it in the local cloud: \`npm start -- ${spec}\` (a scenario in specs/${service}.scenario.ts, if there is one, must pass), or \`npm run dev\` and get_deployment_status / get_recent_failures with target "local".
7. Synthesize: \`npm run synth\` (cdk-nag must report nothing), then \`npm run check\` before you say it is done. Deploying (\`npm run deploy\`) is the user's decision.`;
  return [{ role: 'user', content: { type: 'text', text } }];
}
