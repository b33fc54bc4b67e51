import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../tools/spec/rules/catalog.js';
import { ServiceSpecSchema } from '../../tools/spec/schema.js';
import { ROOT } from './helpers/example.js';

describe('docs/spec.md', () => {
  it('documents every rule the checker can report', async () => {
    const doc = await readFile(path.join(ROOT, 'docs/spec.md'), 'utf8');
    expect(RULE_IDS.filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
  });

  it('documents every top-level key and every function key', async () => {
    const doc = await readFile(path.join(ROOT, 'docs/spec.md'), 'utf8');
    const fnShape = ServiceSpecSchema.shape.functions.unwrap().valueType.shape;
    const keys = [...Object.keys(ServiceSpecSchema.shape), ...Object.keys(fnShape)];
    expect(keys.filter((k) => !doc.includes(`\`${k}\``) && !doc.includes(`\`${k}.`))).toEqual([]);
  });
});
