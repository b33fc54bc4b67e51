/**
 * For the template's maintainers, after they change the example: rewrites the `files` of
 * manifest.json from the kit's copy of the example, keeping its other fields.
 *
 * `npx tsx packages/generate/src/example/write-manifest.ts packages/fixtures/projects/orders`
 *
 * @module
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashesOf, MANIFEST_FILE, readManifest } from './manifest.js';

/** The manifest text for the example copy in `dir`: the current manifest with the files of `dir`. */
export async function manifestTextFor(dir: string, file = MANIFEST_FILE): Promise<string> {
  const current = await readManifest(file);
  return `${JSON.stringify({ ...current, files: await hashesOf(dir) }, null, 2)}\n`;
}

if (process.argv[1]?.endsWith('generate/src/example/write-manifest.ts')) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('Usage: npx tsx packages/generate/src/example/write-manifest.ts <folder of the example copy, e.g. packages/fixtures/projects/orders>\n');
    process.exitCode = 2;
  } else {
    const text = await manifestTextFor(path.resolve(dir));
    await writeFile(MANIFEST_FILE, text);
    process.stdout.write(`Wrote ${path.relative(process.cwd(), MANIFEST_FILE)}: ${Object.keys(JSON.parse(text).files as object).length} file(s) of ${dir}.\n`);
  }
}
