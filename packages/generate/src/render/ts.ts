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
