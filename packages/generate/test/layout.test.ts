/**
 * Laying generated TypeScript out to the line width (src/render/ts.ts): object literals on one line
 * when they fit in 120 columns, else one property per line with trailing commas; comments wrapped.
 */
import { describe, expect, it } from 'vitest';
import { docComment, layoutObject, LINE_WIDTH, lineComment } from '../src/render/ts.js';

/** `n` characters of text. */
const chars = (n: number) => 'x'.repeat(n);

describe('layoutObject', () => {
  it('the line width is 120 columns', () => {
    expect(LINE_WIDTH).toBe(120);
  });

  it('keeps an object on one line when the line is exactly 120 characters, and breaks it at 121', () => {
    // Arrange: `f({ a: '…' });` is 13 characters around the value; at column 4.
    const fits = { props: [`a: '${chars(120 - 4 - 13)}'`] };
    const over = { props: [`a: '${chars(120 - 4 - 13 + 1)}'`] };

    // Act
    const one = layoutObject('f(', fits, ');', 4);
    const broken = layoutObject('f(', over, ');', 4);

    // Assert
    expect(4 + one.length).toBe(120);
    expect(one).toBe(`f({ a: '${chars(103)}' });`);
    expect(broken).toBe(`f({\n  a: '${chars(104)}',\n});`);
  });

  it('breaks the outer object first, and a nested one only if its own line is still too long', () => {
    const nested = (n: number) => ({ key: 'inner', value: { props: [`name: '${chars(n)}'`, `type: 'string'`] } });
    const object = { props: ['fifo: false', nested(60)] };
    expect(layoutObject('const q = new Q(this, ', object, ');', 4)).toBe(`const q = new Q(this, {
  fifo: false,
  inner: { name: '${chars(60)}', type: 'string' },
});`);
    const deeper = { props: ['fifo: false', nested(100)] };
    expect(layoutObject('const q = new Q(this, ', deeper, ');', 4)).toBe(`const q = new Q(this, {
  fifo: false,
  inner: {
    name: '${chars(100)}',
    type: 'string',
  },
});`);
  });

  it('writes a multiline object one property per line even when it would fit, and so its parents', () => {
    const object = { props: [{ key: 'environment', value: { props: ['A: 1'], multiline: true } }, 'b'] };
    expect(layoutObject('x(', object, ');', 0)).toBe('x({\n  environment: {\n    A: 1,\n  },\n  b,\n});');
  });

  it('writes an empty object as {}', () => {
    expect(layoutObject('x(', { props: [] }, ');', 0)).toBe('x({});');
  });

  it('lays out an import list the same way', () => {
    const names = ['Alpha', 'Beta'];
    expect(layoutObject('import ', { props: names }, ` from 'm';`, 0)).toBe(`import { Alpha, Beta } from 'm';`);
    expect(layoutObject('import ', { props: [chars(60), chars(60)] }, ` from 'm';`, 0)).toBe(`import {\n  ${chars(60)},\n  ${chars(60)},\n} from 'm';`);
  });
});

describe('comments', () => {
  it('keeps a doc comment that fits on one line, and wraps a longer one into a block of lines that fit', () => {
    expect(docComment('Short.', 0)).toBe('/** Short. */');
    const text = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const block = docComment(text, 2);
    const lines = block.split('\n');
    expect(lines[0]).toBe('/**');
    expect(lines.at(-1)).toBe(' */');
    expect(lines.slice(1, -1).every((l) => l.startsWith(' * ') && 2 + l.length <= 120)).toBe(true);
    expect(lines.slice(1, -1).map((l) => l.slice(3)).join(' ')).toBe(text);
    expect(lines.length).toBeGreaterThan(3);
  });

  it('continues a line comment on further // lines, and gives a word too long for a line a line of its own', () => {
    const word = chars(130);
    expect(lineComment(`a b ${word} c`, 4)).toBe(`// a b\n// ${word}\n// c`);
    expect(lineComment('fits', 4)).toBe('// fits');
  });
});
