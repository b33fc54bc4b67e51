/**
 * `npm run new:service -- <name>`: writes `specs/<name>.yaml`, a starter spec that passes
 * `npm run spec:check` with no finding, for a user who forks the template to start their own service.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVICE_NAME_PATTERN } from '@kiro-serverless/model/constants';
import { SCHEMA_MODELINE, SPEC_DIR } from '@kiro-serverless/model/layout';
import { NewServiceError } from './errors.js';

/** The starter spec: one table, an HTTP function that writes it, and a queue consumer with its DLQ. */
export function starterSpec(service: string): string {
  return `${SCHEMA_MODELINE}
# Starter spec for ${service}. Every key: docs/spec.md. Check: npm run spec:check. Generate: npm run generate.
service: ${service}
description: TODO say what ${service} does
defaults:
  function: { memoryMb: 512, timeoutSeconds: 10, architecture: arm64, runtime: nodejs22.x }

tables:
  items:
    partitionKey: { name: pk, type: string }

queues:
  work:
    deadLetter: { maxReceiveCount: 5 }

functions:
  createItem:
    description: Store an item sent over HTTP
    permissions: { write: [items], send: [work] }
    idempotency: { key: headers.idempotency-key }
    trigger:
      http: { method: POST, path: /items }

  processItem:
    description: Process the work queued for an item
    permissions: { read: [items] }
    idempotency: { key: body.itemId }
    trigger:
      sqs: { queue: work, batchSize: 10, reportBatchItemFailures: true }
`;
}

export async function newService(name: string | undefined, root: string): Promise<string> {
  if (name === undefined || !SERVICE_NAME_PATTERN.test(name)) {
    throw new NewServiceError(`${name === undefined ? 'No service name given' : `\`${name}\` is not a valid service name`}: use kebab-case, e.g. \`npm run new:service -- order-intake\`.`);
  }
  const rel = `${SPEC_DIR}/${name}.yaml`;
  const target = path.join(root, rel);
  const exists = await access(target).then(() => true, () => false);
  if (exists) throw new NewServiceError(`${rel} exists already; nothing was written. Pick another name, or edit that spec.`);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, starterSpec(name), { flag: 'wx' });
  return rel;
}

if (process.argv[1]?.endsWith('generate/src/new-service.ts')) {
  try {
    const rel = await newService(process.argv[2], process.cwd());
    process.stdout.write(`Wrote ${rel}. Next: edit it, then \`npm run spec:check\` and \`npm run generate\`.\n`);
  } catch (error) {
    if (!(error instanceof NewServiceError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
