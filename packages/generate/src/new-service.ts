/**
 * `npm run new:service -- <name>`: writes `specs/<name>.yaml`, a starter spec that passes
 * `npm run spec:check` with no finding, for a user who forks the template to start their own service.
 *
 * `npm run new:service -- <name> --replace-example [--force] [--dry-run]`: the same, in place of the
 * example service. It removes exactly the example's files (replace-example.ts, as listed by
 * example/manifest.json), refusing any the user changed unless `--force`, writes the starter spec,
 * runs the generator, and prints what it removed, kept and wrote. Everything is checked before
 * anything is touched.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkSpecText, listSpecFiles, loadServiceModels } from '@kiro-serverless/model/check';
import { SERVICE_NAME_PATTERN } from '@kiro-serverless/model/constants';
import { SpecError } from '@kiro-serverless/model/errors';
import { handlerPath, handlerTestPath, SCHEMA_MODELINE, scenarioPath, SPEC_DIR } from '@kiro-serverless/model/layout';
import type { ServiceModel } from '@kiro-serverless/model/model';
import type { ExampleManifest } from './example/manifest.js';
import { readManifest } from './example/manifest.js';
import { GenerateError, NewServiceError, ReplaceExampleError } from './errors.js';
import { generate } from './generate.js';
import { planFiles } from './plan.js';
import type { ReplacementPlan } from './replace-example.js';
import { applyReplacement, FORCED_NOTE, needsForce, planReplaceExample, refusalOf } from './replace-example.js';
import { PROJECT_RENDERERS, SERVICE_RENDERERS } from './renderers.js';
import { diffPlan } from './sync.js';

const USAGE = 'Usage: npm run new:service -- <name> [--replace-example [--force] [--dry-run]]';

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

/** The spec file of a new service, or a NewServiceError for a missing or malformed name. */
function specFileOf(name: string | undefined): string {
  if (name === undefined || !SERVICE_NAME_PATTERN.test(name)) {
    throw new NewServiceError(`${name === undefined ? 'No service name given' : `\`${name}\` is not a valid service name`}: use kebab-case, e.g. \`npm run new:service -- order-intake\`.`);
  }
  return `${SPEC_DIR}/${name}.yaml`;
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

export async function newService(name: string | undefined, root: string): Promise<string> {
  const rel = specFileOf(name);
  const target = path.join(root, rel);
  if (await exists(target)) throw new NewServiceError(`${rel} exists already; nothing was written. Pick another name, or edit that spec.`);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, starterSpec(name as string), { flag: 'wx' });
  return rel;
}

export interface ReplaceExampleOptions {
  /** The project root. */
  readonly root: string;
  /** The new service's name (kebab-case). */
  readonly name: string | undefined;
  /** Delete changed and unknown files of the example too. @default false */
  readonly force?: boolean;
  /** Print the plan; remove and write nothing. @default false */
  readonly dryRun?: boolean;
  /** The example as shipped. @default the manifest of the template (example/manifest.json) */
  readonly manifest?: ExampleManifest;
}

/**
 * Replaces the example with a starter service `name`; prints the plan, what the generator did and
 * the next steps. Throws ReplaceExampleError, having touched nothing, when anything stands in the
 * way. Resolves to the exit code (0; 1 when a dry run finds problems).
 */
export async function replaceExample(options: ReplaceExampleOptions, out: (line: string) => void): Promise<number> {
  const { root } = options;
  const specFile = specFileOf(options.name);
  const name = options.name as string;
  const plan = await planReplaceExample(root, options.manifest ?? await readManifest(), { force: options.force === true });
  const { issues, files } = await checkReplacement(plan, root, name, specFile);

  if (issues.length > 0 && !options.dryRun) throw new ReplaceExampleError(issues);

  out(`${options.dryRun ? 'Dry run: replacing' : 'Replacing'} the example service ${plan.service} with ${name}:`);
  for (const line of planLines(plan, specFile)) out(line);
  if (options.dryRun) {
    out(issues.length > 0
      ? new ReplaceExampleError(issues).message
      : `Dry run: nothing removed or written. The run would also generate ${files} file(s) for ${name}.`);
    return issues.length > 0 ? 1 : 0;
  }
  await applyReplacement(plan, root);
  await writeFile(path.join(root, specFile), starterSpec(name), { flag: 'wx' });
  out('Generating (npm run generate):');
  const code = await generate({ root, mode: 'write' }, out);
  if (code !== 0) return code;
  out(`Removed ${plan.remove.length} file(s) of the ${plan.service} example; wrote ${specFile} and generated ${name}.`);
  for (const line of await nextSteps(root, name, specFile, plan)) out(line);
  return 0;
}

/** Everything that would stop the replacement, and how many files the generator would then write. */
async function checkReplacement(plan: ReplacementPlan, root: string, name: string, specFile: string): Promise<{ issues: string[]; files: number }> {
  const removed = new Set(plan.remove.map((f) => f.path));
  const issues = [
    ...plan.refused.map((f) => `${f.path}: ${needsForce(f.state) ? refusalOf(f.state) : f.state}`),
    ...plan.problems,
  ];
  if (await exists(path.join(root, specFile)) && !removed.has(specFile)) issues.push(`${specFile}: exists already; pick another name, or move that spec.`);
  const remaining = (await listSpecFiles(root)).filter((f) => !removed.has(f) && f !== specFile);
  let models: ServiceModel[] = [];
  try {
    models = await loadServiceModels(root, remaining);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    issues.push(`the specs that stay have errors, so the generator would stop; fix them first:\n${error.message.replace(/^/gm, '    ')}`);
  }
  const starter = checkSpecText(starterSpec(name), specFile).model;
  if (!starter) throw new Error(`the starter spec of ${name} does not pass its own check (a bug in new-service.ts)`);
  const owner = models.find((m) => m.service === name);
  if (owner) issues.push(`${owner.sourceFile}: declares the service ${name} already; pick another name.`);
  const report = await diffPlan(planFiles([...models.filter((m) => m !== owner), starter], SERVICE_RENDERERS, PROJECT_RENDERERS), root);
  for (const conflict of report.conflicts.filter((p) => !removed.has(p))) {
    issues.push(`${conflict}: has no generated header and stands where the generator must write a file of ${name}; move it.`);
  }
  return { issues, files: report.changes.filter((c) => c.action === 'create' || c.action === 'update').length };
}

function planLines(plan: ReplacementPlan, specFile: string): string[] {
  const row = (action: string, text: string): string => `  ${action.padEnd(9)} ${text}`;
  return [
    ...plan.remove.map((f) => row('remove', needsForce(f.state) ? `${f.path} (${FORCED_NOTE[f.state]}; --force)` : f.path)),
    ...plan.absent.map((p) => row('absent', `${p} (gone already)`)),
    ...(plan.budgets ? [
      row('edit', `${plan.budgets.file}: drop ${plan.budgets.drop.join(', ')}`),
      row('keep', `${plan.budgets.file}: the default and ${plan.budgets.keep.length} other budget(s)`),
    ] : []),
    ...plan.keptSpecs.map((p) => row('keep', `${p} (another service)`)),
    row('write', `${specFile} (the starter spec)`),
  ];
}

async function nextSteps(root: string, name: string, specFile: string, plan: ReplacementPlan): Promise<string[]> {
  const model = { service: name };
  const first = { fileName: 'create-item' };
  const steps = [
    `Describe ${name} in ${specFile} (every key: docs/spec.md), then \`npm run spec:check\` and \`npm run generate\`.`,
    `Write the business logic in ${path.posix.dirname(handlerPath(model, first))}/ and its tests in ${path.posix.dirname(handlerTestPath(model, first))}/; \`npm test\`.`,
    `\`npm start${plan.keptSpecs.length === 0 ? '' : ` -- ${specFile}`}\` runs ${name} in the local cloud: one synthetic event per trigger, until you write ${scenarioPath(specFile)}.`,
  ];
  const product = await readFile(path.join(root, '.kiro/steering/product.md'), 'utf8').catch(() => '');
  if (product.includes(`${SPEC_DIR}/${plan.service}.yaml`)) steps.push(`Tell the agent what you build: .kiro/steering/product.md still describes the ${plan.service} example.`);
  return ['Next:', ...steps.map((s, i) => `  ${i + 1}. ${s}`)];
}

/** The command line: resolves to the exit code. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void, root = process.cwd()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'replace-example': { type: 'boolean' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    err(`One service name, please; got ${positionals.join(', ')}.\n${USAGE}`);
    return 2;
  }
  if (!values['replace-example'] && (values.force || values['dry-run'])) {
    err(`--force and --dry-run go with --replace-example.\n${USAGE}`);
    return 2;
  }
  try {
    if (values['replace-example']) {
      return await replaceExample({ root, name: positionals[0], force: values.force === true, dryRun: values['dry-run'] === true }, out);
    }
    const rel = await newService(positionals[0], root);
    out(`Wrote ${rel}. Next: edit it, then \`npm run spec:check\` and \`npm run generate\`.`);
    return 0;
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error;
    err(error.message);
    return 1;
  }
}

if (process.argv[1]?.endsWith('generate/src/new-service.ts')) {
  process.exitCode = await main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
}
