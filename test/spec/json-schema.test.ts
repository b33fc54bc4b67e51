import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, SCHEMA_MODELINE } from '../../tools/spec/constants.js';
import { headerText } from '../../tools/generate/header.js';
import { renderJsonSchema } from '../../tools/spec/json-schema.js';
import { EXAMPLE, ROOT } from './helpers/example.js';

describe('JSON Schema export', () => {
  it('is committed as the generator renders it (run `npm run generate` after changing the schema)', async () => {
    const committed = await readFile(path.join(ROOT, SCHEMA_FILE), 'utf8');
    expect(committed).toBe(renderJsonSchema(headerText('tools/spec/schema.ts')));
  });

  it('describes every top-level key, with documented defaults and limits for editors', () => {
    const schema = JSON.parse(renderJsonSchema('x')) as {
      required: string[]; additionalProperties: boolean;
      properties: Record<string, unknown> & { functions: { additionalProperties: { properties: Record<string, { minimum?: number; maximum?: number; default?: unknown }> } } };
    };
    expect(Object.keys(schema.properties)).toEqual(['service', 'description', 'defaults', 'tables', 'queues', 'topics', 'buckets', 'databases', 'fileSystems', 'functions']);
    expect(schema.required).toEqual(['service']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.functions.additionalProperties.properties.memoryMb).toMatchObject({ minimum: 128, maximum: 10240, default: 512 });
  });

  it('is referenced from the first line of the example spec', () => {
    expect(EXAMPLE.split('\n')[0]).toBe(SCHEMA_MODELINE);
  });
});
