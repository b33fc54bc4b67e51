import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeAware } from '../src/lint-changed.js';

describe('typeAware (the changed files that get a narrow program)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kiro-type-aware-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps the files whose config uses projectService or project, and leaves out the others and ignored ones', async () => {
    // Arrange: type-aware rules on src/ (two spellings), plain rules on test/, nothing on build/
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      baseConfig: [
        { ignores: ['build/'] },
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
        { files: ['src/**/*.ts'], languageOptions: { parserOptions: { projectService: true } } },
        { files: ['src/legacy/**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: ['tsconfig.json'] } } },
      ],
    });
    const at = (rel: string): string => path.join(root, rel);

    // Act
    const typed = await typeAware(eslint, [at('src/a.ts'), at('src/legacy/b.ts'), at('test/a.test.ts'), at('build/c.ts'), at('eslint.config.js')]);

    // Assert
    expect(typed).toEqual([at('src/a.ts'), at('src/legacy/b.ts')]);
  });
});
