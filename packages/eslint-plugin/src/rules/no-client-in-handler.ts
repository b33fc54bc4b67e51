/**
 * lambda/no-client-in-handler (LBP-INIT-CLIENTS): SDK clients and other heavy objects are created
 * once, at module scope (INIT), and reused by warm invocations; never inside the handler or
 * anything it runs per invocation.
 */
import type { Rule } from 'eslint';
import type { CallExpression, Node } from '../ast.js';
import { asNode, asRuleNode, calleeName, importSource, is, resolve, unwrap } from '../ast.js';
import { docs } from '../docs.js';
import type { PerInvocationOptions } from '../per-invocation.js';
import { lazyInitTarget, perInvocationSchema, runsPerInvocation } from '../per-invocation.js';

interface Options extends PerInvocationOptions {
  /** More function names whose call builds something heavy (e.g. `createTmpCache`). */
  readonly factories?: readonly string[];
}

/** Classes that are heavy to construct, by the package they come from. `*` matches any name but errors. */
const HEAVY_CLASSES: readonly { readonly source: RegExp; readonly names: RegExp }[] = [
  { source: /^@aws-sdk\//, names: /Client$/ },
  { source: /^@aws-lambda-powertools\//, names: /^(?!.*Error$)/ },
  { source: /^@smithy\/node-http-handler$/, names: /^NodeHttpHandler$/ },
  { source: /^(node:)?https?$|^undici$/, names: /^Agent$/ },
  { source: /^pg$|^pg-pool$/, names: /^(Pool|Client)$/ },
  { source: /^ioredis$/, names: /^(Redis|Cluster)$/ },
  { source: /^mongodb$/, names: /^MongoClient$/ },
];

/** Factory functions that open connections or build clients, by the package they come from. */
const HEAVY_FACTORIES: readonly { readonly source: RegExp; readonly names: RegExp }[] = [
  { source: /^mysql2(\/promise)?$/, names: /^(createPool|createConnection|createPoolCluster)$/ },
  { source: /^redis$/, names: /^(createClient|createCluster)$/ },
];

/** Names that give a construction away whatever its package: `new FooClient()`, `new Pool()`. */
const HEAVY_NAME = /(Client|Pool)$/;
/** Imported helpers whose name says they build a client: `createClient()`, `makeDynamoClient()`. */
const FACTORY_NAME = /^(create|make|build|new)[A-Za-z0-9]*(Client|Pool|Connection)$/;

function describeConstruction(node: CallExpression, name: string): string {
  return node.type === 'NewExpression' ? `new ${name}()` : `${name}()`;
}

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: docs('no-client-in-handler', 'Disallow creating SDK clients and other heavy objects in code that runs on every invocation (LBP-INIT-CLIENTS)'),
    schema: [{ ...perInvocationSchema, properties: { ...perInvocationSchema.properties, factories: { type: 'array', items: { type: 'string' } } } }],
    messages: {
      inHandler:
        'LBP-INIT-CLIENTS: `{{what}}` runs on every invocation of `{{handler}}`{{via}}. Create it once at module scope (or import it from @kiro-serverless/runtime/clients/*) so that warm invocations reuse it and its connections.',
    },
  },
  create(context) {
    const options = (context.options[0] ?? {}) as Options;
    const extraFactories = new Set(options.factories ?? []);

    /** What is being built, when `node` builds something heavy; undefined otherwise. */
    function heavy(node: CallExpression): string | undefined {
      const callee = unwrap(node.callee);
      const name = calleeName(callee);
      if (name === undefined) return undefined;
      // The binding the callee starts from: `DynamoDBClient`, or `ddb` in `ddb.DynamoDBClient`.
      const head = is(callee, 'Identifier') ? callee : is(callee, 'MemberExpression') ? unwrap(callee.object) : undefined;
      const variable = is(head, 'Identifier') ? resolve(context, head) : undefined;
      const source = importSource(variable);
      const localFunction = variable !== undefined && source === undefined && variable.defs[0]?.type !== 'ImportBinding';

      if (node.type === 'NewExpression') {
        if (source !== undefined) {
          if (HEAVY_CLASSES.some((c) => c.source.test(source) && c.names.test(name))) return describeConstruction(node, name);
        }
        // `new Foo.BarClient()` or an unimported `new BarClient()`; a class defined in the file counts too.
        if (HEAVY_NAME.test(name)) return describeConstruction(node, name);
        return undefined;
      }
      // XxxClient.from(inner): the DynamoDB document client and its kind.
      if (is(callee, 'MemberExpression') && name === 'from' && is(head, 'Identifier') && /Client$/.test(head.name)) {
        return `${head.name}.from()`;
      }
      if (source !== undefined && HEAVY_FACTORIES.some((f) => f.source.test(source) && f.names.test(name))) return describeConstruction(node, name);
      if (extraFactories.has(name)) return describeConstruction(node, name);
      // An imported (or global) helper named like a client factory; same-file helpers are followed instead.
      if (!localFunction && FACTORY_NAME.test(name)) return describeConstruction(node, name);
      return undefined;
    }

    function check(raw: Rule.Node): void {
      const node = asNode(raw) as CallExpression;
      const what = heavy(node);
      if (what === undefined) return;
      const reason = runsPerInvocation(context, node, options);
      if (!reason) return;
      // `client ??= new XClient()`: built once per execution environment, then reused (INIT reuse).
      if (lazyInitTarget(context, node as Node)) return;
      context.report({
        node: asRuleNode(node),
        messageId: 'inHandler',
        data: {
          what,
          handler: reason.handler,
          via: reason.via === undefined ? '' : ` (through \`${reason.via}()\`, which it calls)`,
        },
      });
    }

    return { NewExpression: check, CallExpression: check };
  },
};

export default rule;
