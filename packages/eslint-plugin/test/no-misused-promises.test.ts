import { describe, expect, it } from 'vitest';
import { typescriptEslintRule } from '../src/rules/typed-promise-rule.js';
import rule from '../src/rules/no-misused-promises.js';
import { fixtures, typedRuleTester } from './rule-tester.js';

const filename = `${fixtures}file.ts`;
const prelude = `declare function save(id: string): Promise<void>;\ndeclare const ids: string[];\n`;

describe('lambda/no-misused-promises wraps typescript-eslint', () => {
  const original = typescriptEslintRule('no-misused-promises')!;
  const originalMessages = original.meta?.messages ?? {};

  it('keeps the original message ids, with the practice ID and the Lambda reason in each message', () => {
    expect(Object.keys(rule.meta?.messages ?? {})).toEqual(Object.keys(originalMessages));
    for (const [id, text] of Object.entries(rule.meta?.messages ?? {})) {
      expect(text, id).toMatch(/^LBP-AWAIT-ALL: .*frozen with the execution environment/);
      expect(text, id).toContain(originalMessages[id]);
    }
    expect(rule.meta?.docs?.url).toMatch(/README\.md#lambdano-misused-promises$/);
  });
});

typedRuleTester.run('lambda/no-misused-promises', rule, {
  valid: [
    { name: 'for ... of with await', filename, code: `${prelude}export const handler = async () => { for (const id of ids) await save(id); };` },
    { name: 'Promise.all over map', filename, code: `${prelude}export const handler = async () => { await Promise.all(ids.map((id) => save(id))); };` },
    { name: 'an awaited condition', filename, code: `${prelude}export const handler = async () => { if (await save('a')) return 1; return 0; };` },
  ],
  invalid: [
    {
      name: 'forEach with an async callback: nothing awaits the saves',
      filename,
      code: `${prelude}export const handler = async () => { ids.forEach(async (id) => { await save(id); }); };`,
      errors: [{ messageId: 'voidReturnArgument' }],
    },
    {
      name: 'a promise as a condition',
      filename,
      code: `${prelude}export const handler = async () => { if (save('a')) return 1; return 0; };`,
      errors: [{ messageId: 'conditional' }],
    },
    {
      name: 'options still reach the original rule: checksConditionals false allows the condition, not the callback',
      filename,
      code: `${prelude}export const handler = async () => { if (save('a')) ids.forEach(async (id) => save(id)); };`,
      options: [{ checksConditionals: false }],
      errors: [{ messageId: 'voidReturnArgument' }],
    },
  ],
});
