/** Scale sanity: a project of 100 services generates completely and is then up to date (no timing asserted). */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE, generate, ordersModel, readTree, tempDir, writeFiles } from './helpers/project.js';

const SERVICES = 100;

describe('a project of 100 services', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('generates every service\'s files, then finds nothing to do', { timeout: 120_000 }, async () => {
    const root = await tempDir('generate-100');
    dirs.push(root);
    const specs = Array.from({ length: SERVICES }, (_, i) => {
      const service = `orders-${i + 1}`;
      return [`specs/${service}.yaml`, EXAMPLE.replace(/^service: orders$/m, `service: ${service}`)] as const;
    });
    await writeFiles(root, specs);
    const functions = Object.values(ordersModel().functions).map((f) => f.fileName);

    const run = await generate([], root);
    const check = await generate(['--check'], root);

    expect(run.code, run.err).toBe(0);
    const tree = await readTree(root);
    expect(tree.size).toBe(1 + SERVICES * functions.length * 4);
    for (let i = 1; i <= SERVICES; i++) {
      for (const name of functions) {
        for (const file of [`src/generated/orders-${i}/${name}.ts`, `src/generated/orders-${i}/${name}.types.ts`, `src/handlers/orders-${i}/${name}.ts`, `test/handlers/orders-${i}/${name}.test.ts`]) {
          expect(tree.has(file), file).toBe(true);
        }
      }
    }
    expect(tree.get('src/generated/orders-100/create-order.ts')).toContain(`keyPrefix: 'orders-100.createOrder'`);
    expect(check).toMatchObject({ code: 0, out: `Generated files are up to date (${tree.size} files, ${SERVICES} spec(s)).` });
  });
});
