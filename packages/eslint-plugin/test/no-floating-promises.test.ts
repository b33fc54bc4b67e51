import { describe, expect, it } from 'vitest';
import { typescriptEslintRule } from '../src/rules/typed-promise-rule.js';
import rule from '../src/rules/no-floating-promises.js';
import { fixtures, typedRuleTester } from './rule-tester.js';

const filename = `${fixtures}file.ts`;
const prelude = `declare function save(): Promise<void>;\n`;

describe('lambda/no-floating-promises wraps typescript-eslint', () => {
  const original = typescriptEslintRule('no-floating-promises')!;
  const originalMessages = original.meta?.messages ?? {};

  it('keeps the original message ids, appending the practice ID and the Lambda reason to problem messages only', () => {
    expect(Object.keys(rule.meta?.messages ?? {})).toEqual(Object.keys(originalMessages));
    expect(rule.meta?.messages?.['floating']).toMatch(/^LBP-AWAIT-ALL: Promises must be awaited.*frozen with the execution environment/);
    expect(rule.meta?.messages?.['floatingFixAwait']).toBe(originalMessages['floatingFixAwait']);
    expect(rule.meta?.docs?.url).toMatch(/README\.md#lambdano-floating-promises$/);
  });
});

typedRuleTester.run('lambda/no-floating-promises', rule, {
  valid: [
    { name: 'awaited', filename, code: `${prelude}export const handler = async () => { await save(); };` },
    { name: 'returned', filename, code: `${prelude}export const handler = async () => save();` },
    { name: 'awaited all', filename, code: `${prelude}export const handler = async () => { await Promise.all([save(), save()]); };` },
    { name: 'caught', filename, code: `${prelude}export const handler = async () => { save().catch(() => undefined); };` },
    // The wrapper keeps the default options of typescript-eslint's createRule: ignoreVoid is true by default.
    { name: 'void (default ignoreVoid: true)', filename, code: `${prelude}export const handler = async () => { void save(); };` },
  ],
  invalid: [
    {
      name: 'a promise left running when the handler returns',
      filename,
      code: `${prelude}export const handler = async () => { save(); };`,
      errors: [{
        messageId: 'floatingVoid',
        suggestions: [
          { messageId: 'floatingFixVoid', output: `${prelude}export const handler = async () => { void save(); };` },
          { messageId: 'floatingFixAwait', output: `${prelude}export const handler = async () => { await save(); };` },
        ],
      }],
    },
    {
      name: 'an array of promises',
      filename,
      code: `${prelude}export const handler = async () => { [save(), save()]; };`,
      errors: [{ messageId: 'floatingPromiseArrayVoid' }],
    },
    {
      name: 'options still reach the original rule: ignoreVoid false',
      filename,
      code: `${prelude}export const handler = async () => { void save(); };`,
      options: [{ ignoreVoid: false }],
      errors: [{ messageId: 'floating', suggestions: [{ messageId: 'floatingFixAwait', output: `${prelude}export const handler = async () => { await save(); };` }] }],
    },
  ],
});
