/**
 * The titles of the tests a vitest file declares, read from its syntax tree (TypeScript's parser),
 * so that docs can name a test and a meta-test can check that it exists. `it.each(...)('title')`
 * yields its title template as written (`'fails the whole batch on %s'`).
 */
import * as fs from 'node:fs';
import ts from 'typescript';

export interface DeclaredTest {
  readonly title: string;
  /** `test` for it/test, `suite` for describe/suite. */
  readonly kind: 'test' | 'suite';
  /** Declared with `.skip` or `.todo`: it runs nothing. */
  readonly skipped: boolean;
}

const TEST_FUNCTIONS = new Set(['it', 'test']);
const SUITE_FUNCTIONS = new Set(['describe', 'suite']);

/** `it.skip.each(x)` -> ['it', 'skip', 'each']; undefined for anything that is not such a chain. */
function calleeChain(node: ts.Expression): string[] | undefined {
  if (ts.isIdentifier(node)) return [node.text];
  if (ts.isPropertyAccessExpression(node)) {
    const head = calleeChain(node.expression);
    return head && [...head, node.name.text];
  }
  if (ts.isCallExpression(node)) return calleeChain(node.expression); // it.each(table)('title', ...)
  return undefined;
}

export function declaredTests(file: string): DeclaredTest[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: DeclaredTest[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const chain = calleeChain(node.expression);
      const title = node.arguments[0];
      const root = chain?.[0];
      if (chain && root && (TEST_FUNCTIONS.has(root) || SUITE_FUNCTIONS.has(root))
        && title && (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title))) {
        found.push({
          title: title.text,
          kind: TEST_FUNCTIONS.has(root) ? 'test' : 'suite',
          skipped: chain.includes('skip') || chain.includes('todo'),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
