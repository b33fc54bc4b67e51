/**
 * Drift, ownership and removal with the real renderers, through the CLI: what `--check` names, what a
 * run writes, keeps and deletes. (sync.test.ts covers the same rules with a stand-in renderer.)
 */
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BILLING, BILLING_FILE, ORDERS, ORDERS_FILE, billingModel, generate, ordersModel, readTree, tempDir, withoutFunction, writeFiles,
} from './helpers/project.js';

/** The `--check` lines that name a file: `[label, path]`. */
function checkLines(out: string): [string, string][] {
  return [...out.matchAll(/^ {2}(missing|stale|orphaned|conflict)\s+(\S+)/gm)].map(([, label = '', file = '']) => [label, file]);
}

/** The per-file lines of a write run: `[action, path]`. */
function writeLines(out: string): [string, string][] {
  return [...out.matchAll(/^ {2}(create|update|delete)\s+(\S+)$/gm)].map(([, action = '', file = '']) => [action, file]);
}

/** Functions in the two specs (the example is edited by others, so it is counted, not assumed). */
const FUNCTION_COUNT = Object.keys(billingModel().functions).length + Object.keys(ordersModel().functions).length;
/** Generated files of the two specs: the schema, the stacks index, two stacks, an entry and its types per function. */
const GENERATED_COUNT = 2 + 2 + 2 * FUNCTION_COUNT;

describe('generate and --check with the real renderers', () => {
  let root: string;
  const read = (rel: string) => readFile(path.join(root, rel), 'utf8');
  const put = (rel: string, text: string) => writeFiles(root, { [rel]: text });

  beforeEach(async () => {
    root = await tempDir('generate-drift');
    await writeFiles(root, { [ORDERS_FILE]: ORDERS, [BILLING_FILE]: BILLING });
    expect((await generate([], root)).code).toBe(0);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('--check exits 1 and names each file that differs', () => {
    it('after a spec edit that changes an entry (the idempotency key; the stack only knows that there is one)', async () => {
      await put(BILLING_FILE, BILLING.replace('idempotency: { key: body.paymentId }', 'idempotency: { key: body.paymentRef }'));

      const check = await generate(['--check'], root);

      expect(check.code).toBe(1);
      expect(checkLines(check.out)).toEqual([['stale', 'src/generated/billing/apply-payment.ts']]);
      expect(check.out).toContain('Fix: run `npm run generate`');
    });

    it('after a spec edit that changes an entry and its types (a new permission)', async () => {
      await put(BILLING_FILE, BILLING.replace('permissions: { read: [ledger], write: [invoices] }', 'permissions: { read: [ledger], write: [invoices], publish: [invoiceEvents] }'));

      const check = await generate(['--check'], root);

      expect(check.code).toBe(1);
      expect(checkLines(check.out)).toEqual([
        ['stale', 'infra/generated/billing-stack.ts'],
        ['stale', 'src/generated/billing/project-ledger.ts'],
        ['stale', 'src/generated/billing/project-ledger.types.ts'],
      ]);
    });

    it('after a spec edit that changes only infrastructure (a queue setting): the stack alone', async () => {
      await put(BILLING_FILE, BILLING.replace('  reminders:\n', '  reminders:\n    visibilityTimeoutSeconds: 90\n'));

      const check = await generate(['--check'], root);
      const run = await generate([], root);

      expect(check.code).toBe(1);
      expect(checkLines(check.out)).toEqual([['stale', 'infra/generated/billing-stack.ts']]);
      expect(writeLines(run.out)).toEqual([['update', 'infra/generated/billing-stack.ts']]);
      expect(await read('infra/generated/billing-stack.ts')).toContain(`
    const remindersQueue = new ServiceQueue(this, 'RemindersQueue', {
      fifo: false,
      visibilityTimeoutSeconds: 90,
      deadLetter: { maxReceiveCount: 5 },
    });
`);
    });

    it('after a new function in the spec: its four files are missing, and the stack is stale', async () => {
      await put(BILLING_FILE, `${BILLING}\n  refundPayment:\n    invocation: sync\n`);

      const check = await generate(['--check'], root);

      expect(check.code).toBe(1);
      expect(checkLines(check.out)).toEqual([
        ['stale', 'infra/generated/billing-stack.ts'],
        ['missing', 'src/generated/billing/refund-payment.ts'],
        ['missing', 'src/generated/billing/refund-payment.types.ts'],
        ['missing', 'src/handlers/billing/refund-payment.ts'],
        ['missing', 'test/handlers/billing/refund-payment.test.ts'],
      ]);
    });

    it('after a generated file was deleted', async () => {
      await rm(path.join(root, 'src/generated/billing/quote-tax.types.ts'));

      const check = await generate(['--check'], root);

      expect(check.code).toBe(1);
      expect(checkLines(check.out)).toEqual([['missing', 'src/generated/billing/quote-tax.types.ts']]);
    });

    it('after a stack or the stacks index was edited by hand or deleted; generating restores them', async () => {
      const stack = await read('infra/generated/orders-stack.ts');
      const index = await read('infra/generated/stacks.ts');
      await put('infra/generated/orders-stack.ts', `${stack}// my tweak\n`);
      await rm(path.join(root, 'infra/generated/stacks.ts'));

      const check = await generate(['--check'], root);
      const run = await generate([], root);

      expect(check.code).toBe(1);
      expect(checkLines(check.out)).toEqual([['stale', 'infra/generated/orders-stack.ts'], ['missing', 'infra/generated/stacks.ts']]);
      expect(writeLines(run.out)).toEqual([['update', 'infra/generated/orders-stack.ts'], ['create', 'infra/generated/stacks.ts']]);
      expect(await read('infra/generated/orders-stack.ts')).toBe(stack);
      expect(await read('infra/generated/stacks.ts')).toBe(index);
    });

    it('after a generated file was edited by hand; generating restores it', async () => {
      const original = await read('src/generated/orders/create-order.ts');
      await put('src/generated/orders/create-order.ts', original.replace('expiresAfterSeconds: 3600', 'expiresAfterSeconds: 60'));

      const check = await generate(['--check'], root);
      const run = await generate([], root);

      expect(check.code).toBe(1);
      expect(checkLines(check.out)).toEqual([['stale', 'src/generated/orders/create-order.ts']]);
      expect(writeLines(run.out)).toEqual([['update', 'src/generated/orders/create-order.ts']]);
      expect(await read('src/generated/orders/create-order.ts')).toBe(original);
    });
  });

  it('never overwrites a handler the user has edited, and reports it kept; a deleted scaffold comes back', async () => {
    const mine = 'export const getInvoice = { handle: () => Promise.resolve({ statusCode: 204 }) };\n';
    await put('src/handlers/billing/get-invoice.ts', mine);
    await rm(path.join(root, 'test/handlers/billing/get-invoice.test.ts'));
    await put(BILLING_FILE, BILLING.replace('Return one invoice and the link to its PDF', 'Return one invoice'));

    const dry = await generate(['--dry-run'], root);
    const run = await generate([], root);

    expect(dry.out).toMatch(/^ {2}keep\s+src\/handlers\/billing\/get-invoice\.ts$/m);
    // The description is in the entry's doc and on the stack's function.
    expect(writeLines(run.out)).toEqual([
      ['update', 'infra/generated/billing-stack.ts'],
      ['update', 'src/generated/billing/get-invoice.ts'],
      ['create', 'test/handlers/billing/get-invoice.test.ts'],
    ]);
    // Generated: the schema, the stacks index, a stack per spec and two per function; scaffolds: two per function.
    expect(run.out).toContain(`1 created, 2 updated, 0 deleted, ${GENERATED_COUNT - 2} unchanged, ${2 * FUNCTION_COUNT - 1} user file(s) kept.`);
    expect(await read('src/handlers/billing/get-invoice.ts')).toBe(mine);
    expect(await read('src/generated/billing/get-invoice.ts')).toContain('Return one invoice. Not idempotent');
  });

  it('deletes the generated files of a removed function, takes it out of the stack, leaves its handler and test, and says so', async () => {
    const handler = await read('src/handlers/billing/quote-tax.ts');
    await put(BILLING_FILE, withoutFunction(BILLING, 'quoteTax'));

    const check = await generate(['--check'], root);
    const run = await generate([], root);
    const after = await generate(['--check'], root);

    expect(checkLines(check.out)).toEqual([
      ['stale', 'infra/generated/billing-stack.ts'],
      ['orphaned', 'src/generated/billing/quote-tax.ts'],
      ['orphaned', 'src/generated/billing/quote-tax.types.ts'],
    ]);
    expect(writeLines(run.out)).toEqual([
      ['update', 'infra/generated/billing-stack.ts'],
      ['delete', 'src/generated/billing/quote-tax.ts'],
      ['delete', 'src/generated/billing/quote-tax.types.ts'],
    ]);
    expect(await read('infra/generated/billing-stack.ts')).not.toMatch(/quoteTax|QuoteTax|quote-tax/);
    expect(run.out).toContain('note: src/handlers/billing/quote-tax.ts belongs to no function in the specs; it was left in place');
    expect(run.out).toContain('note: test/handlers/billing/quote-tax.test.ts belongs to no function in the specs; it was left in place');
    const tree = await readTree(root);
    expect(tree.has('src/generated/billing/quote-tax.ts')).toBe(false);
    expect(tree.has('src/generated/billing/quote-tax.types.ts')).toBe(false);
    expect(tree.get('src/handlers/billing/quote-tax.ts')).toBe(handler);
    expect(tree.has('test/handlers/billing/quote-tax.test.ts')).toBe(true);
    expect(after.code).toBe(0);
  });

  it('removes the stack and the generated folder of a removed spec, takes it out of the stacks index, and keeps its handlers', async () => {
    const billingFunctions = Object.values(billingModel().functions).map((f) => f.fileName).sort();
    await rm(path.join(root, BILLING_FILE));

    const run = await generate([], root);

    const tree = await readTree(root);
    expect(writeLines(run.out)).toEqual([
      ['delete', 'infra/generated/billing-stack.ts'],
      ['update', 'infra/generated/stacks.ts'],
      ...billingFunctions.flatMap((name) => [['delete', `src/generated/billing/${name}.ts`], ['delete', `src/generated/billing/${name}.types.ts`]]),
    ]);
    expect(tree.get('infra/generated/stacks.ts')).not.toContain('Billing');
    expect(tree.get('infra/generated/stacks.ts')).toContain(`import { OrdersStack } from './orders-stack.js';`);
    expect([...tree.keys()].filter((f) => f.startsWith('infra/generated/'))).toEqual(['infra/generated/orders-stack.ts', 'infra/generated/stacks.ts']);
    expect([...tree.keys()].filter((f) => f.startsWith('src/generated/billing'))).toEqual([]);
    expect([...tree.keys()].filter((f) => f.startsWith('src/handlers/billing'))).toHaveLength(9);
    await expect(stat(path.join(root, 'src/generated/billing'))).rejects.toThrow(/ENOENT/);
    expect((await generate(['--check'], root)).code).toBe(0);
  });

  it('adds the stack of a new spec and lists it in the stacks index', async () => {
    await put('specs/orders-v2.yaml', ORDERS.replace(/^service: orders$/m, 'service: orders-v2'));

    const check = await generate(['--check'], root);
    const run = await generate([], root);

    expect(checkLines(check.out).filter(([, file]) => file.startsWith('infra/'))).toEqual([
      ['missing', 'infra/generated/orders-v2-stack.ts'],
      ['stale', 'infra/generated/stacks.ts'],
    ]);
    expect(writeLines(run.out).filter(([, file]) => file.startsWith('infra/'))).toEqual([
      ['create', 'infra/generated/orders-v2-stack.ts'],
      ['update', 'infra/generated/stacks.ts'],
    ]);
    expect(await read('infra/generated/orders-v2-stack.ts')).toContain('export class OrdersV2Stack extends Stack {');
    expect((await read('infra/generated/stacks.ts')).split('\n').filter((l) => l.startsWith('import '))).toEqual([
      `import { BillingStack } from './billing-stack.js';`,
      `import { OrdersStack } from './orders-stack.js';`,
      `import { OrdersV2Stack } from './orders-v2-stack.js';`,
    ]);
  });
});

describe('a spec the generator cannot place', () => {
  it('two function IDs that give one file name: a spec error naming both, and nothing written', async () => {
    const root = await tempDir('generate-same-file');
    try {
      await writeFiles(root, { 'specs/shop.yaml': 'service: shop\nfunctions:\n  createOrder:\n    invocation: sync\n  createORDER:\n    invocation: sync\n' });

      const run = await generate([], root);

      expect(run.code).toBe(1);
      expect(run.err).toMatch(/^Nothing generated: /);
      expect(run.err).toMatch(/specs\/shop\.yaml:\d+:\d+ error SPEC-DUPLICATE-ID .*createORDER.*createOrder/);
      expect((await readTree(root)).size).toBe(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('a file without the generated header at a generated path', () => {
  let root: string;
  beforeEach(async () => {
    root = await tempDir('generate-conflict');
    await writeFiles(root, { [ORDERS_FILE]: ORDERS, [BILLING_FILE]: BILLING });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const mine = 'export const handler = () => "hand-written";\n';

  it('stops the first run with an error naming it, and nothing is written', async () => {
    await writeFiles(root, { 'src/generated/billing/get-invoice.ts': mine });

    const run = await generate([], root);

    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toContain('without the generated header stand where generated files must go; nothing was written:\n  src/generated/billing/get-invoice.ts\n');
    expect([...(await readTree(root)).entries()]).toEqual([['src/generated/billing/get-invoice.ts', mine]]);
  });

  it('stops a later run too, leaving every file as it was although the spec changed', async () => {
    expect((await generate([], root)).code).toBe(0);
    await writeFiles(root, {
      'src/generated/orders/notify-customer.types.ts': mine,
      [BILLING_FILE]: withoutFunction(BILLING, 'quoteTax').replace('timeoutSeconds: 20', 'timeoutSeconds: 25').replace('Recompute the balance', 'Recompute the whole balance'),
    });
    const before = await readTree(root);

    const check = await generate(['--check'], root);
    const run = await generate([], root);

    expect(check.code).toBe(1);
    expect(checkLines(check.out)).toContainEqual(['conflict', 'src/generated/orders/notify-customer.types.ts']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('  src/generated/orders/notify-customer.types.ts\n');
    expect(run.err).toMatch(/Fix: .*delete the file, then run `npm run generate` again\./);
    expect(await readTree(root)).toEqual(before);
  });
});
