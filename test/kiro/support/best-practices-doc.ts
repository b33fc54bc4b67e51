/**
 * Parser of docs/best-practices.md, the practice catalog. The format (also described at the top of
 * the document):
 *
 * ```md
 * ## LBP-ERR-SQS-DLQ — Title
 *
 * **What.** One paragraph.
 *
 * **Why.** One paragraph.
 *
 * **Taught in:** `.kiro/steering/error-handling.md`, `.kiro/steering/spec-workflow.md`
 *
 * **Enforced by:**
 * - spec rule `LBP-ERR-SQS-DLQ` — `packages/model/test/rules.test.ts` › reports $rule for $name
 * - lint rule `lambda/no-client-in-handler` — `packages/eslint-plugin/test/no-client-in-handler.test.ts`
 * - cdk-nag `Serverless-SQSRedrivePolicy` — `packages/constructs/test/nag.test.ts` › <test title>
 * - test `packages/generate/test/synthesized-stacks.test.ts` › <test title>
 * ```
 *
 * A test title runs to the end of its line, exactly as written in the test file. Anything the
 * parser cannot read inside a practice section is reported as a problem rather than skipped.
 */

export const CHECK_KINDS = ['spec rule', 'lint rule', 'cdk-nag', 'test'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface Check {
  readonly kind: CheckKind;
  /** The rule ID (spec rule, lint rule, cdk-nag), or the test file (test). */
  readonly subject: string;
  /** The test file that shows the check fails when it should. */
  readonly file: string;
  /** The title of one test in `file`, as written there; undefined for the file as a whole. */
  readonly title: string | undefined;
  /** 1-based line in the document. */
  readonly line: number;
}

export interface PracticeSection {
  readonly id: string;
  readonly title: string;
  readonly line: number;
  readonly what: string;
  readonly why: string;
  readonly taughtIn: readonly string[];
  readonly checks: readonly Check[];
}

export interface CatalogDocument {
  readonly sections: readonly PracticeSection[];
  /** `line N: what is wrong`, for everything the parser could not read. */
  readonly problems: readonly string[];
}

const SECTION = /^## (LBP(?:-[A-Z0-9]+)+) — (\S.*)$/;
const CHECK = new RegExp(`^- (${CHECK_KINDS.join('|')}) \`([^\`]+)\`(?: — \`([^\`]+)\`)?(?: › (\\S.*))?$`);
const LABELLED = /^\*\*(What\.|Why\.|Taught in:|Enforced by:)\*\*\s*(.*)$/;

export function parseCatalog(markdown: string): CatalogDocument {
  const lines = markdown.split(/\r?\n/);
  const sections: PracticeSection[] = [];
  const problems: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const text = lines[index]!;
    if (!text.startsWith('## ')) {
      index += 1;
      continue;
    }
    const heading = SECTION.exec(text);
    const start = index;
    index += 1;
    if (!heading) {
      if (/^## LBP/.test(text)) problems.push(`line ${start + 1}: "${text}" is not "## <ID> — <title>"`);
      continue;
    }
    const body: { line: number; text: string }[] = [];
    while (index < lines.length && !lines[index]!.startsWith('## ')) {
      body.push({ line: index + 1, text: lines[index]! });
      index += 1;
    }
    sections.push(parseSection(heading[1]!, heading[2]!, start + 1, body, problems));
  }
  return { sections, problems };
}

function parseSection(id: string, title: string, line: number, body: readonly { line: number; text: string }[], problems: string[]): PracticeSection {
  const fields = new Map<string, string>();
  const checks: Check[] = [];
  let current: string | undefined;
  for (const { line: at, text } of body) {
    const labelled = LABELLED.exec(text);
    if (labelled) {
      current = labelled[1]!;
      if (fields.has(current)) problems.push(`line ${at}: ${id} has a second **${current}**`);
      fields.set(current, labelled[2]!.trim());
      continue;
    }
    if (text.trim() === '') continue;
    if (current === 'Enforced by:') {
      const check = CHECK.exec(text);
      if (!check) {
        problems.push(`line ${at}: ${id}: "${text}" is not "- <${CHECK_KINDS.join('|')}> \`<rule or file>\` [— \`<test file>\`] [› <test title>]"`);
        continue;
      }
      const [, kind, subject, file, testTitle] = check;
      if (kind === 'test' && file !== undefined) problems.push(`line ${at}: ${id}: a test check names its file once: - test \`<file>\` › <title>`);
      if (kind !== 'test' && file === undefined) problems.push(`line ${at}: ${id}: a ${kind} check names the test file that exercises it: — \`<file>\``);
      checks.push({ kind: kind as CheckKind, subject: subject!, file: kind === 'test' ? subject! : file ?? '', title: testTitle, line: at });
    } else if (current === 'What.' || current === 'Why.') {
      fields.set(current, `${fields.get(current)!} ${text.trim()}`.trim());
    } else {
      problems.push(`line ${at}: ${id}: unexpected text${current ? ` after **${current}**` : ' before **What.**'}: "${text}"`);
    }
  }
  for (const label of ['What.', 'Why.', 'Taught in:', 'Enforced by:']) {
    if (!fields.has(label)) problems.push(`line ${line}: ${id} has no **${label}**`);
  }
  const taught = fields.get('Taught in:') ?? '';
  return {
    id,
    title,
    line,
    what: fields.get('What.') ?? '',
    why: fields.get('Why.') ?? '',
    taughtIn: [...taught.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
    checks,
  };
}
