/**
 * The MCP server is read-only by construction: every AWS SDK command class reachable from its entry
 * point (following the value imports of src/server.ts through this package's modules and the kit
 * packages it imports, `@kiro-serverless/*`) is a
 * Describe, Get or List command. A Put, Send, Receive, Delete, Update or Invoke anywhere in that graph
 * fails this test, as does an import that would hide the names (`import * as`, dynamic import).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The repository: the kit's packages are under packages/. */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const ENTRY = path.join(ROOT, 'packages/mcp/src/server.ts');
const KIT = '@kiro-serverless/';
const READ_ONLY = /^(Describe|Get|List)[A-Za-z0-9]*Command$/;

interface SdkImport { readonly file: string; readonly module: string; readonly names: readonly string[]; readonly hidden?: string }

/** Value imports of one file: relative modules to follow, and what it takes from @aws-sdk/*. */
function importsOf(file: string, text: string): { relative: string[]; sdk: SdkImport[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const relative: string[] = [];
  const sdk: SdkImport[] = [];
  const shown = path.relative(ROOT, file);
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const module = node.moduleSpecifier.text;
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      if (!typeOnly) {
        if (module.startsWith('.') || module.startsWith(KIT)) relative.push(module);
        if (module.startsWith('@aws-sdk/')) {
          const names: string[] = [];
          let hidden: string | undefined;
          if (ts.isImportDeclaration(node)) {
            const bindings = node.importClause?.namedBindings;
            if (bindings && ts.isNamespaceImport(bindings)) hidden = `import * as ${bindings.name.text}`;
            if (node.importClause?.name) hidden = `default import ${node.importClause.name.text}`;
            if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) if (!e.isTypeOnly) names.push((e.propertyName ?? e.name).text);
          } else if (node.exportClause && ts.isNamedExports(node.exportClause)) {
            for (const e of node.exportClause.elements) if (!e.isTypeOnly) names.push((e.propertyName ?? e.name).text);
          } else {
            hidden = 'export *';
          }
          sdk.push({ file: shown, module, names, ...(hidden ? { hidden } : {}) });
        }
      }
    }
    if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg) && (arg.text.startsWith('.') || arg.text.startsWith(KIT))) relative.push(arg.text);
      if (!arg || !ts.isStringLiteral(arg) || arg.text.startsWith('@aws-sdk/')) sdk.push({ file: shown, module: arg && ts.isStringLiteral(arg) ? arg.text : '(computed)', names: [], hidden: 'dynamic import or require' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { relative, sdk };
}

/** Every file reachable from `entry` through value imports of the project's own modules. */
function reachable(entry: string): { files: string[]; sdk: SdkImport[] } {
  const seen = new Set<string>();
  const sdk: SdkImport[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const found = importsOf(file, readFileSync(file, 'utf8'));
    sdk.push(...found.sdk);
    for (const specifier of found.relative) {
      // A kit package's subpath maps to its src/ (package.json exports: `./*` -> `./src/*.ts`).
      const [pkg, ...sub] = specifier.startsWith(KIT) ? specifier.slice(KIT.length).split('/') : [];
      const base = pkg === undefined ? path.resolve(path.dirname(file), specifier) : path.join(ROOT, 'packages', pkg, 'src', sub.length > 0 ? sub.join('/') : 'index');
      const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')];
      const target = candidates.find((c) => c.endsWith('.ts') && existsSync(c));
      if (target) queue.push(target);
    }
  }
  return { files: [...seen].map((f) => path.relative(ROOT, f)).sort(), sdk };
}

describe('the MCP server imports only read-only AWS SDK commands', () => {
  const graph = reachable(ENTRY);
  const commands = graph.sdk.flatMap((i) => i.names.filter((n) => n.endsWith('Command')).map((n) => ({ ...i, name: n })));

  it('follows the whole server: this package and what it uses of the model, generate and local-cloud packages', () => {
    expect(graph.files).toEqual(expect.arrayContaining([
      'packages/mcp/src/server.ts', 'packages/mcp/src/aws.ts', 'packages/mcp/src/aws-status.ts', 'packages/mcp/src/local-status.ts',
      'packages/model/src/check.ts', 'packages/generate/src/status.ts', 'packages/model/src/naming.ts', 'packages/local-cloud/src/state.ts',
    ]));
  });

  it('lists the command classes it finds (so that a new one is seen), and each is a Describe, Get or List', () => {
    expect(commands.map((c) => c.name).sort()).toEqual(expect.arrayContaining([
      'DescribeAlarmsCommand', 'DescribeStackEventsCommand', 'DescribeStacksCommand', 'GetAliasCommand', 'GetDeploymentCommand',
      'GetEventSourceMappingCommand', 'GetFunctionConfigurationCommand', 'GetQueueAttributesCommand', 'GetTemplateCommand',
      'ListDeploymentsCommand', 'ListStackResourcesCommand', 'ListVersionsByFunctionCommand',
    ]));
    const offending = commands.filter((c) => !READ_ONLY.test(c.name)).map((c) => `${c.file}: ${c.name} from ${c.module}`);
    expect(offending).toEqual([]);
  });

  it('no SDK import hides its names (namespace, default, export *, dynamic import or require)', () => {
    expect(graph.sdk.filter((i) => i.hidden).map((i) => `${i.file}: ${i.hidden} of ${i.module}`)).toEqual([]);
  });

  it('the scan itself catches a write command, a namespace import and a dynamic import', () => {
    const bad = importsOf('/x/bad.ts', [
      "import { DescribeStacksCommand, DeleteStackCommand as D } from '@aws-sdk/client-cloudformation';",
      "import * as sqs from '@aws-sdk/client-sqs';",
      "const lambda = await import('@aws-sdk/client-lambda');",
      "import type { SendMessageCommand } from '@aws-sdk/client-sqs';",
    ].join('\n'));
    expect(bad.sdk.flatMap((i) => i.names)).toEqual(['DescribeStacksCommand', 'DeleteStackCommand']);
    expect(bad.sdk.filter((i) => i.hidden).map((i) => i.hidden)).toEqual(['import * as sqs', 'dynamic import or require']);
    expect(bad.sdk.flatMap((i) => i.names).filter((n) => !READ_ONLY.test(n))).toEqual(['DeleteStackCommand']);
  });
});
