/** The JSON Schema of the spec format, exported from the zod schema for editors (Kiro, VS Code YAML). */
import { z } from 'zod';
import { ServiceSpecSchema } from './schema.js';

/**
 * The schema file's text: stable key order, trailing newline. `comment` goes first, as `$comment`
 * (the generator puts its header there; packages/generate owns specs/schema/).
 */
export function renderJsonSchema(comment: string): string {
  const schema = z.toJSONSchema(ServiceSpecSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ $comment: comment, ...schema }, null, 2)}\n`;
}
