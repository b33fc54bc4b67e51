/**
 * docs/best-practices.md, the practice catalog, against the repository: every practice ID has a
 * section that says what and why, is taught by steering files that name it, and is enforced by
 * checks that exist and can fail (spec rules with a failing case, ESLint rules that are registered
 * and turned on, cdk-nag rules named in their test, tests that exist and are not skipped).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { readManifest } from '@kiro-serverless/generate/example/manifest';
import { RULES } from '@kiro-serverless/model/rules/catalog';
import type { Check, PracticeSection } from './support/best-practices-doc.js';
import { parseCatalog } from './support/best-practices-doc.js';
import { listProjectFiles } from './support/glob.js';

/** A test file of the service (test/) or of a kit package (packages/<package>/test/). */
const TEST_FILE = /^(?:packages\/[^/]+\/)?test\/.+\.test\.ts$/;
import { mentions, PRACTICE_IDS, practiceIdsIn } from './support/practice-ids.js';
import { declaredTests } from './support/test-titles.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOC = 'docs/best-practices.md';
const text = fs.readFileSync(path.join(ROOT, DOC), 'utf8');
const catalog = parseCatalog(text);
const sectionOf = (id: string): PracticeSection => {
  const section = catalog.sections.find((s) => s.id === id);
  if (!section) throw new Error(`${DOC} has no section for ${id}`);
  return section;
};

/**
 * A handler path the Lambda lint rules must cover. ESLint computes a file's config from its path, so
 * the file need not exist (the example's handlers are gone once a user replaces the example).
 */
const LINTED_SOURCE = 'src/handlers/any-service/any-function.ts';
const LINT_PLUGIN = 'lambda';
/** Minimum length of the What and Why paragraphs: a sentence, not a placeholder. */
const MIN_PARAGRAPH = 80;

const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');
const isFile = (file: string): boolean => fs.existsSync(path.join(ROOT, file)) && fs.statSync(path.join(ROOT, file)).isFile();

/** Rule names registered by the ESLint plugin in packages/eslint-plugin/src/index.ts, or why they cannot be read. */
let lintRules: Promise<ReadonlySet<string> | string> | undefined;
function registeredLintRules(): Promise<ReadonlySet<string> | string> {
  lintRules ??= (async () => {
    const index = path.join(ROOT, 'packages/eslint-plugin/src/index.ts');
    if (!fs.existsSync(index)) return 'packages/eslint-plugin/src/index.ts does not exist';
    const mod = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
    const holders = [mod, mod['default'], mod['plugin']] as ({ rules?: unknown } | undefined)[];
    const rules = holders.map((h) => h?.rules).find((r) => typeof r === 'object' && r !== null);
    return rules ? new Set(Object.keys(rules)) : 'packages/eslint-plugin/src/index.ts exports no `rules` (as `rules`, or on its default or `plugin` export)';
  })();
  return lintRules;
}

/** The ESLint rules in effect for LINTED_SOURCE and their severity, from the project's eslint.config.js. */
let lintConfig: Promise<Readonly<Record<string, unknown>>> | undefined;
function effectiveLintRules(): Promise<Readonly<Record<string, unknown>>> {
  lintConfig ??= new ESLint({ cwd: ROOT }).calculateConfigForFile(LINTED_SOURCE)
    .then((config: { rules?: Record<string, unknown> }) => config.rules ?? {});
  return lintConfig;
}

const isOn = (setting: unknown): boolean => {
  const severity: unknown = Array.isArray(setting) ? setting[0] : setting;
  return severity === 'error' || severity === 'warn' || severity === 2 || severity === 1;
};

/** What is wrong with one check, as `line N: ...` strings; empty when it holds. */
async function problemsOf(id: string, check: Check): Promise<string[]> {
  const at = `line ${check.line} (${check.kind} \`${check.subject}\`)`;
  const problems: string[] = [];
  if (!TEST_FILE.test(check.file)) return [`${at}: ${check.file} is not a test file under test/ or packages/<package>/test/`];
  if (!isFile(check.file)) return [`${at}: ${check.file} does not exist`];
  const tests = declaredTests(path.join(ROOT, check.file)).filter((t) => t.kind === 'test');
  const running = tests.filter((t) => !t.skipped);
  const fileText = read(check.file);
  if (check.title === undefined) {
    // A RuleTester file declares its tests at run time: `ruleTester.run('lambda/<name>', rule, { valid, invalid })`.
    const ruleTesterRun = check.kind === 'lint rule' && new RegExp(`\\.run\\(\\s*['"]${check.subject}['"]`).test(fileText);
    if (running.length === 0 && !ruleTesterRun) {
      problems.push(`${at}: ${check.file} declares no test that runs${check.kind === 'lint rule' ? ` and no RuleTester run of ${check.subject}` : ''}`);
    }
  } else if (!running.some((t) => t.title === check.title)) {
    const skipped = tests.some((t) => t.title === check.title);
    problems.push(`${at}: ${check.file} has no ${skipped ? 'running (only a skipped) ' : ''}test titled "${check.title}"`);
  }
  switch (check.kind) {
    case 'spec rule':
      if (!(check.subject in RULES)) problems.push(`${at}: ${check.subject} is not a rule of packages/model/src/rules/catalog.ts`);
      if (!fileText.includes(`'${check.subject}'`)) problems.push(`${at}: ${check.file} has no case for ${check.subject}`);
      break;
    case 'lint rule': {
      const name = new RegExp(`^${LINT_PLUGIN}/([a-z0-9-]+)$`).exec(check.subject)?.[1];
      if (name === undefined) {
        problems.push(`${at}: not a rule of the \`${LINT_PLUGIN}\` plugin (${LINT_PLUGIN}/<name>)`);
        break;
      }
      if (!isFile(`packages/eslint-plugin/src/rules/${name}.ts`)) problems.push(`${at}: packages/eslint-plugin/src/rules/${name}.ts does not exist`);
      const registered = await registeredLintRules();
      if (typeof registered === 'string') problems.push(`${at}: ${registered}`);
      else if (!registered.has(name)) problems.push(`${at}: packages/eslint-plugin/src/index.ts does not register ${name}`);
      if (!isOn((await effectiveLintRules())[check.subject])) problems.push(`${at}: eslint.config.js does not turn ${check.subject} on for ${LINTED_SOURCE}`);
      break;
    }
    case 'cdk-nag':
      if (check.title === undefined) problems.push(`${at}: name the test that asserts it (› <title>)`);
      if (!fileText.includes(check.subject)) problems.push(`${at}: ${check.file} does not name ${check.subject}`);
      break;
    case 'test':
      break;
  }
  return problems.map((p) => `${id} ${p}`);
}

describe(DOC, () => {
  it('reads: every practice section has its heading, What, Why, Taught in and Enforced by, and every check line parses', () => {
    expect(catalog.problems).toEqual([]);
  });

  it('has one section for each practice ID, and none for another', () => {
    // Arrange
    const ids = catalog.sections.map((s) => s.id);
    // Assert
    expect({
      missing: PRACTICE_IDS.filter((id) => !ids.includes(id)),
      unknown: ids.filter((id) => !(PRACTICE_IDS as readonly string[]).includes(id)),
      twice: ids.filter((id, i) => ids.indexOf(id) !== i),
    }).toEqual({ missing: [], unknown: [], twice: [] });
  });

  it('names no practice ID that does not exist', () => {
    expect(practiceIdsIn(text).filter((id) => !(PRACTICE_IDS as readonly string[]).includes(id))).toEqual([]);
  });

  it.each(PRACTICE_IDS)('%s: says what it asks and why, in a paragraph each', (id) => {
    const section = sectionOf(id);
    expect(section.title.length).toBeGreaterThan(10);
    expect(section.what.length, `${id}: What`).toBeGreaterThanOrEqual(MIN_PARAGRAPH);
    expect(section.why.length, `${id}: Why`).toBeGreaterThanOrEqual(MIN_PARAGRAPH);
  });

  it.each(PRACTICE_IDS)('%s: is taught by steering files that exist and name it', (id) => {
    const section = sectionOf(id);
    expect(section.taughtIn.length, `${id} names no steering file`).toBeGreaterThan(0);
    const problems = section.taughtIn.flatMap((file) => {
      if (!/^\.kiro\/steering\/[^/]+\.md$/.test(file)) return [`${file} is not a steering file`];
      if (!isFile(file)) return [`${file} does not exist`];
      return mentions(read(file), id) ? [] : [`${file} does not mention ${id}`];
    });
    expect(problems).toEqual([]);
  });

  it.each(PRACTICE_IDS)('%s: is enforced by at least one check, each of which exists and can fail', async (id) => {
    // Arrange
    const section = sectionOf(id);
    // Act
    const problems = (await Promise.all(section.checks.map((check) => problemsOf(id, check)))).flat();
    // Assert
    expect(section.checks.length, `${id} has no enforcing check`).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('cites no file of the example service, which goes when its user replaces the example (new:service --replace-example)', async () => {
    // Arrange
    const example = new Set(Object.keys((await readManifest()).files));
    // Act
    const cited = catalog.sections.flatMap((s) => s.checks.filter((c) => example.has(c.file)).map((c) => `${s.id} line ${c.line}: ${c.file}`));
    // Assert
    expect(cited).toEqual([]);
  });

  it('lists each spec rule named after a practice under that practice', () => {
    const practiceRules = Object.keys(RULES).filter((rule) => rule.startsWith('LBP-'));
    const unlisted = practiceRules.filter((rule) => !catalog.sections.find((s) => s.id === rule)?.checks
      .some((c) => c.kind === 'spec rule' && c.subject === rule));
    expect(unlisted).toEqual([]);
  });

  it('lists every test whose title starts with a practice ID', () => {
    // Arrange
    const listed = new Set(catalog.sections.flatMap((s) => s.checks).filter((c) => c.title !== undefined).map((c) => `${c.file} › ${c.title}`));
    // Act
    const unlisted = listProjectFiles(ROOT)
      .filter((file) => TEST_FILE.test(file))
      .flatMap((file) => declaredTests(path.join(ROOT, file))
        .filter((t) => t.kind === 'test' && /^LBP-/.test(t.title))
        .map((t) => `${file} › ${t.title}`))
      .filter((key) => !listed.has(key));
    // Assert
    expect(unlisted).toEqual([]);
  });
});

describe('the catalog parser', () => {
  const section = (body: string): string => `# Title\n\n## LBP-X-Y — A practice\n\n${body}`;
  const complete = [
    '**What.** It asks',
    'for something.',
    '',
    '**Why.** Because.',
    '',
    '**Taught in:** `.kiro/steering/a.md`, `.kiro/steering/b.md`',
    '',
    '**Enforced by:**',
    '- spec rule `LBP-X-Y` — `packages/model/test/rules.test.ts` › reports $rule for $name',
    '- lint rule `lambda/no-x` — `packages/eslint-plugin/test/no-x.test.ts`',
    '- cdk-nag `Serverless-X` — `test/infra/n.test.ts` › finds `X` in "it"',
    '- test `test/a.test.ts` › a title with › and — in it',
    '- test `test/b.test.ts`',
  ].join('\n');

  it('reads a section: paragraphs joined, steering files, and each kind of check', () => {
    // Act
    const { sections, problems } = parseCatalog(section(complete));
    // Assert
    expect(problems).toEqual([]);
    expect(sections).toEqual([{
      id: 'LBP-X-Y',
      title: 'A practice',
      line: 3,
      what: 'It asks for something.',
      why: 'Because.',
      taughtIn: ['.kiro/steering/a.md', '.kiro/steering/b.md'],
      checks: [
        { kind: 'spec rule', subject: 'LBP-X-Y', file: 'packages/model/test/rules.test.ts', title: 'reports $rule for $name', line: 13 },
        { kind: 'lint rule', subject: 'lambda/no-x', file: 'packages/eslint-plugin/test/no-x.test.ts', title: undefined, line: 14 },
        { kind: 'cdk-nag', subject: 'Serverless-X', file: 'test/infra/n.test.ts', title: 'finds `X` in "it"', line: 15 },
        { kind: 'test', subject: 'test/a.test.ts', file: 'test/a.test.ts', title: 'a title with › and — in it', line: 16 },
        { kind: 'test', subject: 'test/b.test.ts', file: 'test/b.test.ts', title: undefined, line: 17 },
      ],
    }]);
  });

  it.each([
    ['a check line it cannot read', complete.replace('- test `test/b.test.ts`', '- tets `test/b.test.ts`'), /line 17: LBP-X-Y: "- tets/],
    ['a rule check without its test file', complete.replace(' — `packages/eslint-plugin/test/no-x.test.ts`', ''), /line 14: .*names the test file/],
    ['a missing Why', complete.replace('**Why.** Because.', ''), /has no \*\*Why\.\*\*/],
    ['a heading without the dash', `# T\n\n## LBP-X-Y A practice\n`, /is not "## <ID> — <title>"/],
  ])('reports %s', (_name, markdown, expected) => {
    const { problems } = parseCatalog(markdown.startsWith('# T') ? markdown : section(markdown));
    expect(problems.join('\n')).toMatch(expected);
  });
});
