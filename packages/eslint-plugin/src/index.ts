/**
 * The `lambda` ESLint plugin: the repository's Lambda best practices as lint rules, each naming its
 * practice ID (docs/best-practices.md). Documentation: packages/eslint-plugin/README.md.
 *
 * ```js
 * import lambda from '@kiro-serverless/eslint-plugin'; // TypeScript: load it through tsx, as eslint.config.js does
 * export default [{ files: ['src/**\/*.ts'], plugins: { lambda }, rules: { 'lambda/no-client-in-handler': 'error' } }];
 * ```
 */
import type { ESLint, Rule } from 'eslint';
import noAwsSdkV2 from './rules/no-aws-sdk-v2.js';
import noClientInHandler from './rules/no-client-in-handler.js';
import noFloatingPromises from './rules/no-floating-promises.js';
import noHardcodedResource from './rules/no-hardcoded-resource.js';
import noMisusedPromises from './rules/no-misused-promises.js';
import noModuleStateWrite from './rules/no-module-state-write.js';

export const rules = {
  'no-client-in-handler': noClientInHandler,
  'no-module-state-write': noModuleStateWrite,
  'no-hardcoded-resource': noHardcodedResource,
  'no-aws-sdk-v2': noAwsSdkV2,
  'no-floating-promises': noFloatingPromises,
  'no-misused-promises': noMisusedPromises,
} satisfies Record<string, Rule.RuleModule>;

const plugin = {
  meta: { name: 'lambda', version: '0.1.0' },
  rules,
} satisfies ESLint.Plugin;

export default plugin;
