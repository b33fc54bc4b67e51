/**
 * The Kiro hooks of .kiro/hooks/*.json: every file is a valid v1 hook file (triggers, action types,
 * matchers that compile), every `npm run <script>` in a command exists, and the four hooks the project
 * promises are there, with matchers that fire on the intended paths (relative or absolute, as the IDE
 * may pass either) and timeouts that fit what they run. Each check is also run once on a broken copy,
 * to show it can fail. Then the scripts of the loop: one per test tier of vitest.config.ts, the save
 * hooks' lint and unit tests of what changed, the Stop hook's fast tier (`check:fast`) beside CI's
 * `check`. Last, how the script behind the lint hook (packages/kiro/src/lint-changed.ts) picks files.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedFiles, ESLINT_CACHE_LOCATION, selectLintable } from '@kiro-serverless/kiro/lint-changed';
import vitestConfig from '../../vitest.config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOOKS_DIR = path.join(ROOT, '.kiro/hooks');
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

// ---------------------------------------------------------------------------------------------
// The v1 format (see the hooks section of the Kiro formats reference).

const TRIGGERS = [
  'SessionStart', 'Stop', 'PreToolUse', 'PostToolUse', 'PreTaskExec', 'PostTaskExec',
  'UserPromptSubmit', 'PostFileCreate', 'PostFileSave', 'PostFileDelete', 'Manual',
] as const;
/** Triggers whose matcher is a regex on a file path. */
const FILE_TRIGGERS: readonly string[] = ['PostFileCreate', 'PostFileSave', 'PostFileDelete'];
/** Triggers whose matcher is a regex on a tool name (`fs_write`, `execute_bash`, ...). */
const TOOL_TRIGGERS: readonly string[] = ['PreToolUse', 'PostToolUse'];
const HOOK_KEYS = new Set(['name', 'description', 'trigger', 'matcher', 'action', 'timeout', 'enabled']);

interface Hook {
  readonly name: string;
  readonly description?: string;
  readonly trigger: string;
  readonly matcher?: string;
  readonly action: { readonly type: 'command'; readonly command: string } | { readonly type: 'agent'; readonly prompt: string };
  readonly timeout: number;
  readonly enabled?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The scripts a shell command runs through npm: `npm run x`, `npm run-script x`, `npm test`, `npm start`. */
function npmScriptsIn(command: string): string[] {
  const scripts: string[] = [];
  for (const m of command.matchAll(/\bnpm\s+(?:run|run-script)\s+(?:-{1,2}[\w-]+\s+)*([^\s&|;)]+)/g)) scripts.push(m[1]!);
  for (const m of command.matchAll(/\bnpm\s+(test|start)\b/g)) scripts.push(m[1]!);
  return scripts;
}

/** What is wrong with one hook file's text; `[]` when it is a valid v1 file whose npm scripts exist. */
function hookFileProblems(text: string, scripts: Readonly<Record<string, string>>): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return [`not JSON: ${(e as Error).message}`];
  }
  if (!isRecord(data)) return ['the file is not a JSON object'];
  const problems: string[] = [];
  if (data['version'] !== 'v1') problems.push(`version is ${JSON.stringify(data['version'])}, not "v1"`);
  const hooks = data['hooks'];
  if (!Array.isArray(hooks) || hooks.length === 0) return [...problems, 'hooks is not a non-empty array'];
  hooks.forEach((hook: unknown, i) => {
    const at = `hooks[${i}]`;
    if (!isRecord(hook)) {
      problems.push(`${at} is not an object`);
      return;
    }
    for (const key of Object.keys(hook)) if (!HOOK_KEYS.has(key)) problems.push(`${at}: unknown key "${key}" (v1 keys: ${[...HOOK_KEYS].join(', ')})`);
    if (!nonEmpty(hook['name'])) problems.push(`${at}: name is missing or empty`);
    if (hook['description'] !== undefined && !nonEmpty(hook['description'])) problems.push(`${at}: description is not a non-empty string`);
    const trigger = hook['trigger'];
    if (typeof trigger !== 'string' || !(TRIGGERS as readonly string[]).includes(trigger)) problems.push(`${at}: trigger ${JSON.stringify(trigger)} is not one of ${TRIGGERS.join(', ')}`);
    const matcher = hook['matcher'];
    if (matcher !== undefined) {
      if (typeof trigger === 'string' && !FILE_TRIGGERS.includes(trigger) && !TOOL_TRIGGERS.includes(trigger)) problems.push(`${at}: trigger ${trigger} takes no matcher`);
      if (!nonEmpty(matcher)) problems.push(`${at}: matcher is not a non-empty string`);
      else {
        try {
          new RegExp(matcher);
        } catch (e) {
          problems.push(`${at}: matcher is not a valid regular expression: ${(e as Error).message}`);
        }
      }
    }
    const action = hook['action'];
    if (!isRecord(action)) problems.push(`${at}: action is missing`);
    else if (action['type'] === 'command') {
      if (!nonEmpty(action['command'])) problems.push(`${at}: a command action needs a command`);
      else for (const script of npmScriptsIn(action['command'])) if (!(script in scripts)) problems.push(`${at}: npm script "${script}" is not in package.json`);
    } else if (action['type'] === 'agent') {
      if (!nonEmpty(action['prompt'])) problems.push(`${at}: an agent action needs a prompt`);
    } else problems.push(`${at}: action.type ${JSON.stringify(action['type'])} is not "command" or "agent"`);
    const timeout = hook['timeout'];
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) problems.push(`${at}: timeout ${JSON.stringify(timeout)} is not a positive number of seconds`);
    if (hook['enabled'] !== undefined && typeof hook['enabled'] !== 'boolean') problems.push(`${at}: enabled is not a boolean`);
  });
  return problems;
}

function readHookFiles(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

const hookFiles = readHookFiles(HOOKS_DIR);
/** Valid files only: the file test above reports the others. */
const hooks: Hook[] = hookFiles.filter((f) => hookFileProblems(f.text, SCRIPTS).length === 0).flatMap((f) => (JSON.parse(f.text) as { hooks: Hook[] }).hooks);

// ---------------------------------------------------------------------------------------------
// The hooks the project promises (issue 7), with the paths their matchers must and must not match.

/** A path as the IDE might pass it: relative to the workspace, absolute (POSIX) or absolute (Windows). */
const forms = (p: string): string[] => [p, `/home/dev/kiro-serverless-starter/${p}`, `C:\\Users\\dev\\kiro-serverless-starter\\${p.replaceAll('/', '\\')}`];

const TS_FILES = ['src/handlers/orders/create-order.ts', 'test/handlers/orders/create-order.test.ts', 'packages/model/src/cli.ts', 'infra/app.ts', 'specs/orders.scenario.ts', 'vitest.config.ts', 'tools/x/module.mts', 'tools/x/common.cts'];
const NOT_TS_FILES = ['specs/orders.yaml', 'README.md', 'package.json', 'tsconfig.json', 'docs/spec.md', 'node_modules/.cache/tsconfig.tsbuildinfo', 'src/handlers/orders/create-order.ts.orig'];
const SPEC_FILES = ['specs/orders.yaml', 'specs/billing.yml', 'specs/order-intake.yaml'];
const NOT_SPEC_FILES = ['packages/fixtures/specs/billing.yaml', 'specs/schema/service.schema.json', 'specs/orders.scenario.ts', 'specs/fixtures/orders/catalog.yaml', '.github/workflows/ci.yml', 'docs/spec.md', 'myspecs/orders.yaml', 'specs/orders.yaml.bak'];

interface Expected {
  readonly what: string;
  readonly trigger: string;
  readonly command: string;
  readonly matches?: readonly string[];
  readonly rejects?: readonly string[];
  /**
   * Timeout bounds in seconds, from the command's time measured on a 2-core machine shared with other
   * work (load 2-6; docs/benchmarks.md has the bench's figures): lint:changed 1-2 s (nothing changed)
   * to 4-6 s (a changed handler: a narrow program) and 10-30 s when many kit files changed;
   * test:changed 1 s (no related test) to 3-4 s (a changed handler), 30 s for the whole unit tier
   * (package.json or vitest.config.ts changed); spec:check + generate 5 s; check:fast 50-60 s (lint of
   * changed files, tsc -b warm 11-16 s or cold 26 s, generate --check, 35-40 s of tests), up to 2
   * minutes on a busy machine. The lower bounds keep a timeout from cutting a slow run short.
   */
  readonly minTimeout: number;
  readonly maxTimeout: number;
}

const EXPECTED: readonly Expected[] = [
  { what: 'lint on save of TypeScript', trigger: 'PostFileSave', command: 'npm run lint:changed', matches: TS_FILES, rejects: NOT_TS_FILES, minTimeout: 60, maxTimeout: 300 },
  { what: 'related unit tests on save of TypeScript', trigger: 'PostFileSave', command: 'npm run test:changed', matches: TS_FILES, rejects: NOT_TS_FILES, minTimeout: 60, maxTimeout: 300 },
  { what: 'spec check and generate on save of a spec', trigger: 'PostFileSave', command: 'npm run spec:check && npm run generate', matches: SPEC_FILES, rejects: NOT_SPEC_FILES, minTimeout: 20, maxTimeout: 300 },
  { what: 'fast check on Stop', trigger: 'Stop', command: 'npm run check:fast', minTimeout: 180, maxTimeout: 900 },
];

/** What is wrong with a set of hooks against one expected hook; `[]` when exactly one enabled hook fits. */
function expectedHookProblems(all: readonly Hook[], expected: Expected): string[] {
  const found = all.filter((h) => h.trigger === expected.trigger && h.action.type === 'command' && h.action.command === expected.command && h.enabled !== false);
  if (found.length !== 1) return [`${expected.what}: ${found.length} enabled ${expected.trigger} hook(s) run \`${expected.command}\`, expected 1`];
  const hook = found[0]!;
  const problems: string[] = [];
  if (hook.timeout < expected.minTimeout || hook.timeout > expected.maxTimeout) problems.push(`${expected.what}: timeout ${hook.timeout} s is outside ${expected.minTimeout}-${expected.maxTimeout} s`);
  if (expected.matches) {
    if (hook.matcher === undefined) return [...problems, `${expected.what}: no matcher, so it fires on every file`];
    const regex = new RegExp(hook.matcher);
    const missed = expected.matches.flatMap(forms).filter((p) => !regex.test(p));
    const extra = (expected.rejects ?? []).flatMap(forms).filter((p) => regex.test(p));
    if (missed.length > 0) problems.push(`${expected.what}: matcher ${hook.matcher} misses ${missed.join(', ')}`);
    if (extra.length > 0) problems.push(`${expected.what}: matcher ${hook.matcher} also matches ${extra.join(', ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('.kiro/hooks', () => {
  it('holds hook files', () => {
    expect(hookFiles.map((f) => f.file).length).toBeGreaterThan(0);
  });

  it.each(hookFiles.map((f) => [f.file, f.text] as const))('%s is a valid v1 hook file whose npm scripts exist', (_file, text) => {
    expect(hookFileProblems(text, SCRIPTS)).toEqual([]);
  });

  it('gives every hook its own name', () => {
    const names = hooks.map((h) => h.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(EXPECTED.map((e) => [e.what, e] as const))('has the hook: %s', (_what, expected) => {
    expect(expectedHookProblems(hooks, expected)).toEqual([]);
  });

  it('runs commands that do not depend on the saved path (the IDE may leave tool_input empty)', () => {
    const commands = hooks.flatMap((h) => (h.action.type === 'command' ? [h.action.command] : []));
    expect(commands.filter((c) => /tool_input|\$\{?\w*(?:FILE|PATH)\w*\}?|\bjq\b/i.test(c))).toEqual([]);
  });
});

describe('the hook checks fail on broken hook files', () => {
  const valid = {
    version: 'v1',
    hooks: [{ name: 'Lint', trigger: 'PostFileSave', matcher: '\\.ts$', action: { type: 'command', command: 'npm run lint' }, timeout: 60, enabled: true }],
  };
  const withHook = (patch: Record<string, unknown>): string => JSON.stringify({ ...valid, hooks: [{ ...valid.hooks[0], ...patch }] });

  it('accepts the valid copy (so each broken one fails for its own reason)', () => {
    expect(hookFileProblems(JSON.stringify(valid), SCRIPTS)).toEqual([]);
    expect(hookFileProblems(withHook({ trigger: 'PreToolUse', matcher: 'fs_write|str_replace', action: { type: 'agent', prompt: 'Update the tests.' } }), SCRIPTS)).toEqual([]);
  });

  it.each([
    ['not JSON', '{ "version": "v1", hooks: [] }', 'not JSON'],
    ['a wrong version', JSON.stringify({ ...valid, version: '1' }), 'not "v1"'],
    ['no hooks', JSON.stringify({ version: 'v1', hooks: [] }), 'non-empty array'],
    ['the old when/then format', withHook({ when: { type: 'fileEdited' } }), 'unknown key "when"'],
    ['a hook without a name', withHook({ name: '' }), 'name is missing'],
    ['an unknown trigger', withHook({ trigger: 'OnSave' }), 'trigger "OnSave" is not one of'],
    ['a matcher that is not a regex', withHook({ matcher: '*.ts' }), 'not a valid regular expression'],
    ['a matcher on a trigger that takes none', withHook({ trigger: 'Stop' }), 'takes no matcher'],
    ['an unknown action type', withHook({ action: { type: 'shell', command: 'npm run lint' } }), 'is not "command" or "agent"'],
    ['a command action without command', withHook({ action: { type: 'command', prompt: 'lint' } }), 'needs a command'],
    ['an agent action without prompt', withHook({ action: { type: 'agent', command: 'npm run lint' } }), 'needs a prompt'],
    ['a missing npm script', withHook({ action: { type: 'command', command: 'npm run lint && npm run lint:fast' } }), 'npm script "lint:fast" is not in package.json'],
    ['a zero timeout', withHook({ timeout: 0 }), 'not a positive number'],
    ['a timeout given as text', withHook({ timeout: '60' }), 'not a positive number'],
    ['an enabled flag that is not a boolean', withHook({ enabled: 'yes' }), 'enabled is not a boolean'],
  ])('reports %s', (_what, text, problem) => {
    expect(hookFileProblems(text, SCRIPTS).join('\n')).toContain(problem);
  });

  it('finds the npm scripts of a command in all their spellings', () => {
    expect(npmScriptsIn('npm run spec:check && npm run --silent generate -- --check; npm test && npm start | npm run-script lint')).toEqual(['spec:check', 'generate', 'lint', 'test', 'start']);
  });

  it('reports a missing promised hook, a disabled one, a bad timeout and matchers too narrow or too wide', () => {
    const lint = hooks.find((h) => h.action.type === 'command' && h.action.command === 'npm run lint:changed')!;
    const [lintExpected] = EXPECTED;
    expect(expectedHookProblems([], lintExpected!).join('\n')).toContain('0 enabled PostFileSave hook(s)');
    expect(expectedHookProblems([{ ...lint, enabled: false }], lintExpected!).join('\n')).toContain('0 enabled');
    expect(expectedHookProblems([{ ...lint, timeout: 10 }], lintExpected!).join('\n')).toContain('timeout 10 s is outside');
    expect(expectedHookProblems([{ ...lint, matcher: '^src/.*\\.ts$' }], lintExpected!).join('\n')).toContain('misses /home/dev/kiro-serverless-starter/src/handlers');
    expect(expectedHookProblems([{ ...lint, matcher: '\\.ts' }], lintExpected!).join('\n')).toContain('also matches node_modules/.cache/tsconfig.tsbuildinfo');
    const spec = hooks.find((h) => h.action.type === 'command' && h.action.command.startsWith('npm run spec:check'))!;
    expect(expectedHookProblems([{ ...spec, matcher: 'specs/.*\\.ya?ml$' }], EXPECTED[2]!).join('\n')).toContain('also matches packages/fixtures/specs/billing.yaml');
    expect(expectedHookProblems([{ ...spec, matcher: undefined }], EXPECTED[2]!).join('\n')).toContain('no matcher');
  });
});

/** The steps of a script made of `npm run` steps joined by `&&`, e.g. `check:fast`. */
const stepsOf = (script: string | undefined): string[] => (script ?? '').split('&&').map((step) => step.trim());

/** The tiers of vitest.config.ts, by project name. */
const TIERS = (vitestConfig.test?.projects ?? []).map((project) => {
  const name = typeof project === 'object' && 'test' in project ? project.test?.name : undefined;
  return typeof name === 'object' ? name.label : name;
});

describe('the scripts the hooks run', () => {
  it('runs every tier with npm test, and each tier alone with npm run test:<tier>', () => {
    expect(TIERS).toEqual(['unit', 'integration', 'e2e']);
    expect(SCRIPTS['test']).toBe('vitest run');
    for (const tier of TIERS) expect(SCRIPTS[`test:${String(tier)}`], String(tier)).toBe(`vitest run --project ${String(tier)}`);
  });

  it('lint:changed uses the cache of npm run lint, and test:changed runs the unit tests related to changed files', () => {
    expect(SCRIPTS['lint']).toContain(`--cache-location ${ESLINT_CACHE_LOCATION}`);
    expect(SCRIPTS['lint:changed']).toBe('tsx packages/kiro/src/lint-changed.ts');
    expect(SCRIPTS['test:changed']).toBe('vitest run --project unit --changed');
  });

  it('check:fast (the Stop hook) lints what changed, type-checks, checks generated files and runs the fast tests; check (CI) runs everything', () => {
    expect(stepsOf(SCRIPTS['check:fast'])).toEqual(['npm run lint:changed', 'npm run typecheck', 'npm run generate -- --check', 'npm run test:fast']);
    expect(SCRIPTS['test:fast']).toBe('tsx packages/kiro/src/test-fast.ts');
    expect(SCRIPTS['typecheck']).toBe('tsc -b');
    expect(stepsOf(SCRIPTS['check'])).toEqual(['npm run lint', 'npm run typecheck', 'npm run generate -- --check', 'npm test']);
  });

  it('selectLintable keeps TypeScript and JavaScript files, once each, sorted', () => {
    expect(selectLintable(['src/b.ts', 'README.md', 'a.mjs', 'x.cts', 'y.mts', 'v.tsx', 'specs/orders.yaml', 'src/b.ts', 'z.d.ts.map'])).toEqual(['a.mjs', 'src/b.ts', 'v.tsx', 'x.cts', 'y.mts']);
  });

  describe('changedFiles in a git work tree', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiro-lint-changed-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };

    it('is undefined outside a repository and before the first commit', () => {
      expect(changedFiles(dir)).toBeUndefined();
      git('init', '-q');
      expect(changedFiles(dir)).toBeUndefined();
    });

    it('lists modified, staged, renamed and untracked files, not deleted, unchanged or ignored ones', () => {
      for (const f of ['same.ts', 'modified.ts', 'staged.ts', 'deleted.ts', 'old-name.ts', '.gitignore']) write(f, f === '.gitignore' ? 'ignored/\n' : `export const x = '${f}';\n`);
      git('add', '-A');
      git('commit', '-q', '-m', 'start');
      write('modified.ts', 'export const x = 1;\n');
      write('staged.ts', 'export const x = 2;\n');
      git('add', 'staged.ts');
      fs.rmSync(path.join(dir, 'deleted.ts'));
      git('mv', 'old-name.ts', 'new-name.ts');
      write('sub/new file.ts', 'export {};\n');
      write('ignored/skip.ts', 'export {};\n');
      const top = fs.realpathSync(dir);
      expect(changedFiles(path.join(dir))?.map((f) => path.relative(top, f).split(path.sep).join('/')).sort()).toEqual(['modified.ts', 'new-name.ts', 'staged.ts', 'sub/new file.ts']);
    });
  });
});
