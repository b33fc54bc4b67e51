import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTsconfig, NARROW_TSCONFIG_DIR, narrowProgramConfigs, narrowTsconfig, owningTsconfig } from '../src/narrow-programs.js';

const ROOT = path.resolve('/project');
const at = (rel: string): string => path.join(ROOT, rel);
/** A project with a root tsconfig.json and one package that has its own. */
const exists = (p: string): boolean => [at('tsconfig.json'), at('packages/a/tsconfig.json')].includes(p);

describe('owningTsconfig', () => {
  it.each([
    ['src/handlers/orders/create-order.ts', 'tsconfig.json'],
    ['packages/a/src/deep/x.ts', 'packages/a/tsconfig.json'],
    ['packages/b/src/y.ts', 'tsconfig.json'],
    ['z.config.ts', 'tsconfig.json'],
  ])('finds the nearest tsconfig.json for %s', (file, owner) => {
    expect(owningTsconfig(at(file), ROOT, exists)).toBe(at(owner));
  });

  it('finds none outside the root, and none when no folder up to the root has one', () => {
    expect(owningTsconfig(path.resolve('/elsewhere/src/x.ts'), ROOT, exists)).toBeUndefined();
    expect(owningTsconfig(path.resolve('/project-other/src/x.ts'), ROOT, exists)).toBeUndefined();
    expect(owningTsconfig(at('src/x.ts'), ROOT, () => false)).toBeUndefined();
  });
});

describe('groupByTsconfig', () => {
  it('groups files by owner, each once and sorted, and leaves out files without one', () => {
    const groups = groupByTsconfig([at('src/b.ts'), at('packages/a/src/x.ts'), at('src/a.ts'), at('src/b.ts'), path.resolve('/elsewhere/c.ts')], ROOT, exists);
    expect([...groups]).toEqual([
      [at('packages/a/tsconfig.json'), [at('packages/a/src/x.ts')]],
      [at('tsconfig.json'), [at('src/a.ts'), at('src/b.ts')]],
    ]);
  });
});

describe('narrowTsconfig', () => {
  it('extends the owner, emits nothing, keeps no build information and has only the given files as roots', () => {
    expect(narrowTsconfig(at('tsconfig.json'), [at('src/a.ts')], ROOT)).toEqual({
      '//': expect.stringContaining('npm run lint:changed'),
      extends: at('tsconfig.json'),
      compilerOptions: { composite: false, incremental: false, declaration: false, emitDeclarationOnly: false, noEmit: true, rootDir: ROOT },
      files: [at('src/a.ts')],
      include: [],
    });
  });
});

describe('narrowProgramConfigs in a project', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kiro-narrow-'));
    const compilerOptions = { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: [], skipLibCheck: true };
    await mkdir(path.join(root, 'src'), { recursive: true });
    await writeFile(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src/**/*.ts'] }));
    await writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
    // The floating promise is visible only with the type of run(), which b.ts declares.
    await writeFile(path.join(root, 'src/a.ts'), "import { run } from './b.js';\n\nexport function go(): void {\n  run();\n}\n");
    await writeFile(path.join(root, 'src/b.ts'), 'export async function run(): Promise<number> {\n  return 1;\n}\n');
    await writeFile(path.join(root, 'src/unrelated.ts'), 'export const unrelated = 1;\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const written = async (): Promise<string[]> => (await readdir(path.join(root, NARROW_TSCONFIG_DIR))).sort();

  it('gives a type-aware rule the types of what the changed file imports, in a program of the changed file only', async () => {
    // Arrange
    const overrideConfig = await narrowProgramConfigs([path.join(root, 'src/a.ts')], root);
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      baseConfig: [{
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: root } },
        plugins: { '@typescript-eslint': tseslint.plugin as never },
        rules: { '@typescript-eslint/no-floating-promises': 'error' },
      }],
      overrideConfig,
    });

    // Act
    const [result] = await eslint.lintFiles(['src/a.ts']);

    // Assert
    expect(result?.messages.map((m) => [m.ruleId, m.line])).toEqual([['@typescript-eslint/no-floating-promises', 4]]);
    expect(overrideConfig).toEqual([{
      files: ['src/a.ts'],
      languageOptions: { parserOptions: { projectService: false, project: [expect.stringContaining(NARROW_TSCONFIG_DIR)], tsconfigRootDir: root } },
    }]);
    const [file] = await written();
    const tsconfig = JSON.parse(await readFile(path.join(root, NARROW_TSCONFIG_DIR, file!), 'utf8')) as { files: string[]; extends: string };
    expect(tsconfig).toMatchObject({ extends: path.join(root, 'tsconfig.json'), files: [path.join(root, 'src/a.ts')] });
  });

  it('writes one file per set of changed files, reuses it, and removes those older than a day', async () => {
    // Arrange
    const before = await written();
    const stale = path.join(root, NARROW_TSCONFIG_DIR, 'tsconfig.0000000000000000.json');
    await writeFile(stale, '{}');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3_600_000);
    await utimes(stale, twoDaysAgo, twoDaysAgo);

    // Act
    const again = await narrowProgramConfigs([path.join(root, 'src/a.ts')], root);
    const other = await narrowProgramConfigs([path.join(root, 'src/a.ts'), path.join(root, 'src/b.ts')], root);

    // Assert
    expect(before).toHaveLength(1);
    expect(again).toEqual([expect.objectContaining({ languageOptions: { parserOptions: expect.objectContaining({ project: [path.join(root, NARROW_TSCONFIG_DIR, before[0]!)] }) } })]);
    expect(other[0]?.files).toEqual(['src/a.ts', 'src/b.ts']);
    expect(existsSync(stale)).toBe(false);
    expect(await written()).toHaveLength(2);
  });
});
