/** Small helpers for writing TypeScript source text. */

/** `createOrder` -> `CreateOrder`. */
export function pascalCase(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** A single-quoted TypeScript string literal. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
}

/** Text that is safe inside a `/** ... *\/` comment, on one line. */
export function doc(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\*\//g, '*\\/');
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}

/** Indents every non-empty line of `text` by `spaces`. */
export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line) => (line === '' ? line : pad + line)).join('\n');
}

/** Comment-safe text as a sentence: capitalised, ending with a full stop. */
export function sentence(text: string): string {
  const t = doc(text);
  if (t === '') return t;
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

/**
 * The local name for an imported `name` in a file that also uses `taken`: `name` itself, or
 * `name` + `suffix` when it would clash (a function called `handler` or `logger`).
 */
export function localName(name: string, taken: ReadonlySet<string>, suffix: string): string {
  return taken.has(name) ? `${name}${suffix}` : name;
}

/** `import { name }`, or `import { name as local }` when they differ. */
export function importSpecifier(name: string, local: string): string {
  return name === local ? name : `${name} as ${local}`;
}

/**
 * The generated code's line width (as in the rest of the repository): object literals, import lists
 * and comments that would make a line longer are broken over several lines. A single string literal
 * or word longer than that is never split.
 */
export const LINE_WIDTH = 120;

/** A property of an object literal: `key: value` (or shorthand) text, or a key with a nested object. */
export type Prop = string | { readonly key: string; readonly value: ObjectLiteral };

/** An object literal to lay out (see {@link layoutObject}). */
export interface ObjectLiteral {
  readonly props: readonly Prop[];
  /** One property per line even when they would fit on one (lists that grow with the spec). @default false */
  readonly multiline?: boolean;
}

/** The object on one line, or undefined when it cannot be (a forced break, a multi-line value). */
function oneLine(object: ObjectLiteral): string | undefined {
  if (object.multiline) return undefined;
  const parts: string[] = [];
  for (const p of object.props) {
    const text = typeof p === 'string' ? p : oneLineProp(p);
    if (text === undefined || text.includes('\n')) return undefined;
    parts.push(text);
  }
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

function oneLineProp(p: { readonly key: string; readonly value: ObjectLiteral }): string | undefined {
  const value = oneLine(p.value);
  return value === undefined ? undefined : `${p.key}: ${value}`;
}

/**
 * `head{ a, b }tail` when that fits in LINE_WIDTH on a line indented by `column`; else the object one
 * property per line, two spaces further in, each with a trailing comma, nested objects laid out the
 * same way. Lines after the first are indented relative to the first (the caller indents the whole).
 */
export function layoutObject(head: string, object: ObjectLiteral, tail: string, column: number): string {
  const flat = oneLine(object);
  if (flat !== undefined && column + head.length + flat.length + tail.length <= LINE_WIDTH) return `${head}${flat}${tail}`;
  const lines = object.props.map((p) => (typeof p === 'string' ? `${p},` : layoutObject(`${p.key}: `, p.value, ',', column + 2)));
  return `${head}{\n${indent(lines.join('\n'), 2)}\n}${tail}`;
}

/** `text` in words on lines of at most `width` characters (a longer word has a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** A `/** text *\/` comment (text comment-safe, see {@link doc}), broken into a block when it does not fit at `column`. */
export function docComment(text: string, column: number): string {
  const single = `/** ${text} */`;
  if (column + single.length <= LINE_WIDTH) return single;
  return ['/**', ...wrapWords(text, LINE_WIDTH - column - ' * '.length).map((l) => ` * ${l}`), ' */'].join('\n');
}

/** A `// text` comment, continued on further `//` lines when it does not fit at `column`. */
export function lineComment(text: string, column: number): string {
  return wrapWords(text, LINE_WIDTH - column - '// '.length).map((l) => `// ${l}`).join('\n');
}
