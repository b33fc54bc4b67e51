import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
/** GitHub's anchors of the README's headings. */
const anchors = new Set(
  [...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => (m[1] ?? '').trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')),
);

describe('the lambda plugin', () => {
  const entries = Object.entries(plugin.rules);

  it('has the six rules the docs and steering refer to', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual([
      'no-aws-sdk-v2', 'no-client-in-handler', 'no-floating-promises', 'no-hardcoded-resource', 'no-misused-promises', 'no-module-state-write',
    ]);
    expect(plugin.meta.name).toBe('lambda');
  });

  it.each(entries)('%s documents itself in a README section', (name, rule) => {
    expect(rule.meta?.docs?.description).toMatch(/\(LBP-[A-Z-]+/);
    const url = new URL(rule.meta?.docs?.url ?? '');
    expect(fileURLToPath(url)).toBe(fileURLToPath(new URL('../README.md', import.meta.url)));
    expect(url.hash).toBe(`#lambda${name}`);
    expect(anchors.has(url.hash.slice(1)), `README heading for ${url.hash}`).toBe(true);
  });

  it.each(entries)('%s names its practice ID at the start of every problem message', (_name, rule) => {
    const messages = Object.entries(rule.meta?.messages ?? {}).filter(([id]) => !/Fix/.test(id));
    expect(messages.length).toBeGreaterThan(0);
    for (const [id, text] of messages) expect(text, id).toMatch(/^LBP-[A-Z]+(-[A-Z]+)*: /);
  });
});
