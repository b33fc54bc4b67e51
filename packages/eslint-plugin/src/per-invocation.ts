/**
 * Which code of a file runs on every invocation, shared by the rules that care (LBP-INIT-CLIENTS,
 * LBP-STATE-EXTERNAL). The model, same-file only:
 *
 * - Roots: the exported handler (`export const handler = ...`, `export function handler`,
 *   `export { fn as handler }`, `export default ...`) and, with `exportsRunPerInvocation`, every
 *   exported function or object method (business-logic files, whose exports the generated entry
 *   calls per invocation). A wrapper call (`middy(fn)`, `withX(async (e) => ...)`, `a(b(fn))`) is
 *   looked through: its function arguments are roots, and so are the functions nested inside a
 *   same-file factory it calls (`makeHandler()` runs at INIT, the closure it returns does not), and
 *   the methods of a same-file class whose instance provides the handler (Powertools' class-based
 *   handlers: `export const handler = lambda.handler.bind(lambda)`).
 * - Everything nested in a root (closures, callbacks) runs per invocation too.
 * - A module-level function referenced from per-invocation code (called, or passed as a callback)
 *   runs per invocation, transitively, unless the call is a lazy initialisation of a module binding
 *   (`client ??= makeClient()`), which runs once per execution environment.
 * - Module-scope code, and functions only referenced from it, run once at INIT.
 */
import type { Rule, Scope } from 'eslint';
import type { AssignmentExpression, FunctionNode, Identifier, IfStatement, Node, Program } from './ast.js';
import { asNode, asRuleNode, is, isFunction, moduleScope, outerExpression, rootIdentifier, unwrap } from './ast.js';

/** Why a function runs per invocation: the handler it serves, and the module function it is reached through. */
export interface PerInvocationReason {
  /** The exported name that Lambda (or the generated entry) calls, e.g. `handler`, `default export`. */
  readonly handler: string;
  /** The module-level function through which the handler reaches this code, when not the handler itself. */
  readonly via?: string;
}

export interface PerInvocationOptions {
  /** Names of exports that are Lambda handlers. @default ['handler'] */
  readonly handlerNames?: readonly string[];
  /** Treat every exported function (and exported object's methods) as running per invocation. @default false */
  readonly exportsRunPerInvocation?: boolean;
}

export const perInvocationSchema = {
  type: 'object',
  properties: {
    handlerNames: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    exportsRunPerInvocation: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

interface Analysis {
  readonly functions: Map<FunctionNode, PerInvocationReason>;
}

const cache = new WeakMap<object, Map<string, Analysis>>();

/** The per-invocation functions of the file `context` lints, computed once per file and options. */
export function perInvocation(context: Rule.RuleContext, options: PerInvocationOptions = {}): Analysis {
  const program = context.sourceCode.ast;
  const key = JSON.stringify([options.handlerNames ?? ['handler'], options.exportsRunPerInvocation ?? false]);
  let byOptions = cache.get(program);
  if (!byOptions) cache.set(program, (byOptions = new Map()));
  let analysis = byOptions.get(key);
  if (!analysis) byOptions.set(key, (analysis = analyse(context, options)));
  return analysis;
}

/**
 * Whether `node` runs per invocation, and for which handler: the nearest enclosing function that is
 * a root or reached from one.
 */
export function runsPerInvocation(context: Rule.RuleContext, node: Node, options?: PerInvocationOptions): PerInvocationReason | undefined {
  const { functions } = perInvocation(context, options);
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) {
      const reason = functions.get(current);
      if (reason) return reason;
    }
  }
  return undefined;
}

/** The function a module-level variable holds: `function f() {}` or `const f = () => ...`. */
function moduleFunctionOf(variable: Scope.Variable): FunctionNode | undefined {
  const def = variable.defs[0];
  if (!def) return undefined;
  if (def.type === 'FunctionName') return asNode(def.node) as FunctionNode;
  if (def.type === 'Variable') {
    const declarator = asNode(def.node);
    if (is(declarator, 'VariableDeclarator') && declarator.init) {
      const init = unwrap(declarator.init);
      if (isFunction(init)) return init;
    }
  }
  return undefined;
}

function analyse(context: Rule.RuleContext, options: PerInvocationOptions): Analysis {
  const handlerNames = new Set(options.handlerNames ?? ['handler']);
  const everyExport = options.exportsRunPerInvocation ?? false;
  const functions = new Map<FunctionNode, PerInvocationReason>();
  const scope = moduleScope(context);
  const moduleVariables = new Map<string, Scope.Variable>(scope ? [...scope.set] : []);
  const moduleFunctions = new Map<Scope.Variable, FunctionNode>();
  const functionNames = new Map<FunctionNode, string>();
  for (const variable of moduleVariables.values()) {
    const fn = moduleFunctionOf(variable);
    if (fn) {
      moduleFunctions.set(variable, fn);
      functionNames.set(fn, variable.name);
    }
  }
  const queue: FunctionNode[] = [];
  const mark = (fn: FunctionNode, reason: PerInvocationReason) => {
    if (functions.has(fn)) return;
    functions.set(fn, reason);
    queue.push(fn);
  };

  /** Roots in an exported value: functions, wrapper arguments, factory closures, object methods. */
  const seen = new Set<Node>();
  const collect = (expression: Node | null | undefined, handler: string): void => {
    if (!expression) return;
    const node = unwrap(expression);
    if (seen.has(node)) return;
    seen.add(node);
    if (isFunction(node)) {
      mark(node, { handler });
    } else if (is(node, 'Identifier')) {
      const variable = moduleVariables.get(node.name);
      if (!variable) return;
      const fn = moduleFunctions.get(variable);
      if (fn) return mark(fn, { handler });
      const definition = asNode(variable.defs[0]?.node);
      if (is(definition, 'VariableDeclarator')) collect(definition.init, handler);
      // A module class whose instance's method is the handler: `new Lambda().handler.bind(...)`.
      else if (is(definition, 'ClassDeclaration')) collect(definition, handler);
    } else if (is(node, 'MemberExpression')) {
      collect(node.object, handler); // instance.handler, Lambda.prototype.handler
    } else if (is(node, 'CallExpression') || is(node, 'NewExpression')) {
      for (const argument of node.arguments) collect(argument, handler);
      const callee = unwrap(node.callee);
      if (is(callee, 'MemberExpression')) collect(callee.object, handler); // middy(fn).use(...), instance.handler.bind(instance)
      else if (is(callee, 'Identifier') && node.type === 'NewExpression') collect(callee, handler); // new Lambda(): its methods
      else if (is(callee, 'Identifier')) {
        // A same-file factory: its body runs at INIT, the functions it builds run per invocation.
        const variable = moduleVariables.get(callee.name);
        const factory = variable && moduleFunctions.get(variable);
        if (factory) for (const inner of nestedFunctions(factory)) mark(inner, { handler });
      } else collect(callee, handler); // (() => async (e) => ...)()
    } else if (is(node, 'ObjectExpression')) {
      for (const property of node.properties) if (is(property, 'Property')) collect(property.value, handler);
    } else if (is(node, 'ClassExpression') || is(node, 'ClassDeclaration')) {
      for (const member of node.body.body) {
        if (is(member, 'MethodDefinition') && member.kind !== 'constructor') collect(member.value, handler);
      }
    } else if (is(node, 'ConditionalExpression')) {
      collect(node.consequent, handler);
      collect(node.alternate, handler);
    } else if (is(node, 'LogicalExpression')) {
      collect(node.left, handler);
      collect(node.right, handler);
    } else if (node.type === 'AwaitExpression') {
      collect((node as unknown as { argument: Node }).argument, handler);
    }
  };

  const exportName = (node: Node): string | undefined => (is(node, 'Identifier') ? node.name : is(node, 'Literal') ? String(node.value) : undefined);
  const program = asNode(context.sourceCode.ast) as Program;
  for (const statement of program.body) {
    if (is(statement, 'ExportDefaultDeclaration')) {
      collect(statement.declaration, 'default export');
    } else if (is(statement, 'ExportNamedDeclaration') && !statement.source) {
      const declaration = statement.declaration;
      if (is(declaration, 'FunctionDeclaration') && declaration.id) {
        if (everyExport || handlerNames.has(declaration.id.name)) collect(declaration, declaration.id.name);
      } else if (is(declaration, 'VariableDeclaration')) {
        for (const declarator of declaration.declarations) {
          if (is(declarator.id, 'Identifier') && (everyExport || handlerNames.has(declarator.id.name))) collect(declarator.init, declarator.id.name);
        }
      } else if (is(declaration, 'ClassDeclaration') && declaration.id && everyExport) {
        collect(declaration, declaration.id.name);
      }
      for (const specifier of statement.specifiers) {
        const name = exportName(specifier.exported);
        if (name !== undefined && (everyExport || handlerNames.has(name))) collect(specifier.local, name);
      }
    }
  }

  // Propagate through same-file references to module-level functions.
  for (let fn = queue.shift(); fn; fn = queue.shift()) {
    const reason = functions.get(fn);
    const root = context.sourceCode.scopeManager.acquire(asRuleNode(fn) as never);
    if (!reason || !root) continue;
    const scopes: Scope.Scope[] = [root];
    for (let current = scopes.pop(); current; current = scopes.pop()) {
      scopes.push(...current.childScopes);
      for (const reference of current.references) {
        const target = reference.resolved && moduleFunctions.get(reference.resolved);
        if (!target || target === fn || functions.has(target)) continue;
        if (isLazyInitCall(context, asNode(reference.identifier))) continue;
        mark(target, { handler: reason.handler, via: reason.via ?? functionNames.get(target) });
      }
    }
  }
  return { functions };
}

/** Every function nested (at any depth) inside `fn`, not `fn` itself. */
function nestedFunctions(fn: FunctionNode): FunctionNode[] {
  const found: FunctionNode[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null || typeof (node as Node).type !== 'string') return;
    if (isFunction(node as Node) && node !== fn) {
      found.push(node as FunctionNode);
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'parent') visit(value);
  };
  visit(fn.body);
  return found;
}

/** `identifier` is the callee of a call whose result lazily initialises a module binding. */
function isLazyInitCall(context: Rule.RuleContext, identifier: Node): boolean {
  const call = identifier.parent;
  return is(call, 'CallExpression') && call.callee === identifier && lazyInitTarget(context, call) !== undefined;
}

/** A module-scope variable, or undefined when `identifier` names something else (a local, a global). */
export function moduleVariable(context: Rule.RuleContext, identifier: Identifier): Scope.Variable | undefined {
  const scope = moduleScope(context);
  let current: Scope.Scope | null = context.sourceCode.getScope(asRuleNode(identifier));
  while (current) {
    const found = current.set.get(identifier.name);
    if (found) return current === scope ? found : undefined;
    current = current.upper;
  }
  return undefined;
}

function sameTarget(context: Rule.RuleContext, a: Node, b: Node): boolean {
  return context.sourceCode.getText(asRuleNode(unwrap(a))) === context.sourceCode.getText(asRuleNode(unwrap(b)));
}

/** `!x`, `x === undefined`, `x == null`, `undefined === x`, `typeof x === 'undefined'`: the test passes when `target` is unset. */
function testsUnset(context: Rule.RuleContext, test: Node, target: Node): boolean {
  const node = unwrap(test);
  if (is(node, 'UnaryExpression') && node.operator === '!') return sameTarget(context, node.argument, target);
  if (is(node, 'LogicalExpression') && node.operator === '||') return testsUnset(context, node.left, target) || testsUnset(context, node.right, target);
  if (is(node, 'BinaryExpression') && ['===', '=='].includes(node.operator)) {
    const empty = (n: Node) => (is(n, 'Identifier') && n.name === 'undefined') || (is(n, 'Literal') && (n.value === null || n.value === 'undefined'));
    const subject = (n: Node) => sameTarget(context, n, target) || (is(n, 'UnaryExpression') && n.operator === 'typeof' && sameTarget(context, n.argument, target));
    return (subject(node.left) && empty(node.right)) || (subject(node.right) && empty(node.left));
  }
  return false;
}

/**
 * When `value` (a construction, a call, `await load()`) lazily initialises a module-scope binding
 * (once per execution environment), the assignment's target; otherwise undefined. Recognised:
 * `x ??= value`, `x ||= value`, `x ?? (x = value)`, `x || (x = value)`, and `x = value` inside
 * `if (!x)` / `if (x === undefined)` (and `== null`, `typeof x === 'undefined'`). `x` is a module
 * binding or a plain property of one (`cache.client`); a computed key (`cache[key]`) accumulates
 * and is not lazy initialisation.
 */
export function lazyInitTarget(context: Rule.RuleContext, value: Node): Node | undefined {
  const outer = outerExpression(value);
  const assignment = outer.parent;
  if (!is(assignment, 'AssignmentExpression') || assignment.right !== outer) return undefined;
  return isLazyAssignment(context, assignment) ? assignment.left : undefined;
}

/** Whether an assignment is a lazy initialisation of a module binding (see {@link lazyInitTarget}). */
export function isLazyAssignment(context: Rule.RuleContext, assignment: AssignmentExpression): boolean {
  const target = unwrap(assignment.left);
  if (!isSingleSlot(context, target)) return false;
  if (assignment.operator === '??=' || assignment.operator === '||=') return true;
  if (assignment.operator !== '=') return false;
  let child: Node = assignment;
  for (let current = assignment.parent; current && !isFunction(current); child = current, current = current.parent) {
    if (is(current, 'LogicalExpression') && (current.operator === '??' || current.operator === '||') && current.right === child) {
      return sameTarget(context, current.left, target);
    }
    if (is(current, 'IfStatement') && (current as IfStatement).consequent === child) {
      return testsUnset(context, current.test, target);
    }
  }
  return false;
}

/** A module binding `x`, or a non-computed property path on one (`cache.client`). */
function isSingleSlot(context: Rule.RuleContext, target: Node): boolean {
  let current = target;
  while (is(current, 'MemberExpression')) {
    if (current.computed) return false;
    current = unwrap(current.object);
  }
  const root = rootIdentifier(current);
  return root !== undefined && moduleVariable(context, root) !== undefined;
}

