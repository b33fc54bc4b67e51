/**
 * The manifest of the example as shipped (src/example/manifest.json) against the kit's copy of the
 * example (packages/fixtures/projects/orders): the same files, byte for byte. When the maintainers
 * change the example, they change both and rewrite the hashes; this test says how.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_PROJECTS_DIR, ORDERS, ORDERS_FILE } from '@kiro-serverless/fixtures';
import { checkSpecText } from '@kiro-serverless/model/check';
import { GENERATED_SRC_DIR, HANDLER_TESTS_DIR, HANDLERS_DIR, OWNED_DIRS } from '@kiro-serverless/model/layout';
import { generatedPathsOf, hashesOf, MANIFEST_FILE, readManifest, sha256Of } from '../src/example/manifest.js';
import { manifestTextFor } from '../src/example/write-manifest.js';
import { MANIFEST } from './helpers/example.js';

const COPY = path.join(FIXTURE_PROJECTS_DIR, 'orders');
const REWRITE = 'npx tsx packages/generate/src/example/write-manifest.ts packages/fixtures/projects/orders';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('the example manifest', () => {
  it('lists exactly the files of the kit\'s copy of the example, with their hashes', async () => {
    // Act
    const copy = await hashesOf(COPY);

    // Assert
    const differences = [...new Set([...Object.keys(copy), ...Object.keys(MANIFEST.files)])].sort()
      .filter((p) => copy[p] !== MANIFEST.files[p])
      .map((p) => `${p}: ${copy[p] === undefined ? 'listed, not in the copy' : MANIFEST.files[p] === undefined ? 'in the copy, not listed' : 'another hash'}`);
    expect(differences, `manifest.json and ${path.relative(process.cwd(), COPY)} differ. If the example changed on purpose, change the example at the root and the copy alike, then run \`${REWRITE}\`.`).toEqual([]);
  });

  it('is what the maintainers\' command writes from the copy', async () => {
    expect(await manifestTextFor(COPY)).toBe(await readFile(MANIFEST_FILE, 'utf8'));
  });

  it('names the service of the copy\'s spec, and folders that hold only listed files', () => {
    const listed = Object.keys(MANIFEST.files);

    expect(checkSpecText(ORDERS, ORDERS_FILE).model?.service).toBe(MANIFEST.service);
    expect(listed).toContain(ORDERS_FILE);
    expect(MANIFEST.folders).toEqual(expect.arrayContaining([`${HANDLERS_DIR}/${MANIFEST.service}`, `${HANDLER_TESTS_DIR}/${MANIFEST.service}`]));
    for (const folder of MANIFEST.folders) expect(listed.some((p) => p.startsWith(`${folder}/`)), folder).toBe(true);
  });

  it('lists no generated file: those are judged by their header, in the generator\'s folders', () => {
    const owned = Object.keys(MANIFEST.files).filter((p) => OWNED_DIRS.some((d) => p.startsWith(`${d}/`)));

    expect(owned).toEqual([]);
    expect(generatedPathsOf(MANIFEST)).toEqual({ folder: `${GENERATED_SRC_DIR}/orders`, files: ['infra/generated/orders-stack.ts'] });
  });
});

describe('sha256Of and readManifest', () => {
  it('hashes a text the same with LF and CRLF line ends, and another text otherwise', () => {
    expect(sha256Of('a\r\nb\r\n')).toBe(sha256Of('a\nb\n'));
    expect(sha256Of(Buffer.from('a\nb\n'))).toBe(sha256Of('a\nb\n'));
    expect(sha256Of('a\nb\n')).toBe('911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2');
    expect(sha256Of('a\nb\n')).not.toBe(sha256Of('a\nc\n'));
  });

  it.each([
    ['without a service', { budgetFile: 'b.json', folders: [], files: {} }],
    ['with a hash that is not sha256', { service: 'orders', budgetFile: 'b.json', folders: [], files: { 'specs/orders.yaml': 'abc' } }],
    ['with folders that are not strings', { service: 'orders', budgetFile: 'b.json', folders: [1], files: {} }],
  ])('rejects a manifest %s', async (_what, data) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'manifest-'));
    dirs.push(dir);
    const file = path.join(dir, 'manifest.json');
    await writeFile(file, JSON.stringify(data));

    await expect(readManifest(file)).rejects.toThrow(`${file} is not an example manifest`);
  });
});
