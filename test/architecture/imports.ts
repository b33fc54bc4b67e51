/**
 * The module references of one TypeScript or JavaScript file, found with the TypeScript parser (as
 * packages/mcp/test/read-only.test.ts does), not with regular expressions: text that looks like an
 * import inside a string or template literal (the generator renders code, the lint rules' tests hold
 * code) is not one.
 */
import ts from 'typescript';
import type { ModuleReference, ReferenceKind } from './types.js';

/** `vi.mock('x')` and friends name a module that must resolve, like an import. */
const VI_MODULE_CALLS = new Set(['mock', 'doMock', 'unmock', 'doUnmock', 'importActual', 'importMock']);

function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.[cm]?jsx?$/.test(file)) return file.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  return file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** What a call expression references: `import('x')`, `require('x')`, `require.resolve('x')`, `import.meta.resolve('x')`, `vi.mock('x')`. */
function callKind(call: ts.CallExpression): ReferenceKind | undefined {
  const callee = call.expression;
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return 'dynamic-import';
  if (ts.isIdentifier(callee) && callee.text === 'require') return 'require';
  if (ts.isPropertyAccessExpression(callee)) {
    const target = callee.expression;
    const member = callee.name.text;
    if (member === 'resolve' && ts.isIdentifier(target) && target.text === 'require') return 'resolve';
    if (member === 'resolve' && ts.isMetaProperty(target) && target.keywordToken === ts.SyntaxKind.ImportKeyword) return 'resolve';
    if (VI_MODULE_CALLS.has(member) && ts.isIdentifier(target) && target.text === 'vi') return 'vi-mock';
  }
  return undefined;
}

/** Every module reference of `text` (the content of `file`; its extension picks TypeScript or JavaScript), in source order. */
export function importsOf(file: string, text: string): ModuleReference[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const found: ModuleReference[] = [];
  const add = (literal: ts.Node, specifier: string, kind: ReferenceKind, typeOnly: boolean): void => {
    const { line, character } = source.getLineAndCharacterOfPosition(literal.getStart(source));
    found.push({ specifier, line: line + 1, column: character + 1, typeOnly, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const specifier = literalText(node.moduleSpecifier);
      if (specifier !== undefined) add(node.moduleSpecifier, specifier, 'import', node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const specifier = literalText(node.moduleSpecifier);
      if (specifier !== undefined) add(node.moduleSpecifier, specifier, 'export', node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      const specifier = literalText(expression);
      if (specifier !== undefined) add(expression, specifier, 'import-equals', node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const specifier = literalText(node.argument.literal);
      if (specifier !== undefined) add(node.argument.literal, specifier, 'import-type', true);
    } else if (ts.isCallExpression(node)) {
      const kind = callKind(node);
      const [argument] = node.arguments;
      const specifier = literalText(argument);
      if (kind && argument && specifier !== undefined) add(argument, specifier, kind, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
