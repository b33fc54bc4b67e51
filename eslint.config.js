// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { tsImport } from 'tsx/esm/api';
import tseslint from 'typescript-eslint';

// The Lambda rules are TypeScript (tools/lint); Node 20 cannot import .ts itself, so tsx loads them
// (scoped to this import: nothing else is registered).
/** @type {import('@kiro-serverless/eslint-plugin')} */
const { default: lambda } = await tsImport('@kiro-serverless/eslint-plugin', import.meta.url);

export default defineConfig(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'reports/', '.local/', '.scratch/', 'packages/fixtures/projects/'] },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    // Type-aware rules only where they pay for themselves (the service's src/ and the kit's
    // packages/*/src/); see the toolchain notes.
    files: ['src/**/*.ts', 'packages/*/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { lambda },
    rules: {
      // LBP-AWAIT-ALL: typescript-eslint's typed rules, with the practice ID and the Lambda reason in their messages.
      'lambda/no-floating-promises': 'error',
      'lambda/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The Lambda rules (packages/eslint-plugin/README.md): everything that is deployed in a function,
    // the service's code and the runtime package it imports.
    files: ['src/**/*.ts', 'packages/runtime/src/**/*.ts'],
    plugins: { lambda },
    rules: {
      'lambda/no-client-in-handler': ['error', { factories: ['createTmpCache'] }],
      'lambda/no-module-state-write': 'error',
      'lambda/no-aws-sdk-v2': 'error',
      'lambda/no-hardcoded-resource': 'error',
      // LBP-PACKAGE-SMALL: the named `z` export of zod is a namespace object esbuild cannot shake,
      // so it bundles all of zod with every locale; the namespace import keeps only what is used.
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
        message: "LBP-PACKAGE-SMALL: `import { z } from 'zod'` bundles all of zod, every locale included (about 450 KB per function). Write `import * as z from 'zod'` (about 85 KB): esbuild keeps only the members used.",
      }],
    },
  },
  {
    // Business logic: the generated entry calls every export of a handler file per invocation.
    files: ['src/handlers/**/*.ts'],
    rules: {
      'lambda/no-client-in-handler': ['error', { exportsRunPerInvocation: true, factories: ['createTmpCache'] }],
      'lambda/no-module-state-write': ['error', { exportsRunPerInvocation: true }],
    },
  },
  {
    // Generated entry points read every name and ARN from the environment by construction; the
    // generator's own tests check what it writes.
    files: ['src/generated/**/*.ts'],
    rules: { 'lambda/no-hardcoded-resource': 'off' },
  },
  {
    // Tests may assert presence with `!` after checking it.
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
