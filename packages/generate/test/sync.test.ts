import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OwnershipConflictError } from '../src/errors.js';
import { isGenerated, tsHeader } from '../src/header.js';
import type { PlannedFile, ProjectRenderer, ServiceRenderer } from '../src/plan.js';
import { FileKind, planFiles } from '../src/plan.js';
import { Action, applyReport, diffPlan, pendingChanges } from '../src/sync.js';
import { checkSpecText } from '@kiro-serverless/model/check';
import type { ServiceModel } from '@kiro-serverless/model/model';
import { ORDERS, ORDERS_FILE } from '@kiro-serverless/fixtures';

/** A renderer that writes one generated file and one handler scaffold per function. */
const perFunction: ServiceRenderer = (m) => Object.values(m.functions).flatMap((fn): PlannedFile[] => [
  { path: `src/generated/${m.service}/${fn.fileName}.ts`, kind: FileKind.Generated, source: m.sourceFile, content: `${tsHeader(m.sourceFile)}export const memory = ${fn.memoryMb};\n` },
  { path: `src/handlers/${m.service}/${fn.fileName}.ts`, kind: FileKind.Scaffold, source: m.sourceFile, content: `export const todo = '${fn.id}';\n` },
]);

/** A project renderer that writes one index of every service it is given, in the order given. */
const index: ProjectRenderer = (models) => [
  { path: 'src/generated/index.ts', kind: FileKind.Generated, source: 'specs/*.yaml', content: `${tsHeader('specs/*.yaml')}export const services = ${JSON.stringify(models.map((m) => m.service))};\n` },
];

function model(text = ORDERS, file = ORDERS_FILE): ServiceModel {
  const { model: m, findings } = checkSpecText(text, file);
  if (!m) throw new Error(JSON.stringify(findings));
  return m;
}

/** The example under another service name (and spec file). */
const renamed = (service: string) => model(ORDERS.replace(/^service: orders$/m, `service: ${service}`), `specs/${service}.yaml`);

describe('generator sync', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'generate-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const read = (rel: string) => readFile(path.join(root, rel), 'utf8');
  const put = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  };
  const run = async (models: ServiceModel[]) => {
    const report = await diffPlan(planFiles(models, [perFunction]), root);
    await applyReport(report, root);
    return report;
  };

  it('plans the same bytes in the same order for the same specs', () => {
    const a = planFiles([model()], [perFunction]);
    const b = planFiles([model()], [perFunction]);
    expect(b).toEqual(a);
    expect(a.map((f) => f.path)).toEqual([...a.map((f) => f.path)].sort());
  });

  it('gives project renderers every model once, sorted by service, and sorts their files in with the rest', () => {
    const models = ['orders-v2', 'billing', 'orders'].map(renamed);
    const plan = planFiles(models, [perFunction], [index]);

    expect(plan.filter((f) => f.path === 'src/generated/index.ts').map((f) => f.content)).toEqual([`${tsHeader('specs/*.yaml')}export const services = ["billing","orders","orders-v2"];\n`]);
    expect(plan.map((f) => f.path)).toEqual([...plan.map((f) => f.path)].sort());
    expect(plan).toHaveLength(1 + 3 * 2 * 4 + 1);
    expect(planFiles([...models].reverse(), [perFunction], [index])).toEqual(plan);
    expect(planFiles([], [perFunction], [index]).map((f) => [f.path, f.content])).toEqual([
      ['specs/schema/service.schema.json', expect.any(String)],
      ['src/generated/index.ts', `${tsHeader('specs/*.yaml')}export const services = [];\n`],
    ]);
  });

  it('refuses a plan in which two renderers claim one path (a renderer bug)', () => {
    const clash: ProjectRenderer = () => [{ path: 'src/generated/orders/create-order.ts', kind: FileKind.Generated, source: 'specs/*.yaml', content: tsHeader('specs/*.yaml') }];
    expect(() => planFiles([model()], [perFunction], [clash])).toThrow('Two planned files share the path src/generated/orders/create-order.ts (a renderer bug).');
    expect(() => planFiles([model()], [perFunction], [index, index])).toThrow('Two planned files share the path src/generated/index.ts');
  });

  it('writes generated files with the header and scaffolds once, then finds nothing to do', async () => {
    // Act
    const first = await run([model()]);
    const second = await diffPlan(planFiles([model()], [perFunction]), root);
    // Assert
    expect(pendingChanges(first)).toHaveLength(1 + 2 * 4);
    expect(isGenerated(await read('src/generated/orders/create-order.ts'))).toBe(true);
    expect(pendingChanges(second)).toEqual([]);
    expect(second.changes.filter((c) => c.action === Action.Kept)).toHaveLength(4);
  });

  it('never touches a scaffold the user has edited', async () => {
    await run([model()]);
    await put('src/handlers/orders/create-order.ts', 'export const mine = 1;\n');
    await run([model(ORDERS.replace('    memoryMb: 512\n', '    memoryMb: 1024\n'))]);
    expect(await read('src/handlers/orders/create-order.ts')).toBe('export const mine = 1;\n');
    expect(await read('src/generated/orders/create-order.ts')).toContain('memory = 1024');
  });

  it('reports a hand-edited generated file as an update, and a spec edit too', async () => {
    await run([model()]);
    await put('src/generated/orders/fulfil-order.ts', `${await read('src/generated/orders/fulfil-order.ts')}// my tweak\n`);
    const report = await diffPlan(planFiles([model(ORDERS.replace('    memoryMb: 512\n', '    memoryMb: 1024\n'))], [perFunction]), root);
    expect(pendingChanges(report).map((c) => [c.action, c.path])).toEqual([
      ['update', 'src/generated/orders/create-order.ts'],
      ['update', 'src/generated/orders/fulfil-order.ts'],
    ]);
  });

  it('reports a deleted generated file as missing', async () => {
    await run([model()]);
    await rm(path.join(root, 'src/generated/orders/notify-customer.ts'));
    const report = await diffPlan(planFiles([model()], [perFunction]), root);
    expect(pendingChanges(report).map((c) => [c.action, c.path])).toEqual([['create', 'src/generated/orders/notify-customer.ts']]);
  });

  it('deletes the generated files of a removed function, keeps its handler and reports it', async () => {
    // Arrange
    await run([model()]);
    // Without notifyCustomer, and without the queue only its onFailure named.
    const without = ORDERS.slice(0, ORDERS.indexOf('  notifyCustomer:')).replace('  notifyFailures: {}\n', '');
    // Act
    const report = await run([model(without)]);
    // Assert
    expect(report.changes.filter((c) => c.action === Action.Delete || c.action === Action.Abandoned).map((c) => [c.action, c.path])).toEqual([
      ['delete', 'src/generated/orders/notify-customer.ts'],
      ['abandoned', 'src/handlers/orders/notify-customer.ts'],
    ]);
    expect(await readdir(path.join(root, 'src/generated/orders'))).not.toContain('notify-customer.ts');
    expect(await read('src/handlers/orders/notify-customer.ts')).toContain('notifyCustomer');
  });

  it('removes the folder of a removed service', async () => {
    await run([model()]);
    await run([]);
    expect(await readdir(path.join(root, 'src/generated'))).toEqual([]);
  });

  it('rewrites a project file when a service goes, and keeps it (emptied) when the last one does', async () => {
    const other = renamed('billing');
    const runWithIndex = async (models: ServiceModel[]) => {
      const report = await diffPlan(planFiles(models, [perFunction], [index]), root);
      await applyReport(report, root);
      return pendingChanges(report).filter((c) => !c.path.includes('/orders/') && !c.path.includes('/billing/')).map((c) => [c.action, c.path]);
    };

    expect(await runWithIndex([model(), other])).toEqual([['create', 'specs/schema/service.schema.json'], ['create', 'src/generated/index.ts']]);
    expect(await runWithIndex([model()])).toEqual([['update', 'src/generated/index.ts']]);
    expect(await read('src/generated/index.ts')).toContain('export const services = ["orders"];');
    expect(await runWithIndex([])).toEqual([['update', 'src/generated/index.ts']]);
    expect(await readdir(path.join(root, 'src/generated'))).toEqual(['index.ts']);
  });

  it('leaves a file of the user\'s in a generated folder alone', async () => {
    await put('src/generated/orders/notes.md', 'mine\n');
    await run([model()]);
    expect(await read('src/generated/orders/notes.md')).toBe('mine\n');
  });

  it('refuses to overwrite a file without the header, naming it and writing nothing', async () => {
    // Arrange
    await put('src/generated/orders/create-order.ts', 'export const handWritten = true;\n');
    // Act
    const report = await diffPlan(planFiles([model()], [perFunction]), root);
    const failure = await applyReport(report, root).catch((e: unknown) => e);
    // Assert
    expect(failure).toBeInstanceOf(OwnershipConflictError);
    expect((failure as Error).message).toContain('src/generated/orders/create-order.ts');
    expect(await read('src/generated/orders/create-order.ts')).toBe('export const handWritten = true;\n');
    expect(await readdir(path.join(root, 'src/generated/orders'))).toEqual(['create-order.ts']);
    await expect(readdir(path.join(root, 'src/handlers'))).rejects.toThrow();
  });
});
