/**
 * The steering files of .kiro/steering/ as Kiro reads them: front matter that parses, inclusion
 * modes and fileMatch globs that Kiro honours and that match files of this repository, always-loaded
 * files short enough to sit in every turn, and content that points at things that exist (practice
 * IDs, npm scripts, #[[file:...]] references).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp, listProjectFiles } from './support/glob.js';
import { mentions, PRACTICE_IDS, practiceIdsIn } from './support/practice-ids.js';
import type { SteeringFile } from './support/steering-files.js';
import { frontMatterOf, inclusionOf, readSteeringFiles } from './support/steering-files.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const files = readSteeringFiles(ROOT);
const byName = (name: string): SteeringFile => {
  const file = files.find((f) => f.path === `.kiro/steering/${name}`);
  if (!file) throw new Error(`.kiro/steering/${name} is missing`);
  return file;
};

const INCLUSION_MODES = ['always', 'fileMatch', 'manual', 'auto'] as const;
const FRONT_MATTER_KEYS = new Set(['inclusion', 'fileMatchPattern', 'name', 'description']);

/** The files other parts of the project (hooks, feature specs, README) refer to, and how each is loaded. */
const EXPECTED: readonly { readonly name: string; readonly inclusion: string; readonly globs?: readonly string[] }[] = [
  { name: 'product.md', inclusion: 'always' },
  { name: 'tech.md', inclusion: 'always' },
  { name: 'structure.md', inclusion: 'always' },
  { name: 'lambda-essentials.md', inclusion: 'always' },
  { name: 'lambda-lifecycle.md', inclusion: 'fileMatch', globs: ['src/**/*.ts'] },
  { name: 'error-handling.md', inclusion: 'fileMatch', globs: ['src/**/*.ts', 'specs/**/*.yaml'] },
  { name: 'infrastructure.md', inclusion: 'fileMatch', globs: ['infra/**/*.ts'] },
  { name: 'testing.md', inclusion: 'fileMatch', globs: ['test/**/*.ts'] },
  { name: 'spec-workflow.md', inclusion: 'fileMatch', globs: ['specs/**'] },
];

/** The rules an agent must never miss: fileMatch does not fire in Kiro's spec mode, so they are always loaded. */
const ESSENTIAL_IDS = [
  'LBP-INIT-CLIENTS', 'LBP-CONFIG-ENV', 'LBP-STATE-EXTERNAL', 'LBP-AWAIT-ALL', 'LBP-IDEMPOTENCY',
  'LBP-ERR-SQS-PARTIAL', 'LBP-ERR-STREAM-CHECKPOINT', 'LBP-ERR-SYNC', 'LBP-SEC-LEAST-PRIVILEGE',
] as const;

/** Budgets: always-loaded files are read on every turn, topic files whenever a matching file is open. */
const ALWAYS_MAX_LINES = 30;
const ALWAYS_MAX_WORDS = 300;
const ALWAYS_TOTAL_MAX_WORDS = 1_000;
const TOPIC_MAX_WORDS = 600;

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const lines = (text: string): number => text.trimEnd().split('\n').length;

/** The globs of a fileMatch file, as written (a string or a list). */
function globsOf(file: SteeringFile): unknown[] {
  const pattern = frontMatterOf(file)['fileMatchPattern'];
  return Array.isArray(pattern) ? pattern : [pattern];
}

/** `npm run x`, `npm test`, `npm start`: the scripts a text tells someone to run. */
function npmScriptsIn(text: string): string[] {
  return [...text.matchAll(/\bnpm (?:run(?:-script)? ([\w:.-]*[\w:-])|(test|start|stop|restart)\b)/g)].map((m) => (m[1] ?? m[2])!);
}

describe('steering front matter', () => {
  it('finds the steering files the project refers to, each loaded as intended', () => {
    // Act
    const actual = EXPECTED.map(({ name }) => {
      const file = byName(name);
      const inclusion = inclusionOf(file);
      return inclusion === 'fileMatch' ? { name, inclusion, globs: globsOf(file) } : { name, inclusion };
    });
    // Assert
    expect(actual).toEqual(EXPECTED);
  });

  it.each(files.map((f) => [f.path, f] as const))('%s: front matter is a YAML map of known keys', (_path, file) => {
    const data = frontMatterOf(file); // throws on YAML that does not parse
    expect(Object.keys(data).filter((key) => !FRONT_MATTER_KEYS.has(key)), `unknown keys in ${file.path}`).toEqual([]);
    if (file.frontMatterText === undefined) {
      expect(file.text.startsWith('---'), `${file.path} opens a front matter block it never closes`).toBe(false);
    }
  });

  it.each(files.map((f) => [f.path, f] as const))('%s: inclusion is one of always, fileMatch, manual, auto', (_path, file) => {
    expect(INCLUSION_MODES).toContain(inclusionOf(file));
  });

  it.each(files.map((f) => [f.path, f] as const))('%s: fileMatchPattern appears only with fileMatch; auto has a name and a description', (_path, file) => {
    const data = frontMatterOf(file);
    const inclusion = inclusionOf(file);
    expect('fileMatchPattern' in data, `${file.path}: fileMatchPattern belongs to inclusion: fileMatch`).toBe(inclusion === 'fileMatch');
    if (inclusion === 'auto') {
      expect(typeof data['name'] === 'string' && data['name'].trim() !== '', `${file.path}: auto needs a name`).toBe(true);
      expect(typeof data['description'] === 'string' && data['description'].trim() !== '', `${file.path}: auto needs a description`).toBe(true);
    }
  });

  const fileMatchFiles = files.filter((f) => inclusionOf(f) === 'fileMatch');
  const projectFiles = listProjectFiles(ROOT);

  it.each(fileMatchFiles.map((f) => [f.path, f] as const))('%s: fileMatchPattern is a glob or a list of globs Kiro can match, each matching a file here', (_path, file) => {
    const globs = globsOf(file);
    expect(globs.length, `${file.path}: fileMatchPattern is empty`).toBeGreaterThan(0);
    const problems = globs.flatMap((glob): string[] => {
      if (typeof glob !== 'string') return [`${JSON.stringify(glob)} is not a string`];
      // A comma outside braces means several globs in one string, which matches nothing in Kiro.
      if (glob.replace(/\{[^{}]*\}/g, '').includes(',')) return [`"${glob}" joins globs with commas: write a YAML list`];
      // A pattern without a slash (`*.ts`) is bare, and Kiro matches it against nothing: write `**/*.ts`.
      if (!glob.includes('/')) return [`"${glob}" is bare: anchor it to a folder, or start it with **/`];
      if (glob.startsWith('/') || glob.startsWith('./')) return [`"${glob}" must be relative to the workspace root, without / or ./`];
      const regex = globToRegExp(glob);
      return projectFiles.some((f) => regex.test(f)) ? [] : [`"${glob}" matches no file of the repository`];
    });
    expect(problems, file.path).toEqual([]);
  });
});

describe('steering content', () => {
  const always = files.filter((f) => inclusionOf(f) === 'always');
  const topics = files.filter((f) => inclusionOf(f) !== 'always');

  it.each(always.map((f) => [f.path, f] as const))(`%s: an always-loaded file stays within ${ALWAYS_MAX_LINES} lines and ${ALWAYS_MAX_WORDS} words`, (_path, file) => {
    expect(lines(file.text), `${file.path}: lines`).toBeLessThanOrEqual(ALWAYS_MAX_LINES);
    expect(words(file.text), `${file.path}: words`).toBeLessThanOrEqual(ALWAYS_MAX_WORDS);
  });

  it(`keeps the always-loaded files together within ${ALWAYS_TOTAL_MAX_WORDS} words`, () => {
    expect(always.reduce((sum, f) => sum + words(f.text), 0)).toBeLessThanOrEqual(ALWAYS_TOTAL_MAX_WORDS);
  });

  it.each(topics.map((f) => [f.path, f] as const))(`%s: a topic file stays within ${TOPIC_MAX_WORDS} words`, (_path, file) => {
    expect(words(file.text)).toBeLessThanOrEqual(TOPIC_MAX_WORDS);
  });

  it.each(topics.map((f) => [f.path, f] as const))('%s: a topic file names the practice IDs it teaches and the command that checks them', (_path, file) => {
    expect(practiceIdsIn(file.body).length, `${file.path} names no practice ID`).toBeGreaterThan(0);
    expect(npmScriptsIn(file.body).length, `${file.path} names no npm command`).toBeGreaterThan(0);
  });

  it('teaches every practice ID in at least one steering file', () => {
    expect(PRACTICE_IDS.filter((id) => !files.some((f) => mentions(f.text, id)))).toEqual([]);
  });

  it('keeps the essential practices in an always-loaded file', () => {
    const essentials = byName('lambda-essentials.md');
    expect(inclusionOf(essentials)).toBe('always');
    expect(ESSENTIAL_IDS.filter((id) => !mentions(essentials.text, id))).toEqual([]);
  });

  it('names no practice ID that the catalog does not define', () => {
    const known = new Set<string>(PRACTICE_IDS);
    const unknown = files.flatMap((f) => practiceIdsIn(f.text).filter((id) => !known.has(id)).map((id) => `${f.path}: ${id}`));
    expect(unknown).toEqual([]);
  });

  it('names only npm scripts that package.json defines', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const missing = files.flatMap((f) => npmScriptsIn(f.text).filter((name) => !(name in scripts)).map((name) => `${f.path}: npm ${name}`));
    expect(missing).toEqual([]);
  });

  it('has #[[file:...]] references that resolve to files of the repository', () => {
    const refs = files.flatMap((f) => [...f.text.matchAll(/#\[\[file:([^\]]+)\]\]/g)].map((m) => ({ from: f.path, target: m[1]! })));
    expect(refs.length).toBeGreaterThan(0);
    const broken = refs.filter((r) => r.target.startsWith('/') || !fs.existsSync(path.join(ROOT, r.target)) || !fs.statSync(path.join(ROOT, r.target)).isFile());
    expect(broken.map((r) => `${r.from}: ${r.target}`)).toEqual([]);
  });
});

describe('the helpers of this test', () => {
  it.each([
    ['src/**/*.ts', 'src/runtime/clients/s3.ts', true],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'test/src/a.ts', false],
    ['src/**/*.ts', 'src/a.tsx', false],
    ['specs/**', 'specs/schema/service.schema.json', true],
    ['specs/**/*.yaml', 'specs/orders.yaml', true],
    ['**/*.md', 'README.md', true],
    ['*.ts', 'src/a.ts', false],
    ['src/{runtime,handlers}/**/*.ts', 'src/handlers/orders/order.ts', true],
    ['src/{runtime,handlers}/**/*.ts', 'src/generated/orders/order.ts', false],
    ['test/?.ts', 'test/a.ts', true],
  ] as const)('matches %s against %s: %s', (glob, file, expected) => {
    expect(globToRegExp(glob).test(file)).toBe(expected);
  });

  it('reads npm commands in their short and long forms', () => {
    expect(npmScriptsIn('run `npm test`, then `npm run spec:check -- x`, `npm start` and npm run new:service.'))
      .toEqual(['test', 'spec:check', 'start', 'new:service']);
  });
});
