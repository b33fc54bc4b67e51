/**
 * lambda/no-module-state-write (LBP-STATE-EXTERNAL): an execution environment is ephemeral and one
 * of many; module memory is neither durable nor shared. Code that runs per invocation must not
 * accumulate state in module-scope variables, arrays, objects, maps or sets.
 */
import type { Rule, Scope } from 'eslint';
import type { Identifier, Node } from '../ast.js';
import { asNode, asRuleNode, calleeName, is, rootIdentifier, snippet, unwrap } from '../ast.js';
import { docs } from '../docs.js';
import type { PerInvocationOptions } from '../per-invocation.js';
import { isLazyAssignment, moduleVariable, perInvocationSchema, runsPerInvocation } from '../per-invocation.js';

/** Methods that change the array, map, set or object they are called on. */
const MUTATING_METHODS = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', // Array
  'set', 'add', 'delete', 'clear', // Map, Set, WeakMap, WeakSet
]);
/** Static functions that change their first argument. */
const MUTATING_STATICS = new Set(['Object.assign', 'Object.defineProperty', 'Object.defineProperties', 'Object.setPrototypeOf', 'Reflect.set', 'Reflect.deleteProperty', 'Reflect.defineProperty']);
/** Constructors whose instances are mutable containers. */
const CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);

/** A module-scope binding whose value is a mutable container (`[]`, `{}`, `new Map()`), or a `let`/`var`. */
function isMutableBinding(variable: Scope.Variable): boolean {
  const def = variable.defs[0];
  if (def?.type !== 'Variable') return false;
  const declaration = asNode(def.parent);
  if (is(declaration, 'VariableDeclaration') && declaration.kind !== 'const') return true;
  const declarator = asNode(def.node);
  const init = is(declarator, 'VariableDeclarator') && declarator.init ? unwrap(declarator.init) : undefined;
  if (!init) return false;
  if (is(init, 'ArrayExpression') || is(init, 'ObjectExpression')) return true;
  if (is(init, 'NewExpression')) return CONTAINERS.has(calleeName(init.callee) ?? '');
  if (is(init, 'CallExpression')) {
    const name = is(init.callee, 'MemberExpression') ? `${calleeName(init.callee.object) ?? ''}.${calleeName(init.callee) ?? ''}` : '';
    return name === 'Array.from' || name === 'Array.of' || name === 'Object.create' || name === 'Object.fromEntries';
  }
  return false;
}

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: docs('no-module-state-write', 'Disallow writes to module-scope mutable state from code that runs on every invocation (LBP-STATE-EXTERNAL)'),
    schema: [perInvocationSchema],
    messages: {
      write:
        'LBP-STATE-EXTERNAL: `{{code}}` writes module-scope `{{name}}` on every invocation of `{{handler}}`{{via}}. Module memory lasts one execution environment and is not shared with the others: keep state in DynamoDB or S3 (or pass it along the invocation). Lazily creating a client or config once (`x ??= await load()`) is allowed.',
    },
  },
  create(context) {
    const options = (context.options[0] ?? {}) as PerInvocationOptions;

    function report(node: Node, root: Identifier): void {
      const reason = runsPerInvocation(context, node, options);
      if (!reason) return;
      context.report({
        node: asRuleNode(node),
        messageId: 'write',
        data: {
          code: snippet(context, node, 50),
          name: root.name,
          handler: reason.handler,
          via: reason.via === undefined ? '' : ` (in \`${reason.via}()\`, which it calls)`,
        },
      });
    }

    /** The module binding a write lands in: itself (`x = 1`, any module `let`/`var`), or a container it holds (`x.a = 1`). */
    function writtenBinding(target: Node): Identifier | undefined {
      const inner = unwrap(target);
      const root = rootIdentifier(inner);
      if (!root) return undefined;
      const variable = moduleVariable(context, root);
      if (!variable) return undefined;
      if (is(inner, 'Identifier')) return variable.defs[0]?.type === 'Variable' ? root : undefined;
      // A property of a module binding: containers and let/var, and imported objects (another module's state).
      return isMutableBinding(variable) || variable.defs[0]?.type === 'ImportBinding' ? root : undefined;
    }

    return {
      AssignmentExpression(raw) {
        const node = asNode(raw);
        if (!is(node, 'AssignmentExpression')) return;
        const root = writtenBinding(node.left);
        if (!root || isLazyAssignment(context, node)) return;
        report(node, root);
      },
      UpdateExpression(raw) {
        const node = asNode(raw);
        if (!is(node, 'UpdateExpression')) return;
        const root = writtenBinding(node.argument);
        if (root) report(node, root);
      },
      UnaryExpression(raw) {
        const node = asNode(raw);
        if (!is(node, 'UnaryExpression') || node.operator !== 'delete') return;
        const root = writtenBinding(node.argument);
        if (root) report(node, root);
      },
      CallExpression(raw) {
        const node = asNode(raw);
        if (!is(node, 'CallExpression')) return;
        const callee = unwrap(node.callee);
        if (!is(callee, 'MemberExpression')) return;
        const method = calleeName(callee);
        const statics = `${calleeName(callee.object) ?? ''}.${method ?? ''}`;
        let target: Node | undefined;
        if (MUTATING_STATICS.has(statics) && is(unwrap(callee.object), 'Identifier')) target = node.arguments[0];
        else if (method !== undefined && MUTATING_METHODS.has(method)) target = callee.object;
        if (!target) return;
        const root = rootIdentifier(target);
        if (!root) return;
        const variable = moduleVariable(context, root);
        if (variable && isMutableBinding(variable)) report(node, root);
      },
    };
  },
};

export default rule;
