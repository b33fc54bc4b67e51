import { ORDERS } from '@kiro-serverless/fixtures';
import { renderJsonSchema } from '@kiro-serverless/model/json-schema';
import { SCHEMA_FILE, SCHEMA_MODELINE } from '@kiro-serverless/model/layout';
import { describe, expect, it } from 'vitest';
import { headerText, isGenerated } from '../src/header.js';
import { FileKind, planFiles } from '../src/plan.js';

describe('JSON Schema export', () => {
  it('is planned as a generated file, whatever the specs (`generate --check` keeps the committed copy current)', () => {
    const [schema] = planFiles([], []);
    expect(schema).toMatchObject({ path: SCHEMA_FILE, kind: FileKind.Generated });
    expect(isGenerated(schema?.content ?? '')).toBe(true);
    expect(schema?.content).toBe(renderJsonSchema(headerText(schema?.source ?? '')));
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

  it('is referenced from the first line of a spec', () => {
    expect(ORDERS.split('\n')[0]).toBe(SCHEMA_MODELINE);
  });
});
