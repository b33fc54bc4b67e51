/**
 * The Kiro feature specs of .kiro/specs/<feature>/, checked as Kiro and an implementing agent read
 * them: requirements.md with numbered EARS acceptance criteria (N.M), design.md with its sections, a
 * mermaid diagram, correctness properties that validate existing criteria and spec YAML that is
 * valid in the current format, tasks.md in the shape that keeps Kiro's task buttons (every
 * `_Requirements:` reference resolves, every criterion is covered, named files and npm scripts
 * exist), and .config.kiro. Each check is also run once on a broken copy of the example feature
 * spec, to show it can fail. That copy is the one the template ships, in the kit's copy of the example
 * (@kiro-serverless/fixtures), generated in a temporary folder: the one at the root is the user's to
 * edit, and is gone once `npm run new:service -- <name> --replace-example` has replaced the example.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { FIXTURE_PROJECTS_DIR, fixtureProject } from '@kiro-serverless/fixtures';
import { generate } from '@kiro-serverless/generate';
import { checkSpecText } from '@kiro-serverless/model/check';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SPECS_DIR = '.kiro/specs';
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** The feature specs of this repository: none when it has no .kiro/specs folder (Kiro creates it with the first). */
const FEATURES = fs.existsSync(path.join(ROOT, SPECS_DIR))
  ? fs.readdirSync(path.join(ROOT, SPECS_DIR), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  : [];
/** The example feature spec, about the example service; read from the kit's copy of the example. */
const EXAMPLE = 'order-cancellation';
const EXAMPLE_PROJECT = path.join(FIXTURE_PROJECTS_DIR, 'orders');

const read = (feature: string, file: string, root = ROOT): string => fs.readFileSync(path.join(root, SPECS_DIR, feature, file), 'utf8');
const linesOf = (text: string): string[] => text.replace(/\r\n/g, '\n').split('\n');

// ---------------------------------------------------------------------------------------------
// requirements.md

/** WHEN/WHILE/WHERE clauses, then an optional `IF ..., THEN`, then `THE <Component> SHALL ...`. */
const EARS = /^(?:(?:WHEN|WHILE|WHERE) .+?, )*(?:IF .+?, THEN )?THE \S+ SHALL(?: NOT)? \S.*$/;
const USER_STORY = /^\*\*User Story:\*\* As an? .+?, I want .+?, so that .+$/;

interface Requirements {
  readonly problems: string[];
  /** Criterion IDs `N.M`, in order. */
  readonly criteria: string[];
}

function checkRequirements(text: string): Requirements {
  const lines = linesOf(text);
  const problems: string[] = [];
  const criteria: string[] = [];
  if (lines[0] !== '# Requirements Document') problems.push('requirements.md does not start with "# Requirements Document"');
  const sections = lines.filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim());
  if (sections.join('|') !== 'Introduction|Glossary|Requirements') problems.push(`requirements.md sections are [${sections.join(', ')}], expected [Introduction, Glossary, Requirements]`);

  const glossaryStart = lines.indexOf('## Glossary');
  const glossaryEnd = lines.indexOf('## Requirements');
  const terms = new Set(lines.slice(glossaryStart, glossaryEnd).flatMap((l) => [...l.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!)));

  let requirement = 0;
  let inCriteria = false;
  let storySeen = true;
  let criterion = 0;
  const closeRequirement = (): void => {
    if (requirement === 0) return;
    if (!storySeen) problems.push(`Requirement ${requirement} has no "**User Story:** As a ..., I want ..., so that ..." line`);
    if (criterion === 0) problems.push(`Requirement ${requirement} has no numbered acceptance criteria under "#### Acceptance Criteria"`);
  };
  for (const line of lines.slice(glossaryEnd + 1)) {
    if (line.startsWith('### ')) {
      closeRequirement();
      const m = /^### Requirement (\d+): \S/.exec(line);
      if (!m) problems.push(`"${line}" is not "### Requirement N: Title"`);
      else if (Number(m[1]) !== requirement + 1) problems.push(`"${line}" is out of sequence (expected Requirement ${requirement + 1})`);
      requirement += 1;
      storySeen = false;
      inCriteria = false;
      criterion = 0;
      continue;
    }
    if (line.startsWith('**User Story:**')) {
      if (!USER_STORY.test(line)) problems.push(`Requirement ${requirement}: the user story is not "As a ..., I want ..., so that ..."`);
      storySeen = true;
    } else if (line === '#### Acceptance Criteria') inCriteria = true;
    else if (/^\d+\. /.test(line)) {
      const [, num, sentence] = /^(\d+)\. (.*)$/.exec(line)!;
      if (!inCriteria) {
        problems.push(`Requirement ${requirement}: numbered line "${line.slice(0, 40)}..." is not under "#### Acceptance Criteria"`);
        continue;
      }
      if (Number(num) !== criterion + 1) problems.push(`criterion ${requirement}.${num} is out of sequence (expected ${requirement}.${criterion + 1})`);
      criterion += 1;
      const id = `${requirement}.${criterion}`;
      criteria.push(id);
      if (!EARS.test(sentence!)) problems.push(`criterion ${id} is not an EARS sentence (WHEN/WHILE/WHERE ..., [IF ..., THEN] THE <Component> SHALL ...): "${sentence!.slice(0, 60)}..."`);
      const component = /\bTHE (\S+) SHALL\b/.exec(sentence!)?.[1];
      if (component !== undefined && !terms.has(component)) problems.push(`criterion ${id}: component "${component}" is not in the Glossary`);
    }
  }
  closeRequirement();
  if (requirement === 0) problems.push('requirements.md has no "### Requirement N: Title"');
  return { problems, criteria };
}

/** `1.1, 2.3` -> IDs; a malformed list is reported as such. */
function referencesIn(list: string): string[] | undefined {
  return /^\d+\.\d+(?:, \d+\.\d+)*$/.test(list) ? list.split(', ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// design.md

const DESIGN_SECTIONS = ['Overview', 'Architecture', 'Components and Interfaces', 'Data Models', 'Correctness Properties', 'Error Handling', 'Testing Strategy'];

/** The lines of the `## <name>` section, without its heading. */
function section(lines: readonly string[], name: string): string[] {
  const start = lines.indexOf(`## ${name}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function checkDesign(text: string, criteria: readonly string[]): string[] {
  const lines = linesOf(text);
  const problems: string[] = [];
  if (!lines[0]?.startsWith('# Design Document')) problems.push('design.md does not start with "# Design Document"');
  const sections = lines.filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim());
  const order = DESIGN_SECTIONS.map((s) => sections.indexOf(s));
  const missing = DESIGN_SECTIONS.filter((_s, i) => order[i]! < 0);
  if (missing.length > 0) problems.push(`design.md lacks the section(s) ${missing.join(', ')}`);
  else if (order.some((o, i) => i > 0 && o < order[i - 1]!)) problems.push(`design.md sections are out of order: expected ${DESIGN_SECTIONS.join(', ')}`);
  if (!section(lines, 'Architecture').includes('```mermaid')) problems.push('design.md has no ```mermaid diagram under Architecture');

  const props = section(lines, 'Correctness Properties');
  const starts = props.flatMap((l, i) => (l.startsWith('### ') ? [i] : []));
  if (starts.length === 0) problems.push('design.md has no "### Property N: Title" under Correctness Properties');
  starts.forEach((start, k) => {
    const heading = props[start]!;
    const m = /^### Property (\d+): \S/.exec(heading);
    if (!m) problems.push(`"${heading}" is not "### Property N: Title"`);
    else if (Number(m[1]) !== k + 1) problems.push(`"${heading}" is out of sequence (expected Property ${k + 1})`);
    const body = props.slice(start + 1, starts[k + 1]);
    const name = m ? `Property ${m[1]}` : heading;
    if (!body.some((l) => l.startsWith('For any '))) problems.push(`${name} does not state "For any ..."`);
    const validates = body.filter((l) => l.startsWith('**Validates:'));
    if (validates.length !== 1) {
      problems.push(`${name} has ${validates.length} "**Validates: Requirements N.M, ...**" lines, expected 1`);
      return;
    }
    const refs = referencesIn(/^\*\*Validates: Requirements (.*)\*\*$/.exec(validates[0]!)?.[1] ?? '');
    if (!refs) problems.push(`${name}: "${validates[0]}" is not "**Validates: Requirements N.M, N.M**"`);
    else for (const r of refs) if (!criteria.includes(r)) problems.push(`${name} validates ${r}, which is not a criterion of requirements.md`);
  });
  return problems;
}

/** The ```yaml blocks of a markdown text. */
function yamlBlocks(text: string): string[] {
  return [...linesOf(text).join('\n').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The project's service specs (relative paths), as packages/model lists them. */
function projectSpecs(root: string): string[] {
  return fs.readdirSync(path.join(root, 'specs')).filter((f) => /\.ya?ml$/.test(f)).map((f) => `specs/${f}`);
}

/**
 * What the spec checker finds when a design's YAML block is applied: a block with `service:` is a
 * whole spec; any other block is merged (entry by entry, under each top-level map) into the spec
 * its first line names (`# specs/<service>.yaml`), or into the project's only spec.
 */
function checkSpecSnippet(block: string, root = ROOT): string[] {
  const target = /^# (specs\/[\w-]+\.ya?ml)\s*$/m.exec(block.split('\n')[0] ?? '')?.[1];
  let snippet: unknown;
  try {
    snippet = parse(block);
  } catch (e) {
    return [`the YAML block does not parse: ${(e as Error).message.split('\n')[0]}`];
  }
  if (typeof snippet !== 'object' || snippet === null || Array.isArray(snippet)) return ['the YAML block is not a map'];
  const add = snippet as Record<string, unknown>;
  let file: string;
  let text: string;
  if ('service' in add) {
    file = target ?? `specs/${String(add['service'])}.yaml`;
    text = block;
  } else {
    const specs = projectSpecs(root);
    const into = target ?? (specs.length === 1 ? specs[0] : undefined);
    if (into === undefined) return [`the YAML block does not say which spec it extends: start it with "# specs/<service>.yaml" (specs: ${specs.join(', ')})`];
    let base: string;
    try {
      base = fs.readFileSync(path.join(root, into), 'utf8');
    } catch (e) {
      return [`cannot read ${into}, the spec the YAML block extends: ${(e as Error).message}`];
    }
    const doc = parseDocument(base);
    for (const [key, value] of Object.entries(add)) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [id, entry] of Object.entries(value)) doc.setIn([key, id], doc.createNode(entry));
      } else doc.set(key, value);
    }
    file = into;
    text = String(doc);
  }
  return checkSpecText(text, file).findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`);
}

// ---------------------------------------------------------------------------------------------
// tasks.md

const TASK = /^(?<indent> *)- \[(?<state>[ x-])\](?<optional>\*)? (?<id>\d+(?:\.\d+)?)(?<dot>\.?) (?<title>\S.*)$/;
const DETAIL = /^(?<indent> +)- (?!\[)(?<text>\S.*)$/;

interface TasksResult {
  readonly problems: string[];
  /** Every criterion referenced by a task, once. */
  readonly referenced: Set<string>;
}

/** `exists` answers for a repository path (files the tasks create need only their folder to exist). */
function checkTasks(text: string, criteria: readonly string[], scripts: Readonly<Record<string, string>>, exists: (p: string) => boolean): TasksResult {
  const lines = linesOf(text);
  const problems: string[] = [];
  const referenced = new Set<string>();
  if (lines[0] !== '# Implementation Plan') problems.push('tasks.md does not start with "# Implementation Plan"');

  interface Task { id: string; line: number; details: string[]; hasSubtasks: boolean; detailsAfterSubtasks: boolean }
  const tasks: Task[] = [];
  let top = 0;
  let sub = 0;
  let heading: string | undefined;
  let current: Task | undefined;
  let parent: Task | undefined;
  lines.slice(1).forEach((line, i) => {
    const n = i + 2;
    if (line.trim() === '') return;
    if (/^#{2,} /.test(line)) {
      heading = line;
      return;
    }
    const task = TASK.exec(line)?.groups;
    if (task) {
      if (heading?.startsWith('### ')) problems.push(`line ${n}: task ${task['id']} is under the heading "${heading}"; Kiro shows no start-task button there`);
      const isTop = task['indent'] === '' && task['dot'] === '.' && /^\d+$/.test(task['id']!);
      const isSub = task['indent'] === '  ' && task['dot'] === '' && /^\d+\.\d+$/.test(task['id']!);
      if (!isTop && !isSub) {
        problems.push(`line ${n}: "${line.trim().slice(0, 30)}" is neither "- [ ] N. Title" nor, indented two spaces, "- [ ] N.M Title"`);
        return;
      }
      if (isTop) {
        top += 1;
        sub = 0;
        if (task['id'] !== String(top)) problems.push(`line ${n}: task ${task['id']} is out of sequence (expected ${top})`);
        current = { id: task['id']!, line: n, details: [], hasSubtasks: false, detailsAfterSubtasks: false };
        parent = current;
      } else {
        sub += 1;
        if (!parent) problems.push(`line ${n}: sub-task ${task['id']} has no parent task`);
        else parent.hasSubtasks = true;
        if (task['id'] !== `${top}.${sub}`) problems.push(`line ${n}: sub-task ${task['id']} is out of sequence (expected ${top}.${sub})`);
        current = { id: task['id']!, line: n, details: [], hasSubtasks: false, detailsAfterSubtasks: false };
      }
      tasks.push(current);
      return;
    }
    const detail = DETAIL.exec(line)?.groups;
    if (detail && current) {
      const depth = current === parent ? '  ' : '    ';
      if (detail['indent'] === '  ' && parent && current !== parent) parent.detailsAfterSubtasks = true;
      else if (detail['indent'] !== depth) problems.push(`line ${n}: detail bullet indented ${detail['indent']!.length} spaces; task ${current.id} takes ${depth.length}`);
      else current.details.push(detail['text']!);
      return;
    }
    problems.push(`line ${n}: unexpected line "${line.slice(0, 40)}" (tasks, their detail bullets and blank lines only)`);
  });

  if (tasks.length === 0) problems.push('tasks.md has no task');
  for (const task of tasks) {
    if (task.detailsAfterSubtasks) problems.push(`task ${task.id}: a detail bullet follows its sub-tasks; put details before the first sub-task`);
    const reqLines = task.details.filter((d) => d.startsWith('_Requirements'));
    const last = task.details.at(-1);
    if (reqLines.length !== 1 || !last?.startsWith('_Requirements')) {
      problems.push(`task ${task.id}: expected one closing "_Requirements: N.M, ..._" line, found ${reqLines.length}${reqLines.length === 1 ? ' not at the end' : ''}`);
      continue;
    }
    const refs = referencesIn(/^_Requirements: (.*)_$/.exec(last)?.[1] ?? '');
    if (!refs) {
      problems.push(`task ${task.id}: "${last}" is not "_Requirements: N.M, N.M_"`);
      continue;
    }
    for (const r of refs) {
      if (criteria.includes(r)) referenced.add(r);
      else problems.push(`task ${task.id}: _Requirements: ${r} is not a criterion of requirements.md`);
    }
  }
  for (const c of criteria) if (!referenced.has(c)) problems.push(`criterion ${c} is referenced by no task`);

  for (const [, code] of text.matchAll(/`([^`\n]+)`/g)) {
    if (/^(?:src|test|specs|infra|tools|docs)\/\S*$/.test(code!) && !exists(code!) && !exists(path.posix.dirname(code!))) problems.push(`tasks.md names ${code}, and neither it nor its folder exists`);
    for (const m of code!.matchAll(/\bnpm (?:run (\S+)|(test|start)\b)/g)) {
      const script = m[1] ?? m[2]!;
      if (!(script in scripts)) problems.push(`tasks.md runs npm script "${script}", which is not in package.json`);
    }
  }
  return { problems, referenced };
}

// ---------------------------------------------------------------------------------------------
// .config.kiro

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkConfig(text: string): string[] {
  if (text.trimEnd().includes('\n')) return ['.config.kiro is not one line'];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return [`.config.kiro is not JSON: ${(e as Error).message}`];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return ['.config.kiro is not a JSON object'];
  const c = data as Record<string, unknown>;
  const problems: string[] = [];
  const keys = Object.keys(c).sort().join(',');
  if (keys !== 'specId,specType,workflowType') problems.push(`.config.kiro has the keys ${keys}, expected specId, specType, workflowType`);
  if (typeof c['specId'] !== 'string' || !UUID.test(c['specId'])) problems.push(`specId ${JSON.stringify(c['specId'])} is not a lower-case UUID`);
  // The IDE writes requirements-first (the format reference); design-first and bugfix are its other choices.
  if (!['requirements-first', 'design-first'].includes(c['workflowType'] as string)) problems.push(`workflowType ${JSON.stringify(c['workflowType'])} is not requirements-first or design-first`);
  if (!['feature', 'bugfix'].includes(c['specType'] as string)) problems.push(`specType ${JSON.stringify(c['specType'])} is not feature or bugfix`);
  return problems;
}

// ---------------------------------------------------------------------------------------------

const existsIn = (root: string) => (p: string): boolean => fs.existsSync(path.join(root, p));
const repoPathExists = existsIn(ROOT);

/**
 * The example as a fresh clone of the template has it: the kit's copy, generated (its tasks name
 * generated files), in a temporary folder.
 */
let exampleRoot = '';
const examplePathExists = (p: string): boolean => existsIn(exampleRoot)(p);
beforeAll(async () => {
  exampleRoot = await fixtureProject('orders', 'feature-spec-example');
  const lines: string[] = [];
  expect(await generate({ root: exampleRoot, mode: 'write' }, (line) => lines.push(line)), lines.join('\n')).toBe(0);
});
afterAll(async () => {
  if (exampleRoot !== '') await rm(exampleRoot, { recursive: true, force: true });
});

describe('.kiro/specs', () => {
  it('keeps each feature spec in a kebab-case folder', () => {
    expect(FEATURES.filter((f) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(f))).toEqual([]);
  });

  describe.each(FEATURES)('%s', (feature) => {
    const files = ['requirements.md', 'design.md', 'tasks.md', '.config.kiro'];

    it('has requirements.md, design.md, tasks.md and .config.kiro', () => {
      expect(files.filter((f) => !fs.existsSync(path.join(ROOT, SPECS_DIR, feature, f)))).toEqual([]);
    });

    it('requirements.md: sections, numbered requirements with user stories, EARS criteria N.M with glossary components', () => {
      const { problems, criteria } = checkRequirements(read(feature, 'requirements.md'));
      expect(problems).toEqual([]);
      expect(criteria.length).toBeGreaterThan(0);
    });

    it('design.md: the sections, a mermaid diagram, correctness properties whose Validates references resolve', () => {
      const { criteria } = checkRequirements(read(feature, 'requirements.md'));
      expect(checkDesign(read(feature, 'design.md'), criteria)).toEqual([]);
    });

    it('design.md: every spec YAML block is valid in the current spec format once applied to the spec it extends', () => {
      const blocks = yamlBlocks(read(feature, 'design.md'));
      expect(blocks.flatMap((b, i) => checkSpecSnippet(b).map((p) => `block ${i + 1}: ${p}`))).toEqual([]);
    });

    it('tasks.md: well formed, every _Requirements: reference resolves, every criterion is covered, named files and npm scripts exist', () => {
      const { criteria } = checkRequirements(read(feature, 'requirements.md'));
      expect(checkTasks(read(feature, 'tasks.md'), criteria, SCRIPTS, repoPathExists).problems).toEqual([]);
    });

    it('.config.kiro parses: one line of JSON with specId, workflowType and specType', () => {
      expect(checkConfig(read(feature, '.config.kiro'))).toEqual([]);
    });
  });

  it(`${EXAMPLE}: the tasks name the spec, the handlers, their tests, the scenario and the commands that check them`, () => {
    const tasks = read(EXAMPLE, 'tasks.md', EXAMPLE_PROJECT);
    const named = ['specs/orders.yaml', 'src/handlers/orders/cancel-order.ts', 'src/handlers/orders/refund-order.ts', 'test/handlers/orders/cancel-order.test.ts', 'test/handlers/orders/refund-order.test.ts', 'specs/orders.scenario.ts', 'npm run spec:check', 'npm run generate', 'npm test', 'npm start', 'npm run synth', 'npm run check'];
    expect(named.filter((n) => !tasks.includes(n))).toEqual([]);
    expect(yamlBlocks(read(EXAMPLE, 'design.md', EXAMPLE_PROJECT)).length).toBeGreaterThan(0);
  });
});

describe('the feature-spec checks fail on broken copies of the example', () => {
  const requirements = read(EXAMPLE, 'requirements.md', EXAMPLE_PROJECT);
  const design = read(EXAMPLE, 'design.md', EXAMPLE_PROJECT);
  const tasks = read(EXAMPLE, 'tasks.md', EXAMPLE_PROJECT);
  const config = read(EXAMPLE, '.config.kiro', EXAMPLE_PROJECT);
  const { criteria } = checkRequirements(requirements);
  /** Replaces `from` (which must occur) in `text`. */
  const edit = (text: string, from: string | RegExp, to: string): string => {
    expect(typeof from === 'string' ? text.includes(from) : from.test(text), `the example no longer contains ${String(from)}`).toBe(true);
    return text.replace(from, to);
  };

  it('accepts the example itself', () => {
    expect(checkRequirements(requirements).problems).toEqual([]);
    expect(checkDesign(design, criteria)).toEqual([]);
    expect(yamlBlocks(design).flatMap((b) => checkSpecSnippet(b, exampleRoot))).toEqual([]);
    expect(checkTasks(tasks, criteria, SCRIPTS, examplePathExists).problems).toEqual([]);
    expect(checkConfig(config)).toEqual([]);
  });

  it.each([
    ['a wrong title', () => edit(requirements, '# Requirements Document', '# Requirements'), 'does not start with'],
    ['a missing Glossary', () => edit(requirements, '## Glossary', '## Terms'), 'sections are'],
    ['a requirement out of sequence', () => edit(requirements, '### Requirement 2:', '### Requirement 3:'), 'out of sequence (expected Requirement 2)'],
    ['a requirement heading without number', () => edit(requirements, '### Requirement 4: ', '### Requirement: '), 'is not "### Requirement N: Title"'],
    ['a missing user story', () => edit(requirements, /\*\*User Story:\*\* As a customer, I want to cancel[^\n]*\n/, ''), 'Requirement 1 has no "**User Story:**'],
    ['a user story without "so that"', () => edit(requirements, ', so that I am not charged', ' because I am not charged'), 'Requirement 1: the user story is not'],
    ['a criterion that is not EARS', () => edit(requirements, '2. THE Cancel_Endpoint SHALL change the status', '2. The endpoint changes the status'), 'criterion 1.2 is not an EARS sentence'],
    ['an IF without THEN', () => edit(requirements, 'characters, THEN THE Cancel_Endpoint', 'characters, THE Cancel_Endpoint'), 'criterion 1.3 is not an EARS sentence'],
    ['a criterion out of sequence', () => edit(requirements, '2. THE Cancel_Endpoint SHALL change', '3. THE Cancel_Endpoint SHALL change'), 'criterion 1.3 is out of sequence (expected 1.2)'],
    ['a component missing from the glossary', () => edit(requirements, 'THE Notifier SHALL record a notification that names the order and the amount refunded', 'THE Mailer SHALL record a notification'), 'component "Mailer" is not in the Glossary'],
    ['criteria without their heading', () => edit(requirements, /(### Requirement 7[\s\S]*?)#### Acceptance Criteria\n/, '$1'), 'is not under "#### Acceptance Criteria"'],
  ])('requirements.md: reports %s', (_what, broken, problem) => {
    expect(checkRequirements(broken()).problems.join('\n')).toContain(problem);
  });

  it.each([
    ['a wrong title', () => edit(design, '# Design Document', '# Design'), 'does not start with "# Design Document"'],
    ['a missing section', () => edit(design, '## Error Handling', '## Failures'), 'lacks the section(s) Error Handling'],
    ['sections out of order', () => edit(edit(design, '## Overview', '## Xoverview'), '## Testing Strategy', '## Testing Strategy\n\n## Overview'), 'out of order'],
    ['no mermaid diagram', () => design.replaceAll('```mermaid', '```text'), 'no ```mermaid diagram'],
    ['a property out of sequence', () => edit(design, '### Property 2:', '### Property 5:'), 'out of sequence (expected Property 2)'],
    ['a property without "For any"', () => edit(design, /For any Order and any interleaving/, 'Given an Order and any interleaving'), 'Property 1 does not state "For any ..."'],
    ['a property without Validates', () => edit(design, '**Validates: Requirements 3.1**', ''), 'Property 3 has 0'],
    ['a Validates reference to no criterion', () => edit(design, '**Validates: Requirements 3.1**', '**Validates: Requirements 3.1, 9.9**'), 'Property 3 validates 9.9'],
    ['a malformed Validates line', () => edit(design, '**Validates: Requirements 3.1**', '**Validates: Requirement 3.1**'), 'is not "**Validates: Requirements N.M, N.M**"'],
  ])('design.md: reports %s', (_what, broken, problem) => {
    expect(checkDesign(broken(), criteria).join('\n')).toContain(problem);
  });

  it.each([
    ['an unquoted {param} path in a flow map', (b: string) => edit(b, "path: '/orders/{orderId}/cancel'", 'path: /orders/{orderId}/cancel'), 'does not parse'],
    ['a consumed queue without dead-letter queue', (b: string) => edit(b, '    deadLetter: { maxReceiveCount: 5 }\n', ''), 'LBP-ERR-SQS-DLQ'],
    ['an idempotency key the trigger cannot have', (b: string) => edit(b, 'key: body.eventId', 'key: Sns.MessageId'), 'SPEC-IDEMPOTENCY'],
    ['a key the format does not know', (b: string) => edit(b, 'timeoutSeconds: 20', 'timeout: 20'), 'SPEC-UNKNOWN-KEY'],
    ['a route another function serves', (b: string) => edit(b, "path: '/orders/{orderId}/cancel'", 'path: /orders'), 'SPEC-HTTP-ROUTE'],
  ])('design.md spec YAML: reports %s', (_what, breakIt, problem) => {
    const block = yamlBlocks(design).find((b) => b.includes('cancelOrder:'))!;
    expect(checkSpecSnippet(block, exampleRoot)).toEqual([]);
    expect(checkSpecSnippet(breakIt(block), exampleRoot).join('\n')).toContain(problem);
  });

  it('design.md spec YAML: a block for an unknown target spec is reported', () => {
    expect(checkSpecSnippet('# specs/nowhere.yaml\nqueues: {}\n').join('\n')).toContain('cannot read specs/nowhere.yaml');
  });

  it.each([
    ['a wrong title', () => edit(tasks, '# Implementation Plan', '# Tasks'), 'does not start with "# Implementation Plan"'],
    ['tasks under a ### heading', () => edit(tasks, '- [ ] 2. Extend', '### Model\n\n- [ ] 2. Extend'), 'is under the heading "### Model"'],
    ['a sub-task indented four spaces', () => edit(tasks, '  - [ ] 2.1 Add', '    - [ ] 2.1 Add'), 'is neither'],
    ['a top-level task without its dot', () => edit(tasks, '- [ ] 7. Tell', '- [ ] 7 Tell'), 'is neither'],
    ['a task out of sequence', () => edit(tasks, '- [ ] 3. Publish', '- [ ] 4. Publish'), 'task 4 is out of sequence (expected 3)'],
    ['a sub-task numbered for another parent', () => edit(tasks, '  - [ ] 2.2 Update', '  - [ ] 3.2 Update'), 'sub-task 3.2 is out of sequence (expected 2.2)'],
    ['a task without _Requirements', () => edit(tasks, /(- \[ \] 9\. Checkpoint[\s\S]*?) {2}- _Requirements: 8\.3_\n/, '$1'), 'task 9: expected one closing'],
    ['a _Requirements line that is not last', () => edit(tasks, /(- \[ \] 9\. Checkpoint[^\n]*\n)( {2}- Run[^\n]*\n)( {2}- _Requirements: 8\.3_\n)/, '$1$3$2'), 'not at the end'],
    ['a malformed _Requirements list', () => edit(tasks, '_Requirements: 7.1, 7.2_', '_Requirements: 7.1,7.2_'), 'is not "_Requirements: N.M, N.M_"'],
    ['a reference to no criterion', () => edit(tasks, '_Requirements: 7.1, 7.2_', '_Requirements: 7.1, 7.3_'), '_Requirements: 7.3 is not a criterion'],
    ['a criterion no task covers', () => edit(tasks, '_Requirements: 7.1, 7.2_', '_Requirements: 7.1_'), 'criterion 7.2 is referenced by no task'],
    ['a detail bullet after the sub-tasks', () => edit(tasks, /( {4}- _Requirements: 4\.3_\n)(\n- \[ \] 3\.)/, '$1  - A stray detail\n$2'), 'task 2: a detail bullet follows its sub-tasks'],
    ['a detail bullet at the wrong depth', () => edit(tasks, '    - A change that keeps the status publishes nothing', '      - A change that keeps the status publishes nothing'), 'detail bullet indented 6 spaces'],
    ['a stray paragraph', () => edit(tasks, '- [ ] 10. Exercise', 'Some prose between tasks.\n\n- [ ] 10. Exercise'), 'unexpected line'],
    ['a file in a folder that does not exist', () => edit(tasks, '`src/handlers/orders/payments.ts`', '`src/handler/orders/payments.ts`'), 'names src/handler/orders/payments.ts'],
    ['an npm script that does not exist', () => edit(tasks, '`npm run synth`', '`npm run synthesize`'), 'npm script "synthesize"'],
  ])('tasks.md: reports %s', (_what, broken, problem) => {
    expect(checkTasks(broken(), criteria, SCRIPTS, examplePathExists).problems.join('\n')).toContain(problem);
  });

  it('tasks.md: reports a criterion added to requirements.md that no task covers', () => {
    const more = edit(requirements, /(2\. WHEN the Notifier receives an `OrderRefunded` event[^\n]*\n)/, '$13. WHEN the Notifier fails, THE Notifier SHALL retry.\n');
    const extended = checkRequirements(more);
    expect(extended.problems).toEqual([]);
    expect(checkTasks(tasks, extended.criteria, SCRIPTS, examplePathExists).problems).toEqual(['criterion 7.3 is referenced by no task']);
  });

  it.each([
    ['two lines', `${config}\n{}`, 'not one line'],
    ['not JSON', "{'specId': 1}", 'not JSON'],
    ['an extra key', config.replace('}', ',"name":"x"}'), 'has the keys'],
    ['a specId that is no UUID', config.replace(/"specId":"[^"]+"/, '"specId":"order-cancellation"'), 'is not a lower-case UUID'],
    ['an unknown workflow', config.replace('requirements-first', 'tasks-first'), 'workflowType "tasks-first"'],
    ['an unknown spec type', config.replace('"feature"', '"epic"'), 'specType "epic"'],
  ])('.config.kiro: reports %s', (_what, text, problem) => {
    expect(checkConfig(text).join('\n')).toContain(problem);
  });
});
