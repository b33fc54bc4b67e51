/** Scale sanity: a project of 100 services generates completely (100 stacks, one index) and is then up to date (no timing asserted). */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ORDERS, generate, ordersModel, readTree, tempDir, writeFiles } from './helpers/project.js';

const SERVICES = 100;

/** `orders-12` -> `Orders_12Stack` (a digit after a dash keeps an underscore: stack.test.ts). */
const className = (service: string) => `Orders_${service.slice('orders-'.length)}Stack`;

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
      return [`specs/${service}.yaml`, ORDERS.replace(/^service: orders$/m, `service: ${service}`)] as const;
    });
    await writeFiles(root, specs);
    const functions = Object.values(ordersModel().functions).map((f) => f.fileName);

    const run = await generate([], root);
    const check = await generate(['--check'], root);

    expect(run.code, run.err).toBe(0);
    const tree = await readTree(root);
    // The schema and the stacks index; per service a stack; per function an entry, its types, a handler and a test.
    expect(tree.size).toBe(2 + SERVICES * (1 + functions.length * 4));
    for (let i = 1; i <= SERVICES; i++) {
      expect(tree.get(`infra/generated/orders-${i}-stack.ts`), `orders-${i}`).toContain(`export class Orders_${i}Stack extends Stack {`);
      for (const name of functions) {
        for (const file of [`src/generated/orders-${i}/${name}.ts`, `src/generated/orders-${i}/${name}.types.ts`, `src/handlers/orders-${i}/${name}.ts`, `test/handlers/orders-${i}/${name}.test.ts`]) {
          expect(tree.has(file), file).toBe(true);
        }
      }
    }
    expect(tree.get('src/generated/orders-100/create-order.ts')).toContain(`keyPrefix: 'orders-100.createOrder'`);
    // One import and one entry per service, sorted by service name (code units: orders-1, orders-10, orders-100, orders-11, ...).
    const services = specs.map(([file]) => file.slice('specs/'.length, -'.yaml'.length)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const index = tree.get('infra/generated/stacks.ts')!;
    expect(services.slice(0, 4)).toEqual(['orders-1', 'orders-10', 'orders-100', 'orders-11']);
    expect(index.split('\n').filter((l) => l.startsWith('import '))).toEqual(services.map((s) => `import { ${className(s)} } from './${s}-stack.js';`));
    expect(index.split('\n').filter((l) => l.startsWith('  \''))).toEqual(services.map((s) => `  '${s}': ${className(s)},`));
    expect(check).toMatchObject({ code: 0, out: `Generated files are up to date (${tree.size} files, ${SERVICES} spec(s)).` });
  });
});
