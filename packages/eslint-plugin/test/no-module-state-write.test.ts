import rule from '../src/rules/no-module-state-write.js';
import { ruleTester } from './rule-tester.js';

const error = (code: string, name: string, handler = 'handler', via = '') => ({ messageId: 'write', data: { code, name, handler, via } });

ruleTester.run('lambda/no-module-state-write', rule, {
  valid: [
    { name: 'writes at module scope (INIT)', code: `let count = 0;\ncount++;\nconst seen: string[] = [];\nseen.push('init');\nexport const handler = async () => count + seen.length;` },
    { name: 'reads of module state', code: `const table = new Map([['a', 1]]);\nexport const handler = async (k: string) => table.get(k);` },
    { name: 'lazy init with ??=', code: `let config: object | undefined;\ndeclare function load(): Promise<object>;\nexport const handler = async () => { config ??= await load(); return config; };` },
    { name: 'lazy init with ||= of a plain property', code: `const cache: { client?: object } = {};\nexport const handler = async () => { cache.client ||= {}; return cache.client; };` },
    { name: 'lazy init guarded by if (x === undefined)', code: `let config: object | undefined;\ndeclare function load(): Promise<object>;\nexport async function handler() { if (config === undefined) config = await load(); return config; }` },
    { name: 'lazy init with x ?? (x = ...)', code: `let config: object | undefined;\nexport const handler = async () => config ?? (config = {});` },
    { name: 'local state with the same name shadows the module one', code: `const seen: string[] = [];\nexport const handler = async (id: string) => { const seen: string[] = []; seen.push(id); let n = 0; n++; return [seen, n]; };` },
    { name: 'a module function that writes, only called at INIT', code: `const registry = new Map<string, number>();\nfunction register(k: string) { registry.set(k, 1); }\nregister('a');\nexport const handler = async () => registry.size;` },
    { name: 'non-mutating methods on a module container', code: `const items = [1, 2];\nexport const handler = async () => items.map((x) => x * 2).concat(items.slice(1));` },
    { name: 'mutating a local copy', code: `const defaults = { a: 1 };\nexport const handler = async () => { const copy = { ...defaults }; copy.a = 2; Object.assign(copy, { b: 1 }); return copy; };` },
    { name: 'a closure state inside a factory (per wrapper, not module scope)', code: `function makeHandler() { let failed = false; return async () => { failed = true; return failed; }; }\nexport const handler = makeHandler();` },
    { name: 'a method call on a module client is not a container write', code: `import { logger } from './observability.js';\nexport const handler = async () => { logger.appendKeys({ a: 1 }); };` },
    { name: 'not a handler file export (default options)', code: `const seen: string[] = [];\nexport function remember(id: string) { seen.push(id); }` },
  ],
  invalid: [
    {
      name: 'a counter incremented per invocation',
      code: `let invocations = 0;\nexport const handler = async () => { invocations++; return invocations; };`,
      errors: [error('invocations++', 'invocations')],
    },
    {
      name: 'a plain re-assignment without a guard',
      code: `let lastEvent: unknown;\nexport const handler = async (event: unknown) => { lastEvent = event; };`,
      errors: [error('lastEvent = event', 'lastEvent')],
    },
    {
      name: 'pushing into a module array in a nested closure',
      code: `const seen: string[] = [];\nexport const handler = async (ids: string[]) => { ids.forEach((id) => { seen.push(id); }); };`,
      errors: [error('seen.push(id)', 'seen')],
    },
    {
      name: 'Map.set, Set.add and delete in a default export',
      code: `const cache = new Map<string, string>();\nconst ids = new Set<string>();\nexport default async function (k: string) { cache.set(k, k); ids.add(k); cache.delete('x'); }`,
      errors: [error("cache.set(k, k)", 'cache', 'default export'), error('ids.add(k)', 'ids', 'default export'), error("cache.delete('x')", 'cache', 'default export')],
    },
    {
      name: 'property writes, delete and Object.assign on a module object',
      code: `const state: Record<string, unknown> = {};\nexport const handler = async (k: string) => { state[k] = 1; delete state.old; Object.assign(state, { k }); };`,
      errors: [error('state[k] = 1', 'state'), error('delete state.old', 'state'), error('Object.assign(state, { k })', 'state')],
    },
    {
      name: 'memoising by key accumulates (computed ??=)',
      code: `const byKey: Record<string, object> = {};\nexport const handler = async (k: string) => (byKey[k] ??= {});`,
      errors: [error('byKey[k] ??= {}', 'byKey')],
    },
    {
      name: 'in a module function the handler calls, reached through a wrapper',
      code: `import middy from '@middy/core';\nconst results: number[] = [];\nfunction record(n: number) { results.push(n); }\nexport const handler = middy(async (n: number) => record(n));`,
      errors: [error('results.push(n)', 'results', 'handler', ' (in `record()`, which it calls)')],
    },
    {
      name: 'writing to an imported object (another module\'s state)',
      code: `import { stats } from './stats.js';\nexport const handler = async () => { stats.count += 1; };`,
      errors: [error('stats.count += 1', 'stats')],
    },
    {
      name: 'a guard on another variable does not make it lazy',
      code: `let config: object | undefined;\nlet ready = false;\nexport const handler = async () => { if (!ready) config = {}; return config; };`,
      errors: [error('config = {}', 'config')],
    },
    {
      name: 'exportsRunPerInvocation: an exported business-logic function',
      code: `const orders: string[] = [];\nexport async function fulfilOrder(id: string) { orders.push(id); }`,
      options: [{ exportsRunPerInvocation: true }],
      errors: [error('orders.push(id)', 'orders', 'fulfilOrder')],
    },
  ],
});
