/**
 * A parsed spec file that remembers where everything is: maps a path in the data (`['functions',
 * 'createOrder', 'trigger']`) to the 1-based line and column of the key or value in the file.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
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

export class YamlSource {
  private readonly lineCounter: LineCounter;
  private readonly doc: Document.Parsed;
  /** The data, or undefined when the YAML could not be read. */
  readonly data: unknown;
  readonly problems: readonly YamlProblem[];

  constructor(readonly text: string) {
    this.lineCounter = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true });
    const problems: YamlProblem[] = this.doc.errors.map((e) => ({
      message: e.message.split('\n')[0] ?? e.message,
      code: e.code,
      position: this.at(e.pos[0]),
      excerpt: text.slice(e.pos[0]).split('\n')[0] ?? '',
    }));
    let data: unknown;
    if (problems.length === 0) {
      try {
        data = this.doc.toJS({ maxAliasCount: 100 });
      } catch (error) {
        problems.push({ message: (error as Error).message, code: 'BAD_ALIAS', position: { line: 1, column: 1 }, excerpt: '' });
      }
    }
    this.problems = problems;
    this.data = data;
  }

  /** Position of `path`, or of the deepest part of it that exists (a missing key points at its parent). */
  positionOf(path: DataPath, target: PositionTarget = 'key'): Position {
    let node: YamlNode | null | undefined = this.doc.contents;
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
    return isAlias(node) ? (node.resolve(this.doc) as YamlNode | undefined) : node;
  }

  private at(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.lineCounter.linePos(clamped);
    // linePos gives 0 for an empty text; positions are 1-based everywhere.
    return { line: Math.max(1, line), column: Math.max(1, col) };
  }
}
