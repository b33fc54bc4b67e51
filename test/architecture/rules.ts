/**
 * The layout's rules (issue 14): dependencies run one way (the model at the bottom, the service on
 * top, nothing in packages/ imports the service), packages are reached by name, not by a relative
 * path into their folder, the package graph has no cycle, every import is declared in the importing
 * package's package.json, one version of each npm package, and tsconfig references that match the
 * package.json. Each check takes a Workspace and returns its violations, each naming file,
 * line:column, rule ID, problem and fix.
 */
import * as path from 'node:path';
import { findCycles } from './cycles.js';
import { importsOf } from './imports.js';
import { resolveReference, targetPackage, typesPackageOf } from './resolve.js';
import type { Target } from './resolve.js';
import { ArchitectureRule, DEPENDENCY_FIELDS } from './types.js';
import type { DependencyField, ModuleReference, SourceFile, Violation, Workspace, WorkspacePackage } from './types.js';

/** The model's folder: it imports no other package. */
export const MODEL_DIR = 'packages/model';
/**
 * What the model's tests may import of the kit: their fixtures (kit tests never read the service's
 * files). @kiro-serverless/fixtures imports no kit package itself, which the cycle check holds.
 */
export const MODEL_TEST_IMPORTS: readonly string[] = ['@kiro-serverless/fixtures'];

/** Which dependency lists a file of each role may take its imports from. */
const ALLOWED_FIELDS: Readonly<Record<SourceFile['role'], readonly DependencyField[]>> = {
  src: ['dependencies', 'peerDependencies', 'optionalDependencies'],
  test: ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'],
};

interface Resolved {
  readonly file: SourceFile;
  readonly reference: ModuleReference;
  readonly target: Target;
}

const parsed = new WeakMap<Workspace, Resolved[]>();

/** Every module reference of every scanned file, resolved (parsed once per workspace). */
export function referencesOf(workspace: Workspace): readonly Resolved[] {
  let found = parsed.get(workspace);
  if (!found) {
    found = workspace.files.flatMap((file) => importsOf(file.path, file.text).map((reference) => ({ file, reference, target: resolveReference(workspace, file, reference) })));
    parsed.set(workspace, found);
  }
  return found;
}

function packageOf(workspace: Workspace, dir: string): WorkspacePackage | undefined {
  return workspace.packages.find((p) => p.dir === dir);
}

/** How a message names a package: its package.json name, or its folder. */
function shown(workspace: Workspace, dir: string): string {
  return dir === '' ? `the service (${packageOf(workspace, '')?.name ?? 'root'})` : (packageOf(workspace, dir)?.name ?? dir);
}

function at(resolved: Resolved): Pick<Violation, 'file' | 'line' | 'column'> {
  return { file: resolved.file.path, line: resolved.reference.line, column: resolved.reference.column };
}

/** The 1-based line of `"key"` in a JSON text, after the line of `"after"` when given; 1 when absent. */
function lineOfKey(text: string, key: string, after?: string): number {
  const lines = text.split('\n');
  const from = after === undefined ? 0 : Math.max(0, lines.findIndex((l) => l.includes(`"${after}"`)));
  const found = lines.findIndex((l, i) => i >= from && l.includes(`"${key}"`));
  return found < 0 ? 1 : found + 1;
}

/** ARCH-KIT-IMPORTS-SERVICE: nothing in packages/ imports the service's files (or anything outside the repository). */
export function checkKitImportsService(workspace: Workspace): Violation[] {
  const root = packageOf(workspace, '');
  return referencesOf(workspace).flatMap((resolved): Violation[] => {
    const { file, reference, target } = resolved;
    if (file.packageDir === '') return [];
    const intoService = (target.kind === 'file' && target.packageDir !== undefined && target.packageDir === '')
      || (target.kind === 'package' && root !== undefined && target.name === root.name);
    const outside = target.kind === 'file' && target.packageDir === undefined;
    if (!intoService && !outside) return [];
    const what = outside ? 'a file outside the repository' : `the service's ${target.kind === 'file' ? target.path : 'package'}`;
    return [{
      rule: ArchitectureRule.KitImportsService,
      ...at(resolved),
      problem: `${shown(workspace, file.packageDir)} imports '${reference.specifier}' (${what}). The kit never depends on the user's files: they edit and delete them.`,
      fix: 'Move what the kit needs into a kit package (paths into @kiro-serverless/model/layout), or take it as a parameter; a kit test uses @kiro-serverless/fixtures.',
    }];
  });
}

/** ARCH-MODEL-IMPORTS-KIT: the model imports no other @kiro-serverless package (its tests: only their fixtures). */
export function checkModelImportsKit(workspace: Workspace): Violation[] {
  return referencesOf(workspace).flatMap((resolved): Violation[] => {
    const { file, reference, target } = resolved;
    if (file.packageDir !== MODEL_DIR) return [];
    const landed = targetPackage(workspace, target);
    if (!landed || landed.dir === MODEL_DIR || landed.dir === '') return [];
    if (file.role === 'test' && MODEL_TEST_IMPORTS.includes(landed.name)) return [];
    return [{
      rule: ArchitectureRule.ModelImportsKit,
      ...at(resolved),
      problem: `the model imports '${reference.specifier}' (${landed.name}). The model is the bottom of the graph: every package imports it and it imports none${file.role === 'test' ? `; its tests import only ${MODEL_TEST_IMPORTS.join(', ')}` : ''}.`,
      fix: `Move what the model needs from ${landed.name} into packages/model, or move this code into the package that uses it.`,
    }];
  });
}

/** ARCH-RELATIVE-CROSSES-PACKAGE: a package's files are reached by its name, never by a relative path into its folder. */
export function checkRelativeCrossesPackage(workspace: Workspace): Violation[] {
  return referencesOf(workspace).flatMap((resolved): Violation[] => {
    const { file, reference, target } = resolved;
    if (target.kind !== 'file' || target.packageDir === undefined || target.packageDir === '' || target.packageDir === file.packageDir) return [];
    const landed = packageOf(workspace, target.packageDir);
    const module = target.path.slice(target.packageDir.length + 1).replace(/^src\//, '').replace(/\.[cm]?[jt]sx?$/, '');
    const byName = landed ? `'${landed.name}/${module}'` : `the package's name`;
    return [{
      rule: ArchitectureRule.RelativeCrossesPackage,
      ...at(resolved),
      problem: `'${reference.specifier}' reaches into the folder of ${landed?.name ?? target.packageDir} from ${shown(workspace, file.packageDir)}, past its package.json: the dependency is invisible to npm, tsc -b and these checks.`,
      fix: `Import it by name, ${byName}, and declare ${landed?.name ?? 'it'} in ${packageOf(workspace, file.packageDir)?.manifestFile.path ?? 'package.json'} (and in its tsconfig.json references).`,
    }];
  });
}

/** The package graph: an edge from each package to every other workspace package one of its src/ or test/ files imports. */
export function packageGraph(workspace: Workspace): { readonly edges: Map<string, Set<string>>; readonly witness: Map<string, Resolved> } {
  const edges = new Map<string, Set<string>>();
  const witness = new Map<string, Resolved>();
  for (const resolved of referencesOf(workspace)) {
    const landed = targetPackage(workspace, resolved.target);
    const from = shown(workspace, resolved.file.packageDir);
    if (!landed || landed.dir === resolved.file.packageDir) continue;
    const to = shown(workspace, landed.dir);
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
    if (!witness.has(`${from}\0${to}`)) witness.set(`${from}\0${to}`, resolved);
  }
  return { edges, witness };
}

/** ARCH-PACKAGE-CYCLE: no cycle in the package graph (a test's imports count: a cycle through a test still ties the two packages). */
export function checkPackageCycles(workspace: Workspace): Violation[] {
  const { edges, witness } = packageGraph(workspace);
  return findCycles(edges).map((cycle) => {
    const steps = cycle.map((from, i) => {
      const to = cycle[(i + 1) % cycle.length]!;
      const w = witness.get(`${from}\0${to}`)!;
      return { from, to, w };
    });
    const first = steps[0]!.w;
    return {
      rule: ArchitectureRule.PackageCycle,
      ...at(first),
      problem: `the packages import each other in a cycle: ${[...cycle, cycle[0]].join(' -> ')} (${steps.map((s) => `${s.w.file.path}:${s.w.reference.line} imports '${s.w.reference.specifier}'`).join('; ')}).`,
      fix: 'Break the cycle: move what both sides need into the package below them (the model is the bottom), or turn one of these imports around.',
    };
  });
}

/** The version a missing declaration should take: the root's, else any package.json's, else '*' for a workspace package. */
function versionFor(workspace: Workspace, name: string): string | undefined {
  if (workspace.packages.some((p) => p.name === name)) return '*';
  for (const pkg of workspace.packages) {
    for (const field of DEPENDENCY_FIELDS) {
      const version = pkg.manifest[field]?.[name];
      if (version !== undefined) return version;
    }
  }
  return undefined;
}

/**
 * ARCH-UNDECLARED-DEPENDENCY: every import of a package (kit or npm) is declared by the importing
 * package: src/ code in dependencies or peerDependencies, test/ code also in devDependencies. A
 * type-only import may be declared through its @types package (`aws-lambda` -> `@types/aws-lambda`).
 */
export function checkUndeclaredDependencies(workspace: Workspace): Violation[] {
  return referencesOf(workspace).flatMap((resolved): Violation[] => {
    const { file, reference, target } = resolved;
    if (target.kind !== 'package') return [];
    const pkg = packageOf(workspace, file.packageDir);
    if (!pkg || target.name === pkg.name) return [];
    const names = reference.typeOnly ? [target.name, typesPackageOf(target.name)] : [target.name];
    const allowed = ALLOWED_FIELDS[file.role];
    if (allowed.some((field) => names.some((name) => pkg.manifest[field]?.[name] !== undefined))) return [];
    const declaredIn = DEPENDENCY_FIELDS.filter((field) => names.some((name) => pkg.manifest[field]?.[name] !== undefined));
    // A type-only import of a package known only by its @types package (aws-lambda) is declared by that.
    const onlyTypes = reference.typeOnly && versionFor(workspace, target.name) === undefined && versionFor(workspace, typesPackageOf(target.name)) !== undefined;
    const declaredName = onlyTypes ? typesPackageOf(target.name) : target.name;
    const version = versionFor(workspace, declaredName);
    const field = file.role === 'src' ? 'dependencies' : 'devDependencies';
    const where = file.role === 'src' ? 'src/ code takes dependencies or peerDependencies' : 'test code takes dependencies, peerDependencies or devDependencies';
    return [{
      rule: ArchitectureRule.UndeclaredDependency,
      ...at(resolved),
      problem: `imports '${reference.specifier}', but ${pkg.manifestFile.path} does not declare ${target.name}${reference.typeOnly ? ` (or ${typesPackageOf(target.name)})` : ''}${declaredIn.length > 0 ? ` where ${where} (it is in ${declaredIn.join(', ')})` : ''}. If it resolves, it is only because npm installs every package at the root.`,
      fix: `Add "${declaredName}": "${version ?? '<exact version>'}" to ${field} of ${pkg.manifestFile.path}${target.workspace ? ' and a reference to its folder in tsconfig.json' : ''}, then run \`npm install\`.`,
    }];
  });
}

/** ARCH-VERSION-MISMATCH: one version of each package across every package.json (the root's wins, else the most used). */
export function checkVersionMismatch(workspace: Workspace): Violation[] {
  const uses = new Map<string, { pkg: WorkspacePackage; field: DependencyField; version: string }[]>();
  for (const pkg of workspace.packages) {
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, version] of Object.entries(pkg.manifest[field] ?? {})) {
        if (!uses.has(name)) uses.set(name, []);
        uses.get(name)!.push({ pkg, field, version });
      }
    }
  }
  const violations: Violation[] = [];
  for (const [name, list] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
    const versions = [...new Set(list.map((u) => u.version))];
    if (versions.length < 2) continue;
    const count = (v: string): number => list.filter((u) => u.version === v).length;
    const chosen = list.find((u) => u.pkg.dir === '')?.version ?? [...versions].sort((a, b) => count(b) - count(a))[0]!;
    const others = list.filter((u) => u.version === chosen).map((u) => u.pkg.manifestFile.path);
    for (const use of list.filter((u) => u.version !== chosen)) {
      violations.push({
        rule: ArchitectureRule.VersionMismatch,
        file: use.pkg.manifestFile.path,
        line: lineOfKey(use.pkg.manifestFile.text, name, use.field),
        problem: `${use.field} asks for ${name} ${use.version}, but ${others.join(', ')} ask${others.length === 1 ? 's' : ''} for ${chosen}: two copies get installed, and code that passes objects between them breaks.`,
        fix: `Use one version: set "${name}": "${chosen}" here (or move every package.json to the new one together), then run \`npm install\`.`,
      });
    }
  }
  return violations;
}

/** ARCH-TSCONFIG-REFERENCES: a tsconfig.json references exactly the workspace packages its package.json declares (every kind). */
export function checkTsconfigReferences(workspace: Workspace): Violation[] {
  const violations: Violation[] = [];
  for (const pkg of workspace.packages) {
    const tsconfig = pkg.tsconfigFile;
    if (!tsconfig) continue;
    const declared = new Set(DEPENDENCY_FIELDS.flatMap((field) => Object.keys(pkg.manifest[field] ?? {}))
      .filter((name) => name !== pkg.name && workspace.packages.some((p) => p.name === name)));
    const referenced = new Map((pkg.references ?? []).map((dir) => [dir, packageOf(workspace, dir)]));
    const line = lineOfKey(tsconfig.text, 'references');
    const relative = (dir: string): string => path.posix.relative(pkg.dir || '.', dir) || '.';
    for (const [dir, target] of referenced) {
      if (target && declared.has(target.name)) continue;
      violations.push({
        rule: ArchitectureRule.TsconfigReferences,
        file: tsconfig.path,
        line: lineOfValue(tsconfig.text, relative(dir), line),
        problem: target
          ? `references ${relative(dir)} (${target.name}), which ${pkg.manifestFile.path} does not declare.`
          : `references ${relative(dir)}, which is not a package of the workspace.`,
        fix: target
          ? `Declare ${target.name} in ${pkg.manifestFile.path} (where the code that imports it needs it), or remove the reference.`
          : 'Remove the reference, or point it at a package folder.',
      });
    }
    const referencedNames = new Set([...referenced.values()].flatMap((p) => (p ? [p.name] : [])));
    for (const name of [...declared].sort()) {
      if (referencedNames.has(name)) continue;
      const target = workspace.packages.find((p) => p.name === name)!;
      violations.push({
        rule: ArchitectureRule.TsconfigReferences,
        file: tsconfig.path,
        line,
        problem: `${pkg.manifestFile.path} declares ${name}, but tsconfig.json does not reference ${relative(target.dir)}: \`tsc -b\` may check this package before the one it imports.`,
        fix: `Add { "path": "${relative(target.dir)}" } to references in ${tsconfig.path}, or remove the declaration if nothing imports ${name}.`,
      });
    }
  }
  return violations;
}

/** The 1-based line of a JSON string value `"value"` at or after line `from`; `from` when absent. */
function lineOfValue(text: string, value: string, from: number): number {
  const lines = text.split('\n');
  const found = lines.findIndex((l, i) => i >= from - 1 && l.includes(`"${value}"`));
  return found < 0 ? from : found + 1;
}

/** Every rule's check, by rule ID (the compiler holds that none is missing). */
export const CHECKS: Readonly<Record<ArchitectureRule, (workspace: Workspace) => Violation[]>> = {
  [ArchitectureRule.KitImportsService]: checkKitImportsService,
  [ArchitectureRule.ModelImportsKit]: checkModelImportsKit,
  [ArchitectureRule.RelativeCrossesPackage]: checkRelativeCrossesPackage,
  [ArchitectureRule.PackageCycle]: checkPackageCycles,
  [ArchitectureRule.UndeclaredDependency]: checkUndeclaredDependencies,
  [ArchitectureRule.VersionMismatch]: checkVersionMismatch,
  [ArchitectureRule.TsconfigReferences]: checkTsconfigReferences,
};

/** Every violation of every rule. */
export function checkArchitecture(workspace: Workspace): Violation[] {
  return Object.values(CHECKS).flatMap((check) => check(workspace));
}

/** `file:line:column RULE-ID problem Fix: fix`, one line per violation. */
export function formatViolation(violation: Violation): string {
  const where = violation.line === undefined ? violation.file : `${violation.file}:${violation.line}${violation.column === undefined ? '' : `:${violation.column}`}`;
  return `${where} ${violation.rule} ${violation.problem} Fix: ${violation.fix}`;
}
