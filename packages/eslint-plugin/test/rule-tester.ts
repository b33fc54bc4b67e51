/**
 * ESLint's RuleTester on vitest, with typescript-eslint's parser: `ruleTester` for the syntactic
 * Lambda rules, `typedRuleTester` for the typed promise rules (type information from a small
 * fixture project in packages/eslint-plugin/test/fixtures/, not the repository's whole program).
 */
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const ruleTester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});

export const typedRuleTester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: {
      projectService: true,
      tsconfigRootDir: fixtures,
    },
  },
});
