import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { newService, starterSpec } from '../src/new-service.js';
import { planFiles } from '../src/plan.js';
import { PROJECT_RENDERERS, SERVICE_RENDERERS } from '../src/renderers.js';
import { Action, diffPlan, pendingChanges } from '../src/sync.js';
import { checkSpecText, loadServiceModels } from '@kiro-serverless/model/check';
import { handlerPath } from '@kiro-serverless/model/layout';
import { fixtureProject, ORDERS } from '@kiro-serverless/fixtures';

async function cli(args: string[], root: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s), root);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run generate', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'generate-cli-'));
    await mkdir(path.join(root, 'specs'));
    await writeFile(path.join(root, 'specs', 'orders.yaml'), ORDERS);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('leaves nothing to change on a project it generated, and keeps the handlers the project had', async () => {
    // Arrange: the orders fixture project (spec and handlers, nothing generated yet)
    const project = await fixtureProject('orders', 'generate-cli-fixture');
    try {
      const models = await loadServiceModels(project);
      const handlers = models.flatMap((m) => Object.values(m.functions).map((fn) => handlerPath(m, fn))).sort();
      const before = await Promise.all(handlers.map((file) => readFile(path.join(project, file), 'utf8')));

      // Act: generate, then plan again against the tree just written
      const written = await cli([], project);
      const report = await diffPlan(planFiles(models, SERVICE_RENDERERS, PROJECT_RENDERERS), project);

      // Assert
      expect(written).toMatchObject({ code: 0, err: '' });
      expect(pendingChanges(report)).toEqual([]);
      expect(report.conflicts).toEqual([]);
      expect(handlers.length).toBeGreaterThan(0);
      expect(report.changes.filter((c) => handlers.includes(c.path))).toEqual(handlers.map((file) => ({ path: file, action: Action.Kept })));
      expect(await Promise.all(handlers.map((file) => readFile(path.join(project, file), 'utf8')))).toEqual(before);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('writes, then --check passes; a stale file makes --check exit 1 and name it', async () => {
    expect((await cli([], root)).code).toBe(0);
    expect(await cli(['--check'], root)).toMatchObject({ code: 0, out: expect.stringContaining('up to date') });
    const schema = path.join(root, 'specs/schema/service.schema.json');
    await writeFile(schema, (await readFile(schema, 'utf8')).replace('"service"', '"servicex"'));
    expect(await cli(['--check'], root)).toMatchObject({ code: 1, out: expect.stringMatching(/stale\s+specs\/schema\/service\.schema\.json[\s\S]*Fix: run `npm run generate`/) });
  });

  it('prints the plan and writes nothing with --dry-run', async () => {
    const result = await cli(['--dry-run'], root);
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining('create    specs/schema/service.schema.json') });
    await expect(readFile(path.join(root, 'specs/schema/service.schema.json'))).rejects.toThrow();
  });

  it('refuses to generate from a spec with errors, printing them', async () => {
    // Without the onFailure, and without its queue (which would then be a queue nobody consumes or names).
    await writeFile(path.join(root, 'specs', 'orders.yaml'), ORDERS.replace('        onFailure: orderStreamFailures\n', '').replace('  orderStreamFailures: {}\n', ''));
    const result = await cli([], root);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Nothing generated: 1 error\(s\) in the specs/);
    expect(result.err).toMatch(/specs\/orders\.yaml:\d+:\d+ error LBP-ERR-STREAM-ONFAILURE/);
  });

  it('exits 2 on conflicting or unknown options', async () => {
    expect((await cli(['--check', '--dry-run'], root)).code).toBe(2);
    expect((await cli(['--chek'], root)).code).toBe(2);
  });
});

describe('npm run new:service', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'new-service-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes a starter spec that passes the checks with no finding', async () => {
    const rel = await newService('order-intake', root);
    expect(rel).toBe('specs/order-intake.yaml');
    const text = await readFile(path.join(root, rel), 'utf8');
    expect(text).toBe(starterSpec('order-intake'));
    expect(checkSpecText(text, rel).findings).toEqual([]);
  });

  it('refuses a name that is not kebab-case, and an existing spec', async () => {
    await expect(newService('OrderIntake', root)).rejects.toThrow(/not a valid service name: use kebab-case/);
    await expect(newService(undefined, root)).rejects.toThrow(/No service name given/);
    await mkdir(path.join(root, 'specs'));
    await writeFile(path.join(root, 'specs/orders.yaml'), ORDERS);
    await expect(newService('orders', root)).rejects.toThrow(/specs\/orders\.yaml exists already; nothing was written/);
    expect(await readFile(path.join(root, 'specs/orders.yaml'), 'utf8')).toBe(ORDERS);
  });
});
