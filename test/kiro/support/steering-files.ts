/**
 * Reads the steering files of .kiro/steering/: YAML front matter (parsed with `yaml`) and body.
 * A file without front matter is always loaded, as Kiro does it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const STEERING_DIR = '.kiro/steering';

export interface SteeringFile {
  /** Repository-relative path, e.g. `.kiro/steering/tech.md`. */
  readonly path: string;
  /** The raw front matter block, without its `---` fences; undefined when there is none. */
  readonly frontMatterText: string | undefined;
  /** The whole text, front matter included. */
  readonly text: string;
  /** The text after the front matter. */
  readonly body: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export function readSteeringFiles(root: string): SteeringFile[] {
  const dir = path.join(root, STEERING_DIR);
  return fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort().map((name) => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const match = FRONT_MATTER.exec(text);
    return {
      path: `${STEERING_DIR}/${name}`,
      frontMatterText: match?.[1],
      text,
      body: match ? text.slice(match[0].length) : text,
    };
  });
}

/** The front matter as data: `{}` when there is none. Throws when the YAML does not parse. */
export function frontMatterOf(file: SteeringFile): Record<string, unknown> {
  if (file.frontMatterText === undefined) return {};
  const data: unknown = parse(file.frontMatterText, { strict: true, uniqueKeys: true });
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file.path}: front matter is not a map`);
  return data as Record<string, unknown>;
}

/** The inclusion mode Kiro applies: `always` when the front matter says nothing. */
export function inclusionOf(file: SteeringFile): unknown {
  return frontMatterOf(file)['inclusion'] ?? 'always';
}
