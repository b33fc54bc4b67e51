import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../src/rules/catalog.js';
import { ServiceSpecSchema } from '../src/schema.js';
import { REPO_ROOT } from '@kiro-serverless/fixtures';

describe('docs/spec.md', () => {
  it('documents every rule the checker can report', async () => {
    const doc = await readFile(path.join(REPO_ROOT, 'docs/spec.md'), 'utf8');
    expect(RULE_IDS.filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
  });

  it('documents every top-level key and every function key', async () => {
    const doc = await readFile(path.join(REPO_ROOT, 'docs/spec.md'), 'utf8');
    const fnShape = ServiceSpecSchema.shape.functions.unwrap().valueType.shape;
    const keys = [...Object.keys(ServiceSpecSchema.shape), ...Object.keys(fnShape)];
    expect(keys.filter((k) => !doc.includes(`\`${k}\``) && !doc.includes(`\`${k}.`))).toEqual([]);
  });
});
