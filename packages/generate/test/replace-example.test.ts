/**
 * `npm run new:service -- <name> --replace-example`: the plan (what is removed, refused, kept and
 * edited) on the example as a fresh clone holds it, and the command's refusals, which leave the
 * project exactly as it was. The full run, followed by the generator's check and the new service's
 * tests, is replace-example.e2e.test.ts.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSpec, writeFiles } from '@kiro-serverless/fixtures';
import { ReplaceExampleError } from '../src/errors.js';
import { generate } from '../src/generate.js';
import { main, replaceExample } from '../src/new-service.js';
import type { ReplacementPlan } from '../src/replace-example.js';
import { applyReplacement, ExampleFileState, planReplaceExample } from '../src/replace-example.js';
import { BUDGETS, exampleClone, MANIFEST, projectTree } from './helpers/example.js';

/** The example's generated files, as the generator writes them for the orders fixture. */
const GENERATED = [
  'infra/generated/orders-stack.ts',
  ...['create-order', 'fulfil-order', 'notify-customer', 'publish-order-events'].flatMap((f) => [`src/generated/orders/${f}.ts`, `src/generated/orders/${f}.types.ts`]),
];
const SHIPPED = Object.keys(MANIFEST.files);

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function clone(extra: Readonly<Record<string, string>> = {}): Promise<string> {
  const root = await exampleClone('replace-example', extra);
  dirs.push(root);
  return root;
}
const statesOf = (files: ReplacementPlan['remove']): Record<string, string> => Object.fromEntries(files.map((f) => [f.path, f.state]));

describe('planReplaceExample', () => {
  let root: string;
  beforeAll(async () => {
    root = await clone({ 'specs/billing.yaml': fixtureSpec('billing') });
  });

  it('removes every file the example shipped and every generated file of its service, and refuses none, on a fresh clone', async () => {
    // Act
    const plan = await planReplaceExample(root, MANIFEST);

    // Assert
    expect(plan.refused).toEqual([]);
    expect(plan.problems).toEqual([]);
    expect(plan.absent).toEqual([]);
    expect(statesOf(plan.remove)).toEqual({
      ...Object.fromEntries(SHIPPED.map((p) => [p, ExampleFileState.AsShipped])),
      ...Object.fromEntries(GENERATED.map((p) => [p, ExampleFileState.Generated])),
    });
    expect(plan.remove.map((f) => f.path)).toEqual([...SHIPPED, ...GENERATED].sort());
  });

  it('keeps the other services\' specs, generated files and budgets, and drops only the example\'s budgets', async () => {
    const plan = await planReplaceExample(root, MANIFEST);

    expect(plan.keptSpecs).toEqual(['specs/billing.yaml']);
    expect(plan.remove.filter((f) => f.path.includes('billing') || f.path.includes('stacks.ts') || f.path.startsWith('specs/schema/'))).toEqual([]);
    expect(plan.budgets).toEqual({ file: 'infra/bundle-budgets.json', drop: ['orders.createOrder', 'orders.notifyCustomer'], keep: ['billing.getInvoice'] });
  });
});

describe('planReplaceExample: what the user changed', () => {
  let root: string;
  beforeAll(async () => {
    root = await clone({
      'src/handlers/orders/notes.ts': 'export const note = 1;\n',
      '.kiro/specs/order-cancellation/notes.md': '# mine\n',
      'specs/fixtures/orders/catalog/extra.json': '{}\n',
    });
    const order = path.join(root, 'src/handlers/orders/order.ts');
    await writeFile(order, `${await readFile(order, 'utf8')}// mine\n`);
    await writeFile(path.join(root, 'src/generated/orders/mine.ts'), 'export const mine = 1;\n');
    await writeFile(path.join(root, 'infra/generated/orders-stack.ts'), 'export const hand = "written";\n');
    const entry = path.join(root, 'src/generated/orders/create-order.ts');
    await writeFile(entry, `${await readFile(entry, 'utf8')}// an edit below the header\n`);
    const scenario = path.join(root, 'specs/orders.scenario.ts');
    await writeFile(scenario, (await readFile(scenario, 'utf8')).replace(/\n/g, '\r\n'));
  });

  it('refuses a changed file, a file the template did not ship in an example folder, and a header-less file where generated files go', async () => {
    // Act
    const plan = await planReplaceExample(root, MANIFEST);

    // Assert
    expect(plan.refused).toEqual([
      { path: '.kiro/specs/order-cancellation/notes.md', state: ExampleFileState.Unknown },
      { path: 'infra/generated/orders-stack.ts', state: ExampleFileState.NotGenerated },
      { path: 'specs/fixtures/orders/catalog/extra.json', state: ExampleFileState.Unknown },
      { path: 'src/generated/orders/mine.ts', state: ExampleFileState.NotGenerated },
      { path: 'src/handlers/orders/notes.ts', state: ExampleFileState.Unknown },
      { path: 'src/handlers/orders/order.ts', state: ExampleFileState.Changed },
    ]);
  });

  it('judges generated files by their header, not their content, and a shipped file by its text whatever its line ends', async () => {
    const plan = await planReplaceExample(root, MANIFEST);

    expect(statesOf(plan.remove)).toMatchObject({
      'src/generated/orders/create-order.ts': ExampleFileState.Generated,
      'specs/orders.scenario.ts': ExampleFileState.AsShipped,
    });
  });

  it('removes the changed and unknown files too with force, and says which they are', async () => {
    const plan = await planReplaceExample(root, MANIFEST, { force: true });

    expect(plan.refused).toEqual([]);
    expect(statesOf(plan.remove)).toMatchObject({
      'src/handlers/orders/order.ts': ExampleFileState.Changed,
      'src/handlers/orders/notes.ts': ExampleFileState.Unknown,
      'src/generated/orders/mine.ts': ExampleFileState.NotGenerated,
    });
  });

  it('refuses to apply a plan that refuses files', async () => {
    const plan = await planReplaceExample(root, MANIFEST);

    await expect(applyReplacement(plan, root)).rejects.toThrow(/refused files/);
    expect(await readFile(path.join(root, 'src/handlers/orders/notes.ts'), 'utf8')).toBe('export const note = 1;\n');
  });
});

describe('planReplaceExample: files already gone, and the budget file', () => {
  it('lists shipped files that are gone as absent, and plans no budget edit without a budget file', async () => {
    // Arrange
    const root = await clone();
    await rm(path.join(root, 'test/generated'), { recursive: true });
    await rm(path.join(root, 'specs/orders.scenario.ts'));
    await rm(path.join(root, MANIFEST.budgetFile));

    // Act
    const plan = await planReplaceExample(root, MANIFEST);

    // Assert
    expect(plan.absent).toEqual(['specs/orders.scenario.ts', 'test/generated/orders.integration.test.ts']);
    expect(plan.remove.map((f) => f.path)).not.toContain('specs/orders.scenario.ts');
    expect(plan.budgets).toBeUndefined();
    expect(plan.refused).toEqual([]);
  });

  it.each([
    ['that is not JSON', '{ "functions": ', /infra\/bundle-budgets\.json: not JSON .*; fix it/],
    ['whose functions is not a map', '{ "functions": [] }', /infra\/bundle-budgets\.json: `functions` is not a map/],
  ])('reports a budget file %s as a problem', async (_what, text, problem) => {
    const root = await clone({ [MANIFEST.budgetFile]: text });

    const plan = await planReplaceExample(root, MANIFEST);

    expect(plan.problems).toEqual([expect.stringMatching(problem)]);
  });
});

describe('replaceExample: refusals leave the project as it was', () => {
  it.each([
    ['a changed handler', { 'src/handlers/orders/order.ts': '// mine\n' }, 'payments',
      'src/handlers/orders/order.ts: changed since the template shipped it; edit or move it, or pass --force'],
    ['a header-less file where the generator writes', { 'src/generated/orders/x.ts': '// mine\n' }, 'payments',
      'src/generated/orders/x.ts: has no generated header, so it is not the generator\'s; move it, or pass --force'],
    ['a spec of that name', { 'specs/payments.yaml': 'service: payments\n' }, 'payments', 'specs/payments.yaml: exists already; pick another name, or move that spec.'],
    ['another spec with errors', { 'specs/billing.yaml': fixtureSpec('billing').replace(/^service: billing$/m, 'service: Billing') }, 'payments',
      'the specs that stay have errors, so the generator would stop; fix them first:'],
    ['another spec that declares the service', { 'specs/pay.yml': fixtureSpec('billing').replace(/^service: billing$/m, 'service: pay') }, 'pay',
      'specs/pay.yml: declares the service pay already; pick another name.'],
    ['a file of the user\'s where a generated file of the new service goes', { 'src/generated/payments/create-item.ts': '// mine\n' }, 'payments',
      'src/generated/payments/create-item.ts: has no generated header and stands where the generator must write a file of payments; move it.'],
  ])('with %s: throws ReplaceExampleError naming the problem, and changes nothing', async (_what, extra, name, issue) => {
    // Arrange
    const root = await clone();
    await writeFiles(root, extra);
    const before = await projectTree(root);
    const out: string[] = [];

    // Act
    const run = replaceExample({ root, name }, (line) => out.push(line));

    // Assert
    await expect(run).rejects.toThrow(ReplaceExampleError);
    await expect(run).rejects.toThrow(/^Nothing was removed or written: \d+ problem\(s\)/);
    await expect(run).rejects.toSatisfy((e: ReplaceExampleError) => e.issues.some((i) => i.startsWith(issue)));
    expect(out).toEqual([]);
    expect(await projectTree(root)).toEqual(before);
  });

  it('refuses a name that is not kebab-case, before looking at anything', async () => {
    await expect(replaceExample({ root: '/nonexistent', name: 'Payments' }, () => undefined)).rejects.toThrow(/`Payments` is not a valid service name: use kebab-case/);
  });

  it('with --dry-run: prints the plan and the problems, exits 1, and changes nothing', async () => {
    const root = await clone({ 'src/handlers/orders/notes.ts': '// mine\n' });
    const before = await projectTree(root);
    const out: string[] = [];

    const code = await replaceExample({ root, name: 'payments', dryRun: true }, (line) => out.push(line));

    expect(code).toBe(1);
    expect(out[0]).toBe('Dry run: replacing the example service orders with payments:');
    expect(out).toContain('  remove    specs/orders.yaml');
    expect(out).toContain('  write     specs/payments.yaml (the starter spec)');
    expect(out.at(-1)).toContain('  src/handlers/orders/notes.ts: not a file the template shipped with the example; move it, or pass --force');
    expect(await projectTree(root)).toEqual(before);
  });
});

describe('replaceExample: the replacement', () => {
  let root: string;
  let out: string[];
  let code: number;
  beforeAll(async () => {
    root = await clone({ 'src/handlers/orders/notes.ts': '// mine\n', 'specs/billing.yaml': fixtureSpec('billing') });
    out = [];
    code = await replaceExample({ root, name: 'payments', force: true }, (line) => out.push(line));
  });

  it('removes the example, keeps the other service, edits the budgets, writes and generates the new service', async () => {
    const tree = await projectTree(root);
    const files = [...tree.keys()];

    expect(code).toBe(0);
    expect(files.filter((f) => /orders|order-cancellation/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('.kiro/') || f.startsWith('test/generated/') || f.startsWith('specs/fixtures/'))).toEqual([]);
    expect(files.filter((f) => f.includes('/payments/') || f.startsWith('specs/payments') || f.includes('payments-stack'))).toEqual([
      'infra/generated/payments-stack.ts',
      'specs/payments.yaml',
      'src/generated/payments/create-item.ts',
      'src/generated/payments/create-item.types.ts',
      'src/generated/payments/process-item.ts',
      'src/generated/payments/process-item.types.ts',
      'src/handlers/payments/create-item.ts',
      'src/handlers/payments/process-item.ts',
      'test/handlers/payments/create-item.test.ts',
      'test/handlers/payments/process-item.test.ts',
    ]);
    expect(files).toContain('specs/billing.yaml');
    expect(files).toContain('infra/generated/billing-stack.ts');
    expect(JSON.parse(tree.get(MANIFEST.budgetFile)!)).toEqual({ ...BUDGETS, functions: { 'billing.getInvoice': 500000 } });
  });

  it('prints what it removed, kept and wrote, what the generator did, and the next steps', () => {
    expect(out[0]).toBe('Replacing the example service orders with payments:');
    expect(out).toEqual(expect.arrayContaining([
      '  remove    specs/orders.yaml',
      '  remove    src/generated/orders/create-order.ts',
      '  remove    src/handlers/orders/notes.ts (not a file the template shipped with the example; --force)',
      '  edit      infra/bundle-budgets.json: drop orders.createOrder, orders.notifyCustomer',
      '  keep      infra/bundle-budgets.json: the default and 1 other budget(s)',
      '  keep      specs/billing.yaml (another service)',
      '  write     specs/payments.yaml (the starter spec)',
      'Generating (npm run generate):',
      '  create    src/handlers/payments/create-item.ts',
      `Removed ${SHIPPED.length + GENERATED.length + 1} file(s) of the orders example; wrote specs/payments.yaml and generated payments.`,
      'Next:',
    ]));
    expect(out.at(-1)).toMatch(/^ {2}\d\. /);
  });

  it('leaves generated files that --check finds up to date', async () => {
    const lines: string[] = [];

    expect(await generate({ root, mode: 'check' }, (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/^Generated files are up to date \(\d+ files, 2 spec\(s\)\)\.$/);
  });
});

describe('npm run new:service (main)', () => {
  it.each([
    [['payments', '--force'], '--force and --dry-run go with --replace-example.'],
    [['payments', '--dry-run'], '--force and --dry-run go with --replace-example.'],
    [['a', 'b', '--replace-example'], 'One service name, please; got a, b.'],
    [['payments', '--replace'], "Unknown option '--replace'"],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    const err: string[] = [];

    const code = await main(argv, () => undefined, (line) => err.push(line), '/nonexistent');

    expect(code).toBe(2);
    expect(err.join('\n')).toContain(message);
    expect(err.join('\n')).toContain('Usage: npm run new:service -- <name> [--replace-example [--force] [--dry-run]]');
  });

  it('exits 1 with the problems when the replacement is refused', async () => {
    const root = await clone({ 'src/handlers/orders/order.ts': '// mine\n' });
    const err: string[] = [];

    const code = await main(['payments', '--replace-example'], () => undefined, (line) => err.push(line), root);

    expect(code).toBe(1);
    expect(err.join('\n')).toContain('src/handlers/orders/order.ts: changed since the template shipped it; edit or move it, or pass --force');
  });
});
