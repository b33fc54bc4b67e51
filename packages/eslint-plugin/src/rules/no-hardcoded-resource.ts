/**
 * lambda/no-hardcoded-resource (LBP-CONFIG-ENV): which table, queue, topic or bucket a function
 * uses is decided by the infrastructure and passed in environment variables; code never spells out
 * ARNs, account IDs, queue URLs or resource names.
 */
import type { Rule } from 'eslint';
import type { Node } from '../ast.js';
import { asNode, asRuleNode, is, keyName, resolve, unwrap } from '../ast.js';
import { docs } from '../docs.js';

/** `arn:aws:sqs:`, `arn:aws-cn:dynamodb:`, `arn:aws-us-gov:s3:`: a partition and a service. */
const ARN = /\barn:aws(-[a-z-]+)?:[a-z0-9-]+:/;
/** An SQS queue URL with its account: `https://sqs.eu-west-1.amazonaws.com/123456789012/orders`. */
const QUEUE_URL = /https?:\/\/(sqs\.[a-z0-9-]+|queue)\.amazonaws\.com(\.cn)?\/\d{12}\//;
/** A 12-digit account ID inside an AWS host name or path (`123456789012.dkr.ecr...amazonaws.com`, `/123456789012/`). */
const ACCOUNT_IN_URL = /(^|[^\d])\d{12}([^\d]|$)/;
const AWS_HOST = /amazonaws\.com/;
const ACCOUNT_ONLY = /^\d{12}$/;
/** Names of properties and variables that hold an account ID. */
const ACCOUNT_KEY = /account|owner/i;

/** SDK input members that name a resource; a literal there is a hard-coded resource. */
const RESOURCE_KEYS = new Set([
  'TableName', 'QueueUrl', 'QueueName', 'TopicArn', 'TargetArn', 'Bucket', 'FunctionName',
  'StateMachineArn', 'StreamName', 'StreamARN', 'DeliveryStreamName', 'EventBusName', 'SecretId', 'ResourceArn',
]);

/** Inside a type (`type T = 'arn:aws:...'`), an import/export source, or a TS enum/module name: not a value in code. */
function isIgnoredPosition(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (/^(Import|Export(All|Named)|TSExternalModuleReference|TSModule|TSImportType)/.test(parent.type)) return true;
  if (parent.type === 'ImportExpression') return true;
  for (let current: Node | null | undefined = parent; current; current = current.parent) {
    if (current.type === 'TSLiteralType' || current.type === 'TSTemplateLiteralType' || current.type === 'TSTypeAnnotation') return true;
    if (current.type.startsWith('TS') && current.type.endsWith('Type')) return true;
  }
  return false;
}

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: docs('no-hardcoded-resource', 'Disallow hard-coded ARNs, account IDs, queue URLs and resource names (LBP-CONFIG-ENV)'),
    schema: [],
    messages: {
      arn: 'LBP-CONFIG-ENV: hard-coded ARN `{{text}}`. Declare the resource in the spec and read its ARN from the environment variable the generated infrastructure sets (loadConfig from @kiro-serverless/runtime/config, or the resources the generated entry passes in).',
      queueUrl: 'LBP-CONFIG-ENV: hard-coded SQS queue URL `{{text}}`. Declare the queue in the spec and read its URL from the environment (the generated entry passes it in `resources`).',
      account: 'LBP-CONFIG-ENV: hard-coded AWS account ID `{{text}}`. Accounts differ between stages and forks: take it from the environment or the Lambda context (`context.invokedFunctionArn`).',
      resourceName: 'LBP-CONFIG-ENV: `{{key}}` is the literal `{{text}}`. Declare the resource in the spec and pass the name the infrastructure sets in the environment (e.g. `resources.tables.orders`), so each stage and fork uses its own.',
    },
  },
  create(context) {
    const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);
    /** The part of a longer text that matched, up to the next space or quote: the ARN in an error message. */
    const excerpt = (text: string, pattern: RegExp) => {
      const start = pattern.exec(text)?.index ?? 0;
      const [word = text] = /^[^\s'"`,;)]+/.exec(text.slice(start)) ?? [];
      return shorten(word);
    };

    function checkText(node: Node, text: string, parentKey: string | undefined): boolean {
      if (QUEUE_URL.test(text)) return report(node, 'queueUrl', { text: excerpt(text, QUEUE_URL) });
      if (ARN.test(text)) return report(node, 'arn', { text: excerpt(text, ARN) });
      if (AWS_HOST.test(text) && ACCOUNT_IN_URL.test(text)) return report(node, 'account', { text: excerpt(text, /[^\s'"`]*amazonaws\.com/) });
      if (ACCOUNT_ONLY.test(text) && parentKey !== undefined && ACCOUNT_KEY.test(parentKey)) return report(node, 'account', { text });
      return false;
    }

    function report(node: Node, messageId: string, data: Record<string, string>): true {
      context.report({ node: asRuleNode(node), messageId, data });
      return true;
    }

    /** The property or variable name a value is given to: `{ AccountId: '…' }`, `const accountId = '…'`. */
    function keyOf(node: Node): string | undefined {
      const parent = node.parent;
      if (is(parent, 'Property') && parent.value === node) return keyName(parent.key, parent.computed);
      if (is(parent, 'VariableDeclarator') && is(parent.id, 'Identifier')) return parent.id.name;
      return undefined;
    }

    /** A string literal, a template without substitutions, or a `const` holding one: its text. */
    function literalText(value: Node): { text: string; via?: string } | undefined {
      const node = unwrap(value);
      if (is(node, 'Literal') && typeof node.value === 'string') return { text: node.value };
      if (is(node, 'TemplateLiteral') && node.expressions.length === 0) return { text: node.quasis[0]?.value.cooked ?? '' };
      if (is(node, 'Identifier')) {
        const def = resolve(context, node)?.defs[0];
        const declarator = asNode(def?.node);
        const declaration = asNode(def?.parent);
        if (def?.type === 'Variable' && is(declaration, 'VariableDeclaration') && declaration.kind === 'const' && is(declarator, 'VariableDeclarator') && declarator.init) {
          const init = unwrap(declarator.init);
          if (is(init, 'Literal') && typeof init.value === 'string') return { text: init.value, via: node.name };
          if (is(init, 'TemplateLiteral') && init.expressions.length === 0) return { text: init.quasis[0]?.value.cooked ?? '', via: node.name };
        }
      }
      return undefined;
    }

    return {
      Literal(raw) {
        const node = asNode(raw);
        if (!is(node, 'Literal') || typeof node.value !== 'string' || isIgnoredPosition(node)) return;
        checkText(node, node.value, keyOf(node));
      },
      TemplateLiteral(raw) {
        const node = asNode(raw);
        if (!is(node, 'TemplateLiteral') || isIgnoredPosition(node)) return;
        // The fixed parts, joined: `arn:aws:sns:${region}:…` still spells out an ARN.
        const text = node.quasis.map((q) => q.value.cooked ?? q.value.raw).join('${…}');
        checkText(node, text, node.expressions.length === 0 ? keyOf(node) : undefined);
      },
      Property(raw) {
        const node = asNode(raw);
        if (!is(node, 'Property') || node.parent?.type !== 'ObjectExpression') return;
        const key = keyName(node.key, node.computed);
        if (key === undefined || !RESOURCE_KEYS.has(key)) return;
        const literal = literalText(node.value);
        if (!literal || literal.text === '') return;
        // An ARN or queue URL literal is reported by the Literal visitor already.
        if (literal.via === undefined && (ARN.test(literal.text) || QUEUE_URL.test(literal.text))) return;
        const text = literal.via === undefined ? shorten(literal.text) : `${literal.via}` + ` = '${shorten(literal.text)}'`;
        report(node.value, 'resourceName', { key, text });
      },
    };
  },
};

export default rule;
