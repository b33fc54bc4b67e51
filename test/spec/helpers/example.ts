import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const EXAMPLE_FILE = 'specs/orders.yaml';
export const EXAMPLE = readFileSync(path.join(ROOT, EXAMPLE_FILE), 'utf8');

/** A text edit: replace the one occurrence of `from` with `to` (throws if `from` is absent or repeated). */
export type Edit = readonly [from: string, to: string];

export function edit(text: string, edits: readonly Edit[]): string {
  return edits.reduce((t, [from, to]) => {
    const first = t.indexOf(from);
    if (first === -1) throw new Error(`edit: ${JSON.stringify(from)} is not in the spec`);
    if (t.indexOf(from, first + 1) !== -1) throw new Error(`edit: ${JSON.stringify(from)} occurs more than once; make it unique`);
    return t.slice(0, first) + to + t.slice(first + from.length);
  }, text);
}

/** 1-based line and column of the `nth` (1-based) occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string, nth = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`positionOf: occurrence ${nth} of ${JSON.stringify(needle)} not found`);
  }
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** The stream filter of the example's publishOrderEvents, as written (edits start from it). */
export const EXAMPLE_FILTER = 'filter: { eventName: [INSERT, MODIFY], dynamodb: { NewImage: { sk: { S: [ORDER] } } } }';
