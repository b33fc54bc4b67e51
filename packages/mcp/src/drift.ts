/**
 * Drift between what is deployed and what the project would deploy now: the deployed template
 * (CloudFormation GetTemplate) against the synthesized one in cdk.out. cdk.out is used only when it
 * is newer than every input of the synthesis (specs, src, infra, cdk.json, the lockfile); otherwise
 * the answer says to synthesize first, rather than compare with an old template.
 *
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, unknown>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: unknown;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: unknown;
  readonly Condition?: unknown;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
}

/** What the synthesis inputs are: a newer file among them makes cdk.out out of date. */
const SYNTH_INPUTS = ['specs', 'src', 'infra', 'cdk.json', 'package-lock.json'] as const;

export type LocalTemplate =
  | { readonly state: 'current'; readonly file: string; readonly template: CfnTemplate }
  | { readonly state: 'outdated'; readonly file: string; readonly newerInput: string }
  | { readonly state: 'missing'; readonly file: string };

/** `cdk.out/<stack>.template.json`, if it exists and is newer than every synthesis input. */
export async function localTemplate(root: string, stackName: string): Promise<LocalTemplate> {
  const relative = `cdk.out/${stackName}.template.json`;
  const file = path.join(root, relative);
  let templateTime: number;
  try {
    templateTime = (await stat(file)).mtimeMs;
  } catch {
    return { state: 'missing', file: relative };
  }
  const newest = await newestInput(root);
  if (newest && newest.mtimeMs > templateTime) return { state: 'outdated', file: relative, newerInput: newest.file };
  return { state: 'current', file: relative, template: JSON.parse(await readFile(file, 'utf8')) as CfnTemplate };
}

async function newestInput(root: string): Promise<{ file: string; mtimeMs: number } | undefined> {
  let newest: { file: string; mtimeMs: number } | undefined;
  const visit = async (relative: string): Promise<void> => {
    const absolute = path.join(root, relative);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      return;
    }
    if (info.isDirectory()) {
      const names = await readdir(absolute);
      await Promise.all(names.filter((n) => n !== 'node_modules' && !n.startsWith('.')).map((n) => visit(path.join(relative, n))));
    } else if (!newest || info.mtimeMs > newest.mtimeMs) {
      newest = { file: relative.split(path.sep).join('/'), mtimeMs: info.mtimeMs };
    }
  };
  await Promise.all(SYNTH_INPUTS.map(visit));
  return newest;
}

/** Parses a template body as CloudFormation returns it (JSON from CDK; YAML from other tools). */
export function parseTemplate(body: string): CfnTemplate {
  const trimmed = body.trimStart();
  return (trimmed.startsWith('{') ? JSON.parse(body) : parseYaml(body)) as CfnTemplate;
}

export interface TemplateDiff {
  /** Logical IDs in the synthesized template only (a deploy would create them). */
  readonly added: string[];
  /** Logical IDs in the deployed template only (a deploy would delete them). */
  readonly removed: string[];
  /** Logical IDs in both whose type, properties or policies differ (code changes show here too, as a new asset key). */
  readonly changed: string[];
}

/** The resources that differ between the deployed and the synthesized template (metadata ignored). */
export function diffTemplates(deployed: CfnTemplate, synthesized: CfnTemplate): TemplateDiff {
  const before = deployed.Resources ?? {};
  const after = synthesized.Resources ?? {};
  const comparable = (r: CfnResource) => ({
    Type: r.Type, Properties: r.Properties, DependsOn: r.DependsOn, Condition: r.Condition,
    DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy,
  });
  const sorted = (ids: string[]) => ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    added: sorted(Object.keys(after).filter((id) => !Object.hasOwn(before, id))),
    removed: sorted(Object.keys(before).filter((id) => !Object.hasOwn(after, id))),
    changed: sorted(Object.entries(after).filter(([id, resource]) => {
      const deployedResource = Object.hasOwn(before, id) ? before[id] : undefined;
      return deployedResource !== undefined && !isDeepStrictEqual(comparable(deployedResource), comparable(resource));
    }).map(([id]) => id)),
  };
}
