/**
 * The layout of issue 14 is enforced: dependencies run one way (model <- every package <- the
 * service; nothing in packages/ imports the service's files), packages are reached by name, the
 * package graph has no cycle, every import is declared by the importing package, each npm package
 * has one version, tsconfig references match the package.json, and the generated folders are marked
 * for GitHub. The checks live in test/architecture/; each is run here on the repository and, to show
 * it can fail, on a small workspace written in memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNED_DIRS } from '@kiro-serverless/model/layout';
import { findCycles } from './architecture/cycles.js';
import { isMarkedGenerated, unmarkedDirs } from './architecture/gitattributes.js';
import { importsOf } from './architecture/imports.js';
import {
  CHECKS, checkArchitecture, checkKitImportsService, checkModelImportsKit, checkPackageCycles, checkRelativeCrossesPackage,
  checkTsconfigReferences, checkUndeclaredDependencies, checkVersionMismatch, formatViolation, referencesOf,
} from './architecture/rules.js';
import { ArchitectureRule } from './architecture/types.js';
import type { Workspace } from './architecture/types.js';
import { locate, readWorkspace, workspaceFromFiles } from './architecture/workspace.js';

const ROOT = path.resolve(import.meta.dirname, '..');

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const tsconfig = (...references: string[]): string => json({ extends: '../../tsconfig.base.json', references: references.map((p) => ({ path: p })) });

/** A small workspace that breaks no rule: the service, a model, a generator and the fixtures. */
const BASE: Readonly<Record<string, string>> = {
  'package.json': json({
    name: 'service',
    workspaces: ['packages/*'],
    dependencies: { '@kiro-serverless/model': '*', '@types/aws-lambda': '8.10.0', zod: '4.0.0' },
    devDependencies: { '@kiro-serverless/generate': '*', vitest: '4.0.0' },
  }),
  'tsconfig.json': json({ references: [{ path: 'packages/generate' }, { path: 'packages/model' }] }),
  'packages/model/package.json': json({
    name: '@kiro-serverless/model',
    dependencies: { zod: '4.0.0' },
    devDependencies: { '@kiro-serverless/fixtures': '*', vitest: '4.0.0' },
  }),
  'packages/model/tsconfig.json': tsconfig('../fixtures'),
  'packages/model/src/model.ts': "import * as z from 'zod';\nimport path from 'node:path';\nimport { readFileSync } from 'fs';\nexport const x = 1;\n",
  'packages/model/test/model.test.ts': "import { it } from 'vitest';\nimport { ORDERS } from '@kiro-serverless/fixtures';\nimport { x } from '../src/model.js';\n",
  'packages/fixtures/package.json': json({ name: '@kiro-serverless/fixtures' }),
  'packages/fixtures/tsconfig.json': json({ extends: '../../tsconfig.base.json' }),
  'packages/fixtures/src/index.ts': "export const ORDERS = 'orders';\n",
  'packages/generate/package.json': json({
    name: '@kiro-serverless/generate',
    dependencies: { '@kiro-serverless/model': '*' },
    devDependencies: { '@kiro-serverless/fixtures': '*', vitest: '4.0.0' },
  }),
  'packages/generate/tsconfig.json': tsconfig('../fixtures', '../model'),
  // The generator renders code: the imports inside its template are text, not imports of the kit.
  'packages/generate/src/generate.ts': [
    "import { x } from '@kiro-serverless/model/model';",
    "import { entry as self } from '@kiro-serverless/generate/entry';",
    "export const entry = `import { handler } from '../../../src/handlers/a.js';\\nimport { run } from 'undeclared';`;",
  ].join('\n'),
  'packages/generate/test/generate.test.ts': "import { it } from 'vitest';\nimport { ORDERS } from '@kiro-serverless/fixtures';\nimport { entry } from '../src/generate.js';\n",
  'src/handlers/a.ts': "import type { SQSEvent } from 'aws-lambda';\nimport { x } from '@kiro-serverless/model/model';\n",
  'infra/app.ts': "import { x } from '@kiro-serverless/model/model';\n",
  'specs/orders.scenario.ts': "import { entry } from '@kiro-serverless/generate/generate';\n",
  'test/a.test.ts': "import { it } from 'vitest';\nimport { entry } from '@kiro-serverless/generate/generate';\n",
  // Not scanned: the lint rules' fixtures and a fixture project (a copy of a user's project).
  'packages/eslint-plugin/test/fixtures/file.ts': "import 'anything';\n",
  'packages/fixtures/projects/orders/src/handlers/a.ts': "import { config } from '@kiro-serverless/runtime/config';\n",
};

/** BASE with some files replaced (a string), added, or removed (undefined). */
function workspaceWith(changes: Readonly<Record<string, string | undefined>>): Workspace {
  const merged = Object.entries({ ...BASE, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return workspaceFromFiles(Object.fromEntries(merged));
}

describe('the repository follows the layout', () => {
  const workspace = readWorkspace(ROOT);

  it('reads the root and every kit package, and the files of their src/ and test/ (and the service\'s infra/ and specs/)', () => {
    const dirs = fs.readdirSync(path.join(ROOT, 'packages')).filter((d) => fs.existsSync(path.join(ROOT, 'packages', d, 'package.json')));
    expect(workspace.packages.map((p) => p.dir)).toEqual(['', ...dirs.sort().map((d) => `packages/${d}`)]);
    expect(workspace.packages.every((p) => p.tsconfigFile !== undefined)).toBe(true);
    const files = workspace.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['packages/model/src/layout.ts', 'packages/generate/src/generate.ts', 'infra/app.ts', 'test/architecture.test.ts']));
    expect(files.filter((f) => f.startsWith('packages/eslint-plugin/test/fixtures/') || f.startsWith('packages/fixtures/projects/'))).toEqual([]);
    expect(referencesOf(workspace).length).toBeGreaterThan(workspace.files.length);
  });

  it.each(Object.keys(CHECKS) as ArchitectureRule[])('%s: no violation', (rule) => {
    expect(CHECKS[rule](workspace).map(formatViolation)).toEqual([]);
  });
});

describe('importsOf', () => {
  it('finds every kind of module reference, at its line and column, and which are type-only', () => {
    // Arrange
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "export { c } from './c.js';",
      "export type { D } from 'd';",
      "import e = require('e');",
      "const f = await import('f');",
      "const g = require('g');",
      "let h: typeof import('h');",
      "vi.mock('i');",
      "const j = require.resolve('j');",
      "const k = import.meta.resolve('k');",
      "import { type L } from 'l';",
    ].join('\n');
    // Act
    const found = importsOf('/x/file.ts', text);
    // Assert
    expect(found.map((r) => [r.specifier, r.kind, r.typeOnly, r.line])).toEqual([
      ['a', 'import', false, 1], ['b', 'import', true, 2], ['./c.js', 'export', false, 3], ['d', 'export', true, 4],
      ['e', 'import-equals', false, 5], ['f', 'dynamic-import', false, 6], ['g', 'require', false, 7], ['h', 'import-type', true, 8],
      ['i', 'vi-mock', false, 9], ['j', 'resolve', false, 10], ['k', 'resolve', false, 11], ['l', 'import', false, 12],
    ]);
    expect(found[0]).toMatchObject({ line: 1, column: 15 });
  });

  it('ignores import-looking text in strings, template strings and comments', () => {
    const text = [
      "const code = `import { handler } from '../handlers/a.js';\\nexport * from 'b';`;",
      "const one = \"import x from 'c'\";",
      "// import d from 'd';",
      "/* const e = require('e'); */",
      'const f = `${await import(`./computed-${name}.js`)}`;',
    ].join('\n');
    expect(importsOf('/x/file.ts', text)).toEqual([]);
  });

  it('reads JavaScript too', () => {
    expect(importsOf('/x/file.mjs', "import x from 'x';\nconst y = require('y');").map((r) => r.specifier)).toEqual(['x', 'y']);
  });
});

describe('the workspace scan', () => {
  it.each([
    ['packages/model/src/model.ts', { packageDir: 'packages/model', role: 'src' }],
    ['packages/model/test/a/b.test.ts', { packageDir: 'packages/model', role: 'test' }],
    ['src/handlers/orders/a.ts', { packageDir: '', role: 'src' }],
    ['infra/app.ts', { packageDir: '', role: 'src' }],
    ['specs/orders.scenario.ts', { packageDir: '', role: 'test' }],
    ['test/handlers/a.test.ts', { packageDir: '', role: 'test' }],
    ['packages/model/README.ts', undefined],
    ['packages/model/src/data.json', undefined],
    ['packages/eslint-plugin/test/fixtures/file.ts', undefined],
    ['packages/fixtures/projects/orders/src/handlers/a.ts', undefined],
    ['docs/example.ts', undefined],
    ['vitest.config.ts', undefined],
  ])('places %s', (file, expected) => {
    expect(locate(file)).toEqual(expected);
  });

  it('finds no violation in a workspace that keeps every rule', () => {
    expect(checkArchitecture(workspaceFromFiles(BASE)).map(formatViolation)).toEqual([]);
  });
});

describe('each rule fails when it is broken', () => {
  it(`${ArchitectureRule.KitImportsService}: a kit file that imports the service's handler, or its package`, () => {
    const workspace = workspaceWith({
      'packages/generate/src/bad.ts': "import { handler } from '../../../src/handlers/a.js';\n",
      'packages/generate/test/bad.test.ts': "import app from 'service/infra/app';\n",
    });
    expect(checkKitImportsService(workspace)).toEqual([
      expect.objectContaining({ file: 'packages/generate/src/bad.ts', line: 1, column: 25, problem: expect.stringContaining("imports '../../../src/handlers/a.js' (the service's src/handlers/a.js)") }),
      expect.objectContaining({ file: 'packages/generate/test/bad.test.ts', line: 1, column: 17, problem: expect.stringContaining("the service's package") }),
    ]);
    expect(formatViolation(checkKitImportsService(workspace)[0]!)).toBe(
      "packages/generate/src/bad.ts:1:25 ARCH-KIT-IMPORTS-SERVICE @kiro-serverless/generate imports '../../../src/handlers/a.js' (the service's src/handlers/a.js). "
      + "The kit never depends on the user's files: they edit and delete them. Fix: Move what the kit needs into a kit package (paths into @kiro-serverless/model/layout), "
      + 'or take it as a parameter; a kit test uses @kiro-serverless/fixtures.',
    );
  });

  it(`${ArchitectureRule.ModelImportsKit}: a model that imports the generator (its tests: anything but their fixtures)`, () => {
    const workspace = workspaceWith({
      'packages/model/src/bad.ts': "import type { Entry } from '@kiro-serverless/generate/entry';\n",
      'packages/model/test/bad.test.ts': "import { entry } from '@kiro-serverless/generate/generate';\nimport { ORDERS } from '@kiro-serverless/fixtures';\n",
    });
    expect(checkModelImportsKit(workspace).map((v) => `${v.file}:${v.line}:${v.column} ${v.rule}`)).toEqual([
      'packages/model/src/bad.ts:1:28 ARCH-MODEL-IMPORTS-KIT',
      'packages/model/test/bad.test.ts:1:23 ARCH-MODEL-IMPORTS-KIT',
    ]);
    expect(checkModelImportsKit(workspace)[0]!.problem).toContain("the model imports '@kiro-serverless/generate/entry' (@kiro-serverless/generate)");
  });

  it(`${ArchitectureRule.RelativeCrossesPackage}: a relative import into another package's folder, from the kit or from the service`, () => {
    const workspace = workspaceWith({
      'packages/generate/src/bad.ts': "import { x } from '../../model/src/model.js';\n",
      'test/bad.test.ts': "import { entry } from '../packages/generate/src/generate.js';\n",
    });
    expect(checkRelativeCrossesPackage(workspace)).toEqual([
      expect.objectContaining({ file: 'packages/generate/src/bad.ts', line: 1, column: 19, fix: expect.stringContaining("Import it by name, '@kiro-serverless/model/model'") }),
      expect.objectContaining({ file: 'test/bad.test.ts', line: 1, column: 23, fix: expect.stringContaining("'@kiro-serverless/generate/generate', and declare @kiro-serverless/generate in package.json") }),
    ]);
  });

  it(`${ArchitectureRule.PackageCycle}: a model that imports the generator, which imports the model; printed with each edge's import`, () => {
    const workspace = workspaceWith({ 'packages/model/src/bad.ts': "\nimport { entry } from '@kiro-serverless/generate/generate';\n" });
    const [violation, ...rest] = checkPackageCycles(workspace);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ rule: ArchitectureRule.PackageCycle, file: 'packages/generate/src/generate.ts', line: 1, column: 19 });
    expect(violation!.problem).toBe(
      'the packages import each other in a cycle: @kiro-serverless/generate -> @kiro-serverless/model -> @kiro-serverless/generate '
      + "(packages/generate/src/generate.ts:1 imports '@kiro-serverless/model/model'; packages/model/src/bad.ts:2 imports '@kiro-serverless/generate/generate').",
    );
  });

  it(`${ArchitectureRule.PackageCycle}: a cycle through a test import counts too`, () => {
    const workspace = workspaceWith({ 'packages/fixtures/src/bad.ts': "import { x } from '@kiro-serverless/model/model';\n" });
    expect(checkPackageCycles(workspace).map((v) => v.problem)).toEqual([expect.stringContaining('@kiro-serverless/fixtures -> @kiro-serverless/model -> @kiro-serverless/fixtures')]);
  });

  it.each([
    ['an npm package in no list', 'packages/generate/src/bad.ts', "import { parse } from 'yaml';", 'yaml', 'does not declare yaml. '],
    ['a devDependency in src/', 'packages/generate/src/bad.ts', "import { it } from 'vitest';", 'vitest', '(it is in devDependencies)'],
    ['a kit package in no list', 'packages/fixtures/src/bad.ts', "import { x } from '@kiro-serverless/model/model';", '@kiro-serverless/model', 'does not declare @kiro-serverless/model. '],
    ['a devDependency in the service\'s src/', 'src/handlers/bad.ts', "export { entry } from '@kiro-serverless/generate/generate';", '@kiro-serverless/generate', '(it is in devDependencies)'],
    ['a type-only import of aws-lambda without @types/aws-lambda', 'packages/model/src/bad.ts', "import type { Context } from 'aws-lambda';", '@types/aws-lambda', 'does not declare aws-lambda (or @types/aws-lambda)'],
    ['a value import of aws-lambda, which @types/aws-lambda does not declare', 'src/handlers/bad.ts', "import { Context } from 'aws-lambda';", 'aws-lambda', 'does not declare aws-lambda. '],
  ])(`${ArchitectureRule.UndeclaredDependency}: %s`, (_title, file, text, name, problem) => {
    const violations = checkUndeclaredDependencies(workspaceWith({ [file]: text }));
    expect(violations).toEqual([expect.objectContaining({ rule: ArchitectureRule.UndeclaredDependency, file, line: 1, problem: expect.stringContaining(problem) })]);
    expect(violations[0]!.fix).toContain(`"${name}"`);
  });

  it(`${ArchitectureRule.UndeclaredDependency}: the fix names the list and the root's version (or @types for a type-only import)`, () => {
    const violations = checkUndeclaredDependencies(workspaceWith({
      'packages/generate/src/bad.ts': "import * as z from 'zod';\n",
      'packages/generate/test/bad.test.ts': "import type { SQSEvent } from 'aws-lambda';\n",
    }));
    expect(violations.map((v) => v.fix)).toEqual([
      'Add "zod": "4.0.0" to dependencies of packages/generate/package.json, then run `npm install`.',
      'Add "@types/aws-lambda": "8.10.0" to devDependencies of packages/generate/package.json, then run `npm install`.',
    ]);
  });

  it(`${ArchitectureRule.VersionMismatch}: a package.json that asks for another version than the root's`, () => {
    const manifest = json({ name: '@kiro-serverless/model', dependencies: { zod: '4.0.1' }, devDependencies: { '@kiro-serverless/fixtures': '*', vitest: '4.0.0' } });
    const violations = checkVersionMismatch(workspaceWith({ 'packages/model/package.json': manifest }));
    expect(violations).toEqual([expect.objectContaining({ file: 'packages/model/package.json', line: 4 })]);
    expect(formatViolation(violations[0]!)).toContain('ARCH-VERSION-MISMATCH dependencies asks for zod 4.0.1, but package.json asks for 4.0.0');
  });

  it(`${ArchitectureRule.TsconfigReferences}: a missing reference, one to an undeclared package and one to no package`, () => {
    const violations = checkTsconfigReferences(workspaceWith({
      'packages/generate/tsconfig.json': tsconfig('../model'),
      'packages/fixtures/tsconfig.json': tsconfig('../model', '../nowhere'),
    }));
    expect(violations.map((v) => `${v.file}:${v.line} ${v.problem}`)).toEqual([
      'packages/fixtures/tsconfig.json:5 references ../model (@kiro-serverless/model), which packages/fixtures/package.json does not declare.',
      'packages/fixtures/tsconfig.json:8 references ../nowhere, which is not a package of the workspace.',
      'packages/generate/tsconfig.json:3 packages/generate/package.json declares @kiro-serverless/fixtures, but tsconfig.json does not reference ../fixtures: `tsc -b` may check this package before the one it imports.',
    ]);
  });
});

describe('findCycles', () => {
  const graph = (edges: Record<string, string[]>): Map<string, Set<string>> => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

  it('prints one shortest cycle per strongly connected component, from its first node', () => {
    expect(findCycles(graph({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [], x: ['y'], y: ['x', 'z'], z: ['x'] }))).toEqual([['a', 'b', 'c'], ['x', 'y']]);
  });

  it('finds none in a graph without one, and ignores self-loops', () => {
    expect(findCycles(graph({ a: ['a', 'b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });
});

describe('.gitattributes marks the generated files for GitHub', () => {
  const attributes = fs.readFileSync(path.join(ROOT, '.gitattributes'), 'utf8');

  it('covers every folder the generator owns (OWNED_DIRS) and package-lock.json, and nothing of the user\'s', () => {
    expect(OWNED_DIRS.length).toBeGreaterThan(0);
    expect(unmarkedDirs(attributes, OWNED_DIRS)).toEqual([]);
    expect(isMarkedGenerated(attributes, 'package-lock.json')).toBe(true);
    expect(['src/handlers/orders/create-order.ts', 'infra/app.ts', 'specs/orders.yaml', 'package.json'].filter((f) => isMarkedGenerated(attributes, f))).toEqual([]);
  });

  it('the check fails on a missing folder, a folder listed without its subfolders, and a later line that unsets it', () => {
    const text = ['src/generated/*.ts linguist-generated=true', 'infra/generated/** linguist-generated', 'infra/generated/stacks.ts -linguist-generated', 'specs/schema/** text'].join('\n');
    expect(unmarkedDirs(text, ['src/generated', 'infra/generated', 'specs/schema'])).toEqual(['src/generated', 'specs/schema']);
    expect(isMarkedGenerated(text, 'infra/generated/stacks.ts')).toBe(false);
    expect(isMarkedGenerated(text, 'infra/generated/orders-stack.ts')).toBe(true);
  });
});
