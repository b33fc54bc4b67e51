/** Bundling function entries for the local cloud: output layout, the deploy's banner, source maps and build errors. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER as DEPLOY_BANNER } from '@kiro-serverless/constructs/function';
import { ESM_REQUIRE_BANNER } from '../../src/host/build.js';
import { FunctionBuildError, FunctionHostOptionsError, buildFunctions, createFunctionBuilder } from '../../src/host/index.js';
import { HostFixture } from './helpers.js';

describe('buildFunctions', () => {
  let fx: HostFixture;
  beforeEach(() => {
    fx = new HostFixture();
  });
  afterEach(async () => fx.dispose());

  it('writes one ESM bundle per function and the worker bootstrap, with the deploy banner and linked source maps', async () => {
    // Arrange
    fx.write('shared.ts', 'export const greet = (name: string): string => `hello ${name}`;\n');
    const a = fx.write('a.ts', "import { greet } from './shared.js';\nexport const handler = async () => greet('a');\n");
    const b = fx.write('b.ts', 'export const handler = async () => 2;\n');
    // Act
    const build = await fx.buildAll({ 'orders-api': a, 'orders/worker': b });
    // Assert
    expect(Object.keys(build.bundles).sort()).toEqual(['orders-api', 'orders/worker']);
    expect(path.basename(build.bundles['orders/worker']!)).toBe('orders_worker.mjs');
    for (const bundle of [...Object.values(build.bundles), build.workerPath]) {
      const code = readFileSync(bundle, 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=.*\.mjs\.map\s*$/);
      expect(existsSync(`${bundle}.map`)).toBe(true);
    }
    expect(readFileSync(build.bundles['orders-api']!, 'utf8')).toContain('hello ${name}');
  });

  it('uses the same require banner as the CDK deploy', () => {
    expect(ESM_REQUIRE_BANNER).toBe(DEPLOY_BANNER);
  });

  it('names the file, line:column and the one function a build error stops', async () => {
    // Arrange
    const good = fx.write('good.ts', 'export const handler = async () => 1;\n');
    const bad = fx.write('bad.ts', "import { missing } from './nowhere.js';\n\nexport const handler = async () => {\n  return missing(;\n};\n");
    // Act
    const error = await fx.buildAll({ good, bad }).catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(FunctionBuildError);
    const { issues, message } = error as FunctionBuildError;
    expect(issues).toEqual([{ functionIds: ['bad'], file: 'bad.ts', line: 4, column: 18, text: 'Unexpected ";"' }]);
    expect(message).toContain('bad.ts:4:18: Unexpected ";" (function bad)');
  });

  it('names every function a broken shared module stops, and keeps the last good bundles on an incremental rebuild', async () => {
    fx.write('shared.ts', 'export const value = 1;\n');
    const a = fx.write('a.ts', "import { value } from './shared.js';\nexport const handler = async () => value;\n");
    const b = fx.write('b.ts', "import { value } from './shared.js';\nexport const handler = async () => value + 1;\n");
    const c = fx.write('c.ts', 'export const handler = async () => 3;\n');
    const builder = await createFunctionBuilder({ projectRoot: fx.root, outDir: path.join(fx.root, 'out'), functions: [{ id: 'a', entry: a }, { id: 'b', entry: b }, { id: 'c', entry: c }] });
    try {
      const first = await builder.build();
      const before = readFileSync(first.bundles.a!, 'utf8');
      fx.write('shared.ts', 'export const value = ;\n');
      const error = await builder.build().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FunctionBuildError);
      expect((error as FunctionBuildError).issues).toMatchObject([{ functionIds: ['a', 'b'], file: 'shared.ts', line: 1 }]);
      expect(readFileSync(first.bundles.a!, 'utf8')).toBe(before);
      fx.write('shared.ts', 'export const value = 41;\n');
      const fixed = await builder.build();
      expect(readFileSync(fixed.bundles.a!, 'utf8')).toContain('41');
    } finally {
      await builder.dispose();
    }
  });

  it('refuses a missing entry and IDs that would share a bundle, listing both', async () => {
    const a = fx.write('a.ts', 'export const handler = async () => 1;\n');
    const error = await buildFunctions({
      projectRoot: fx.root, outDir: path.join(fx.root, 'out'),
      functions: [{ id: 'a/b', entry: a }, { id: 'a_b', entry: a }, { id: 'gone', entry: 'gone.ts' }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionHostOptionsError);
    expect((error as FunctionHostOptionsError).issues).toEqual([
      'function "a_b" would share its bundle name with "a/b"; give functions IDs that differ in letters, digits, \'.\', \'_\' or \'-\'',
      `function "gone": entry ${path.join(fx.root, 'gone.ts')} does not exist; run \`npm run generate\` or fix the entry path`,
    ]);
  });
});
