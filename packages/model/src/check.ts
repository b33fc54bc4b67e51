/**
 * The entry points of packages/model: check spec text or files, and load the models of valid specs.
 * This is the only code in the project that reads spec files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SPEC_FILE_EXTENSIONS } from './constants.js';
import { SPEC_DIR } from './layout.js';
import { SpecReadError, SpecValidationError } from './errors.js';
import type { Finding } from './findings.js';
import { hasErrors, sortFindings } from './findings.js';
import type { ServiceModel } from './model.js';
import { resolveSpec } from './resolve.js';
import { ALL_RULES, RuleContext } from './rules/index.js';
import { schemaFindings } from './schema-issues.js';
import { ServiceSpecSchema } from './schema.js';
import { YamlSource } from './yaml-source.js';

export interface SpecResult {
  /** As given, relative to the project root. */
  readonly file: string;
  /** Sorted by position. */
  readonly findings: readonly Finding[];
  /** Present when there is no error finding. */
  readonly model?: ServiceModel;
}

/** Checks one spec. Never throws for anything in `text`: every problem is a finding. */
export function checkSpecText(text: string, file: string): SpecResult {
  return checkSource(new YamlSource(text), file);
}

function checkSource(source: YamlSource, file: string): SpecResult {
  const at = (line: number, column: number, rule: Finding['rule'], message: string, fix: string): Finding =>
    ({ file, line, column, severity: 'error', rule, message, fix });

  if (source.problems.length > 0) {
    return {
      file,
      findings: sortFindings(source.problems.map((p) => p.code === 'DUPLICATE_KEY'
        ? at(p.position.line, p.position.column, 'SPEC-DUPLICATE-ID', `\`${duplicateKey(p.excerpt)}\` appears twice in the same map; YAML would keep only one of them.`, 'Remove one, or rename it if both are meant (IDs are unique in a spec).')
        : at(p.position.line, p.position.column, 'SPEC-YAML', `The YAML is malformed: ${p.message}.`, 'Correct the YAML at this position (check indentation, colons and quotes).'))),
    };
  }
  const data = source.data;
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    const { line, column } = source.positionOf([], 'value');
    const what = data === null || data === undefined ? 'is empty' : `holds ${Array.isArray(data) ? 'a list' : 'a single value'}`;
    return { file, findings: [at(line, column, 'SPEC-YAML', `The spec ${what}; it must be a map starting with \`service:\`.`, 'Start from a copy of specs/orders.yaml; docs/spec.md describes every key.')] };
  }
  const parsed = ServiceSpecSchema.safeParse(data);
  if (!parsed.success) {
    return { file, findings: sortFindings(schemaFindings(parsed.error.issues, ServiceSpecSchema, source, file)) };
  }
  const spec = parsed.data;
  const model = resolveSpec(spec, file);
  const ctx = new RuleContext(file, source, spec, model);
  for (const rule of ALL_RULES) rule(ctx);
  const stem = path.basename(file).replace(/\.[^.]+$/, '');
  if (stem !== spec.service) {
    ctx.report({
      rule: 'SPEC-SERVICE-FILENAME', path: ['service'], target: 'value',
      message: `The spec of service \`${spec.service}\` is in \`${path.basename(file)}\`; generated files and fixtures are found by service name.`,
      fix: `Rename the file to \`${spec.service}.yaml\`, or the service to \`${stem}\`.`,
    });
  }
  const findings = sortFindings(ctx.findings);
  return hasErrors(findings) ? { file, findings } : { file, findings, model };
}

/** The spec files of a project: `specs/*.yaml` and `specs/*.yml`, sorted. */
export async function listSpecFiles(root: string = process.cwd()): Promise<string[]> {
  const dir = path.join(root, SPEC_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SpecReadError(dir, { cause });
  }
  return names
    .filter((n) => (SPEC_FILE_EXTENSIONS as readonly string[]).includes(path.extname(n)))
    .sort()
    .map((n) => toDisplayPath(path.join(dir, n), root));
}

/**
 * Checks spec files (default: every spec of the project), each on its own and together (service
 * names unique across specs). Paths in findings are relative to `root`.
 */
export async function checkSpecFiles(files?: readonly string[], root: string = process.cwd()): Promise<SpecResult[]> {
  const list = files ?? (await listSpecFiles(root));
  const results = await Promise.all(list.map(async (f) => {
    const display = toDisplayPath(path.resolve(root, f), root);
    let text: string;
    try {
      text = await readFile(path.resolve(root, f), 'utf8');
    } catch (cause) {
      throw new SpecReadError(display, { cause });
    }
    const source = new YamlSource(text);
    return { result: checkSource(source, display), source };
  }));
  return withUniqueServices(results);
}

/** Adds SPEC-SERVICE-DUPLICATE to every spec but the first that declares a service name. */
function withUniqueServices(checked: { result: SpecResult; source: YamlSource }[]): SpecResult[] {
  const owner = new Map<string, string>();
  return checked.map(({ result: r, source }) => {
    if (!r.model) return r;
    const first = owner.get(r.model.service);
    if (first === undefined) {
      owner.set(r.model.service, r.file);
      return r;
    }
    const dup: Finding = {
      file: r.file, ...source.positionOf(['service'], 'value'), severity: 'error', rule: 'SPEC-SERVICE-DUPLICATE',
      message: `Service \`${r.model.service}\` is also declared by ${first}; service names name stacks and generated folders.`,
      fix: 'Give this service another name (and its file the same name).',
    };
    return { file: r.file, findings: sortFindings([...r.findings, dup]) };
  });
}

/** The text of a spec file as written (the MCP server shows it as the resource `spec://<service>`). */
export async function readSpecText(file: string, root: string = process.cwd()): Promise<string> {
  try {
    return await readFile(path.resolve(root, file), 'utf8');
  } catch (cause) {
    throw new SpecReadError(toDisplayPath(path.resolve(root, file), root), { cause });
  }
}

/**
 * Loads the models of the project's specs (or of `files`), for the generator, the CDK app, the
 * local cloud and the MCP server. Throws SpecValidationError listing every error if any spec has one.
 */
export async function loadServiceModels(root: string = process.cwd(), files?: readonly string[]): Promise<ServiceModel[]> {
  const results = await checkSpecFiles(files, root);
  const findings = results.flatMap((r) => r.findings);
  if (hasErrors(findings)) throw new SpecValidationError(findings);
  return results.map((r) => r.model).filter((m): m is ServiceModel => m !== undefined);
}

/** `  orders: {}` -> `orders` (the key at the start of a duplicate-key problem). */
function duplicateKey(excerpt: string): string {
  return excerpt.replace(/\s*:.*$/, '').replace(/^["']|["']$/g, '').trim() || 'A key';
}

function toDisplayPath(absolute: string, root: string): string {
  const rel = path.relative(root, absolute);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? absolute : rel).split(path.sep).join('/');
}
