/**
 * A parsed spec file that remembers where everything is: maps a path in the data (`['functions',
 * 'createOrder', 'trigger']`) to the 1-based line and column of the key or value in the file.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';

export type DataPath = readonly (string | number)[];
export interface Position { readonly line: number; readonly column: number }
/** Point at the key of the last path segment (default) or at its value. */
export type PositionTarget = 'key' | 'value';

export interface YamlProblem {
  readonly message: string;
  readonly code: string;
  readonly position: Position;
  /** The source text of the line from the problem's position on (e.g. the duplicated key). */
  readonly excerpt: string;
}

/** Deeper flow nesting than any spec needs; past it the YAML parser can exhaust the process. */
export const MAX_FLOW_DEPTH = 64;
/** Larger than any spec needs; refused before parsing. */
export const MAX_SPEC_BYTES = 1_000_000;

/**
 * -0 is a number JSON cannot keep: read it as 0, so that the model survives serialisation. (yaml's
 * own reviver cannot do this: it keeps a value unless the new one is `!==`, and `0 === -0`.)
 */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]));
  }
  return value;
}

export class YamlSource {
  private readonly lineStarts: number[];
  private readonly doc: Document.Parsed | undefined;
  /** The data, or undefined when the YAML could not be read. */
  readonly data: unknown;
  readonly problems: readonly YamlProblem[];

  constructor(readonly text: string) {
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    const refusal = this.refuse();
    if (refusal) {
      this.problems = [refusal];
      return;
    }
    this.doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    const problems: YamlProblem[] = this.doc.errors.map((e) => this.problem(e.message.split('\n')[0] ?? e.message, e.code, e.pos[0]));
    visit(this.doc, {
      Pair: (_, pair) => {
        if (isScalar(pair.key) && pair.key.value === '__proto__') problems.push(this.problem('`__proto__` cannot be used as a key', 'RESERVED_KEY', pair.key.range?.[0] ?? 0));
      },
    });
    let data: unknown;
    if (problems.length === 0) {
      try {
        data = withoutNegativeZero(this.doc.toJS({ maxAliasCount: 100 }));
      } catch (error) {
        problems.push({ message: (error as Error).message, code: 'BAD_ALIAS', position: { line: 1, column: 1 }, excerpt: '' });
      }
    }
    this.problems = problems;
    this.data = data;
  }

  /** Position of `path`, or of the deepest part of it that exists (a missing key points at its parent). */
  positionOf(path: DataPath, target: PositionTarget = 'key'): Position {
    let node: YamlNode | null | undefined = this.doc?.contents;
    let keyNode: YamlNode | undefined;
    for (const segment of path) {
      node = this.deref(node);
      let next: { key?: YamlNode; value: YamlNode | null | undefined } | undefined;
      if (isMap(node)) {
        const pair = (node.items as Pair<YamlNode, YamlNode | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair) next = { key: pair.key, value: pair.value };
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as YamlNode | null | undefined;
        if (item !== undefined) next = { value: item };
      }
      if (!next) break;
      keyNode = next.key;
      node = next.value;
      // An empty value (`key:` with nothing after it) has no range of its own: point at its key.
      if (!node || !node.range) { node = undefined; break; }
    }
    const chosen = target === 'value' ? (node ?? keyNode) : (keyNode ?? node);
    return this.at(chosen?.range?.[0] ?? 0);
  }

  private deref(node: YamlNode | null | undefined): YamlNode | null | undefined {
    return isAlias(node) && this.doc ? (node.resolve(this.doc) as YamlNode | undefined) : node;
  }

  /** Refuses texts the parser should never see: too large, or nested deeper than any spec. */
  private refuse(): YamlProblem | undefined {
    if (this.text.length > MAX_SPEC_BYTES) return this.problem(`the file is larger than ${MAX_SPEC_BYTES} bytes`, 'TOO_LARGE', 0);
    let depth = 0;
    for (let i = 0; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '[' || c === '{') {
        if (++depth > MAX_FLOW_DEPTH) return this.problem(`brackets nest deeper than ${MAX_FLOW_DEPTH} levels`, 'TOO_DEEP', i);
      } else if ((c === ']' || c === '}') && depth > 0) {
        depth--;
      }
    }
    return undefined;
  }

  private problem(message: string, code: string, offset: number): YamlProblem {
    return { message, code, position: this.at(offset), excerpt: this.text.slice(offset).split('\n')[0] ?? '' };
  }

  /** 1-based line and column of an offset, from the text's own line breaks. */
  private at(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid; else high = mid - 1;
    }
    return { line: low + 1, column: clamped - (this.lineStarts[low] ?? 0) + 1 };
  }
}
