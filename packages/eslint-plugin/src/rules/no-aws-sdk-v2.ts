/**
 * lambda/no-aws-sdk-v2 (LBP-PACKAGE-SMALL): the monolithic AWS SDK for JavaScript v2 (`aws-sdk`) is
 * large, in maintenance mode, and not in the Node.js 18+ Lambda runtimes; use the modular v3
 * packages (`@aws-sdk/client-*`), which bundle only what a function uses.
 */
import type { Rule } from 'eslint';
import type { Node } from '../ast.js';
import { asNode, asRuleNode, is, unwrap } from '../ast.js';
import { docs } from '../docs.js';

const V2 = /^aws-sdk(\/|$)/;

/** v2 client modules whose v3 package name is not simply `client-<name>`. */
const V3_NAMES: Readonly<Record<string, string>> = {
  dynamodb: '@aws-sdk/client-dynamodb (and @aws-sdk/lib-dynamodb for the document client)',
  cloudwatchlogs: '@aws-sdk/client-cloudwatch-logs',
  cloudwatchevents: '@aws-sdk/client-eventbridge',
  eventbridge: '@aws-sdk/client-eventbridge',
  stepfunctions: '@aws-sdk/client-sfn',
  secretsmanager: '@aws-sdk/client-secrets-manager',
  dynamodbstreams: '@aws-sdk/client-dynamodb-streams',
};

/** The v3 package to use instead of `source`. */
function replacement(source: string): string {
  const client = /^aws-sdk\/clients\/([a-z0-9]+)(\.js)?$/.exec(source)?.[1];
  if (client === undefined) return 'the @aws-sdk/client-<service> package of each service you call (e.g. @aws-sdk/client-dynamodb)';
  return V3_NAMES[client] ?? `@aws-sdk/client-${client}`;
}

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: docs('no-aws-sdk-v2', 'Disallow the AWS SDK for JavaScript v2 (`aws-sdk`); use the modular v3 clients (LBP-PACKAGE-SMALL)'),
    schema: [],
    messages: {
      v2: "LBP-PACKAGE-SMALL: '{{source}}' is the AWS SDK v2: large, not shipped in the Node.js 18+ Lambda runtimes, and in maintenance mode. Use {{replacement}}, created once at module scope (see @kiro-serverless/runtime/clients/*).",
    },
  },
  create(context) {
    function check(sourceNode: Node | null | undefined): void {
      if (!sourceNode) return;
      const node = unwrap(sourceNode);
      let source: string | undefined;
      if (is(node, 'Literal') && typeof node.value === 'string') source = node.value;
      else if (is(node, 'TemplateLiteral') && node.expressions.length === 0) source = node.quasis[0]?.value.cooked ?? undefined;
      if (source === undefined || !V2.test(source)) return;
      context.report({ node: asRuleNode(node), messageId: 'v2', data: { source, replacement: replacement(source) } });
    }
    const withSource = (raw: Rule.Node) => check((asNode(raw) as unknown as { source: Node | null }).source);
    return {
      ImportDeclaration: withSource,
      ExportNamedDeclaration: withSource,
      ExportAllDeclaration: withSource,
      ImportExpression: withSource,
      CallExpression(raw) {
        const node = asNode(raw);
        if (!is(node, 'CallExpression')) return;
        const callee = unwrap(node.callee);
        const isRequire = is(callee, 'Identifier') && callee.name === 'require';
        const isResolve = is(callee, 'MemberExpression') && is(callee.object, 'Identifier') && callee.object.name === 'require';
        if (isRequire || isResolve) check(node.arguments[0]);
      },
      // import AWS = require('aws-sdk')
      TSExternalModuleReference(raw: Rule.Node) {
        check((asNode(raw) as unknown as { expression: Node }).expression);
      },
    } as Rule.RuleListener;
  },
};

export default rule;
