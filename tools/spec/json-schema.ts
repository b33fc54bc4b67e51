/** The JSON Schema of the spec format, exported from the zod schema for editors (Kiro, VS Code YAML). */
import { z } from 'zod';
import { SCHEMA_FILE } from './constants.js';
import { ServiceSpecSchema } from './schema.js';

/** The schema file's text: stable key order, trailing newline. Regenerate with `npm run spec:schema`. */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(ServiceSpecSchema, { io: 'input', target: 'draft-2020-12' });
  const marked = {
    $comment: `Generated from tools/spec/schema.ts; do not edit. Regenerate: npm run spec:schema (${SCHEMA_FILE}).`,
    ...schema,
  };
  return `${JSON.stringify(marked, null, 2)}\n`;
}
