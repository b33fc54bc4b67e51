/**
 * The few syntax-tree shapes the Lambda rules read, typed loosely enough to cover both ESTree and
 * typescript-eslint's TS-only nodes (`as`, `satisfies`, `!`), without a dependency on
 * `@typescript-eslint/utils`. Narrow a node with {@link is} before reading its fields.
 */
import type { Rule, Scope } from 'eslint';

export interface Node {
  readonly type: string;
  readonly parent?: Node | null;
  readonly range: [number, number];
  readonly loc: { readonly start: { line: number; column: number }; readonly end: { line: number; column: number } };
}

export interface Identifier extends Node { readonly type: 'Identifier'; readonly name: string }
export interface Literal extends Node { readonly type: 'Literal'; readonly value: unknown; readonly regex?: unknown }
export interface TemplateElement extends Node { readonly type: 'TemplateElement'; readonly value: { readonly raw: string; readonly cooked: string | null } }
export interface TemplateLiteral extends Node { readonly type: 'TemplateLiteral'; readonly quasis: TemplateElement[]; readonly expressions: Node[] }
export interface MemberExpression extends Node { readonly type: 'MemberExpression'; readonly object: Node; readonly property: Node; readonly computed: boolean }
export interface CallExpression extends Node { readonly type: 'CallExpression' | 'NewExpression'; readonly callee: Node; readonly arguments: Node[] }
export interface FunctionNode extends Node {
  readonly type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression';
  readonly id?: Identifier | null;
  readonly body: Node;
}
export interface AssignmentExpression extends Node { readonly type: 'AssignmentExpression'; readonly operator: string; readonly left: Node; readonly right: Node }
export interface UpdateExpression extends Node { readonly type: 'UpdateExpression'; readonly argument: Node }
export interface UnaryExpression extends Node { readonly type: 'UnaryExpression'; readonly operator: string; readonly argument: Node }
export interface BinaryExpression extends Node { readonly type: 'BinaryExpression' | 'LogicalExpression'; readonly operator: string; readonly left: Node; readonly right: Node }
export interface ConditionalExpression extends Node { readonly type: 'ConditionalExpression'; readonly test: Node; readonly consequent: Node; readonly alternate: Node }
export interface IfStatement extends Node { readonly type: 'IfStatement'; readonly test: Node; readonly consequent: Node; readonly alternate: Node | null }
export interface Property extends Node { readonly type: 'Property'; readonly key: Node; readonly value: Node; readonly computed: boolean }
export interface ObjectExpression extends Node { readonly type: 'ObjectExpression'; readonly properties: Node[] }
export interface ArrayExpression extends Node { readonly type: 'ArrayExpression'; readonly elements: (Node | null)[] }
export interface VariableDeclarator extends Node { readonly type: 'VariableDeclarator'; readonly id: Node; readonly init: Node | null }
export interface VariableDeclaration extends Node { readonly type: 'VariableDeclaration'; readonly kind: string; readonly declarations: VariableDeclarator[] }
export interface ClassNode extends Node { readonly type: 'ClassDeclaration' | 'ClassExpression'; readonly id?: Identifier | null; readonly body: { readonly body: Node[] } }
export interface MethodDefinition extends Node { readonly type: 'MethodDefinition' | 'PropertyDefinition'; readonly kind?: string; readonly key: Node; readonly value: Node | null; readonly static: boolean }
export interface ExportNamedDeclaration extends Node {
  readonly type: 'ExportNamedDeclaration';
  readonly declaration: Node | null;
  readonly specifiers: { readonly local: Node; readonly exported: Node }[];
  readonly source: Literal | null;
}
export interface ExportDefaultDeclaration extends Node { readonly type: 'ExportDefaultDeclaration'; readonly declaration: Node }
export interface ImportDeclaration extends Node { readonly type: 'ImportDeclaration'; readonly source: Literal; readonly importKind?: string }
export interface ImportExpression extends Node { readonly type: 'ImportExpression'; readonly source: Node }
/** `x as T`, `x satisfies T`, `x!`, `<T>x`: an expression with a type wrapper around it. */
export interface TsWrapper extends Node { readonly expression: Node }
export interface Program extends Node { readonly type: 'Program'; readonly body: Node[] }

interface ByType {
  Identifier: Identifier; Literal: Literal; TemplateElement: TemplateElement; TemplateLiteral: TemplateLiteral;
  MemberExpression: MemberExpression; CallExpression: CallExpression; NewExpression: CallExpression;
  FunctionDeclaration: FunctionNode; FunctionExpression: FunctionNode; ArrowFunctionExpression: FunctionNode;
  AssignmentExpression: AssignmentExpression; UpdateExpression: UpdateExpression; UnaryExpression: UnaryExpression;
  BinaryExpression: BinaryExpression; LogicalExpression: BinaryExpression; ConditionalExpression: ConditionalExpression;
  IfStatement: IfStatement; Property: Property; ObjectExpression: ObjectExpression; ArrayExpression: ArrayExpression;
  VariableDeclarator: VariableDeclarator; VariableDeclaration: VariableDeclaration;
  ClassDeclaration: ClassNode; ClassExpression: ClassNode; MethodDefinition: MethodDefinition; PropertyDefinition: MethodDefinition;
  ExportNamedDeclaration: ExportNamedDeclaration; ExportDefaultDeclaration: ExportDefaultDeclaration;
  ImportDeclaration: ImportDeclaration; ImportExpression: ImportExpression; Program: Program;
}

export function is<K extends keyof ByType>(node: Node | null | undefined, type: K): node is ByType[K] {
  return node?.type === type;
}

export function isFunction(node: Node | null | undefined): node is FunctionNode {
  return node?.type === 'FunctionDeclaration' || node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression';
}

const TS_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression', 'ChainExpression']);

/** The expression inside any `as`/`satisfies`/`!`/`<T>`/`?.` wrappers. */
export function unwrap(node: Node): Node {
  let current = node;
  while (TS_WRAPPERS.has(current.type)) current = (current as TsWrapper).expression;
  return current;
}

/** The node a value flows into, past type wrappers, `await` and parentheses (e.g. the assignment around `await load()`). */
export function outerExpression(node: Node): Node {
  let current = node;
  while (current.parent && (TS_WRAPPERS.has(current.parent.type) || current.parent.type === 'AwaitExpression')) current = current.parent;
  return current;
}

/** `a.b.c` -> `a` (past calls and wrappers: `a.b().c` -> `a`); undefined when the chain does not start at a name. */
export function rootIdentifier(node: Node): Identifier | undefined {
  let current = unwrap(node);
  for (;;) {
    if (is(current, 'Identifier')) return current;
    if (is(current, 'MemberExpression')) current = unwrap(current.object);
    else return undefined;
  }
}

/** The name of a non-computed member or identifier: `DynamoDBClient`, `ddb.DynamoDBClient` -> `DynamoDBClient`. */
export function calleeName(node: Node): string | undefined {
  const callee = unwrap(node);
  if (is(callee, 'Identifier')) return callee.name;
  if (is(callee, 'MemberExpression') && !callee.computed && is(callee.property, 'Identifier')) return callee.property.name;
  return undefined;
}

/** The key of a property or method as written, when it is a plain name or string. */
export function keyName(node: Node, computed: boolean): string | undefined {
  if (!computed && is(node, 'Identifier')) return node.name;
  if (is(node, 'Literal') && typeof node.value === 'string') return node.value;
  return undefined;
}

export function asRuleNode(node: Node): Rule.Node {
  return node as unknown as Rule.Node;
}

export function asNode(node: unknown): Node {
  return node as Node;
}

/** The variable a name refers to in the scope of `node`, through the scope manager (so shadowing is honoured). */
export function resolve(context: Rule.RuleContext, identifier: Identifier): Scope.Variable | undefined {
  let scope: Scope.Scope | null = context.sourceCode.getScope(asRuleNode(identifier));
  while (scope) {
    const found = scope.set.get(identifier.name);
    if (found) return found;
    scope = scope.upper;
  }
  return undefined;
}

/** The module (top-level) scope of the file being linted. */
export function moduleScope(context: Rule.RuleContext): Scope.Scope | undefined {
  const global = context.sourceCode.scopeManager.globalScope;
  return global?.childScopes.find((s) => s.type === 'module') ?? global ?? undefined;
}

/** Where an import binding comes from (`'@aws-sdk/client-dynamodb'`), when `variable` is one. */
export function importSource(variable: Scope.Variable | undefined): string | undefined {
  const def = variable?.defs[0];
  if (def?.type !== 'ImportBinding') return undefined;
  const declaration = asNode(def.parent);
  return is(declaration, 'ImportDeclaration') && typeof declaration.source.value === 'string' ? declaration.source.value : undefined;
}

/** The source text of a node, shortened for messages. */
export function snippet(context: Rule.RuleContext, node: Node, max = 60): string {
  const text = context.sourceCode.getText(asRuleNode(node)).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
