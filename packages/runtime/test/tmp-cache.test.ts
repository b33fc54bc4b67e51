import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TmpCacheFetchError } from '../src/errors.js';
import { createTmpCache } from '../src/tmp-cache.js';

describe('createTmpCache', () => {
  let directory: string;
  let clock: number;
  const now = (): number => clock;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tmp-cache-test-'));
    clock = Date.UTC(2030, 0, 1);
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('fetches on a cold start, writes the file and returns the bytes', async () => {
    const cache = createTmpCache({ directory, now });
    const fetch = vi.fn(() => Promise.resolve('catalog v1'));

    const value = await cache.get('catalog.json', { ttlSeconds: 60, fetch });

    expect(value).toEqual(Buffer.from('catalog v1'));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(await readFile(cache.pathOf('catalog.json'), 'utf8')).toBe('catalog v1');
  });

  it('serves a warm start from the file without fetching, also from a new cache on the same folder', async () => {
    await createTmpCache({ directory, now }).get('catalog.json', { ttlSeconds: 60, fetch: () => Promise.resolve('catalog v1') });
    clock += 59_999;
    const fetch = vi.fn(() => Promise.resolve('catalog v2'));

    const value = await createTmpCache({ directory, now }).get('catalog.json', { ttlSeconds: 60, fetch });

    expect(value.toString()).toBe('catalog v1');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('fetches again once the file is as old as the TTL, and restarts the TTL', async () => {
    const cache = createTmpCache({ directory, now });
    await cache.get('catalog.json', { ttlSeconds: 60, fetch: () => Promise.resolve('catalog v1') });
    clock += 60_000;
    const fetch = vi.fn(() => Promise.resolve('catalog v2'));

    expect((await cache.get('catalog.json', { ttlSeconds: 60, fetch })).toString()).toBe('catalog v2');
    expect(fetch).toHaveBeenCalledTimes(1);

    clock += 30_000;
    expect((await cache.get('catalog.json', { ttlSeconds: 60, fetch })).toString()).toBe('catalog v2');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('always fetches with ttlSeconds 0 and never expires with Infinity', async () => {
    const cache = createTmpCache({ directory, now });
    const fetch = vi.fn(() => Promise.resolve('x'));
    await cache.get('a', { ttlSeconds: 0, fetch });
    await cache.get('a', { ttlSeconds: 0, fetch });
    expect(fetch).toHaveBeenCalledTimes(2);

    clock += 10 * 365 * 24 * 3600 * 1000;
    await cache.get('a', { ttlSeconds: Number.POSITIVE_INFINITY, fetch });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('shares one in-flight fetch among ten concurrent gets of the same key', async () => {
    const cache = createTmpCache({ directory, now });
    let release: (value: string) => void = () => undefined;
    const fetch = vi.fn(() => new Promise<string>((resolve) => (release = resolve)));

    const gets = Array.from({ length: 10 }, () => cache.get('catalog.json', { ttlSeconds: 60, fetch }));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled(), { interval: 1 });
    release('catalog v1');
    const values = await Promise.all(gets);

    expect(fetch).toHaveBeenCalledTimes(1);
    expect(values.map((v) => v.toString())).toEqual(Array.from({ length: 10 }, () => 'catalog v1'));
  });

  it('fetches different keys independently', async () => {
    const cache = createTmpCache({ directory, now });
    const [a, b] = await Promise.all([
      cache.get('a', { ttlSeconds: 60, fetch: () => Promise.resolve('A') }),
      cache.get('b', { ttlSeconds: 60, fetch: () => Promise.resolve(new Uint8Array([66])) }),
    ]);
    expect([a.toString(), b.toString()]).toEqual(['A', 'B']);
  });

  it('writes atomically: replaces an existing file whole and leaves no temporary file', async () => {
    const cache = createTmpCache({ directory, now });
    const path = cache.pathOf('catalog.json');
    await writeFile(path, 'old and much longer content that must not survive in any part');
    const big = Buffer.alloc(1024 * 1024, 'n');

    await cache.get('catalog.json', { ttlSeconds: 0, fetch: () => Promise.resolve(big) });

    expect((await readFile(path)).equals(big)).toBe(true);
    expect(await readdir(directory)).toEqual([path.slice(directory.length + 1)]);
    expect((await stat(path)).mtimeMs).toBeCloseTo(clock, -1);
  });

  it('never exposes a partial file to a concurrent reader', async () => {
    const writer = createTmpCache({ directory, now });
    const reader = createTmpCache({ directory, now });
    const path = writer.pathOf('catalog.json');
    const versions = ['a', 'b', 'c', 'd'].map((c) => Buffer.alloc(256 * 1024, c));
    await writer.get('catalog.json', { ttlSeconds: 0, fetch: () => Promise.resolve(versions[0]!) });

    // Separate caches, as separate processes would be: no shared in-flight fetch.
    const writes = versions
      .slice(1)
      .map((v) => createTmpCache({ directory, now }).get('catalog.json', { ttlSeconds: 0, fetch: () => Promise.resolve(v) }));
    const reads: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      reads.push(await reader.get('catalog.json', { ttlSeconds: 3600, fetch: () => Promise.reject(new Error('no fetch')) }));
    }
    await Promise.all(writes);

    for (const read of reads) {
      expect(versions.some((v) => v.equals(read))).toBe(true);
    }
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(dirname(path)).toBe(directory);
  });

  it('rejects a failed fetch without caching anything, then fetches again', async () => {
    const cache = createTmpCache({ directory, now });
    const failure = new Error('S3 is down');

    const error: unknown = await cache.get('catalog.json', { ttlSeconds: 60, fetch: () => Promise.reject(failure) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TmpCacheFetchError);
    expect((error as TmpCacheFetchError).cause).toBe(failure);
    expect((error as TmpCacheFetchError).key).toBe('catalog.json');
    expect((error as Error).message).toBe('Fetching /tmp cache entry "catalog.json" failed: S3 is down');
    expect(await readdir(directory)).toEqual([]);

    const value = await cache.get('catalog.json', { ttlSeconds: 60, fetch: () => Promise.resolve('recovered') });
    expect(value.toString()).toBe('recovered');
  });

  it('rejects every concurrent caller of a failed fetch, and the next call starts afresh', async () => {
    const cache = createTmpCache({ directory, now });
    const fetch = vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue('ok');
    const results = await Promise.allSettled([1, 2, 3].map(() => cache.get('k', { ttlSeconds: 60, fetch })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect((await cache.get('k', { ttlSeconds: 60, fetch })).toString()).toBe('ok');
  });

  it('still returns the value when it cannot be written, and reports why', async () => {
    const blocker = join(directory, 'not-a-folder');
    await writeFile(blocker, '');
    const onWriteError = vi.fn();
    const cache = createTmpCache({ directory: join(blocker, 'cache'), now, onWriteError });

    const value = await cache.get('k', { ttlSeconds: 60, fetch: () => Promise.resolve('v') });

    expect(value.toString()).toBe('v');
    expect(onWriteError).toHaveBeenCalledWith(expect.objectContaining({ code: expect.any(String) as string }), 'k');
  });

  it.each(
    [
      '../../etc/passwd',
      '/etc/passwd',
      '..',
      '.',
      '.bashrc',
      'a/../../b',
      'C:\\Windows\\win.ini',
      'nul\0byte',
      '~/.ssh/id_rsa',
      'x'.repeat(5000),
    ].map((key) => ({ key, label: key.length > 40 ? `${key.slice(0, 10)}… (${key.length} chars)` : JSON.stringify(key) })),
  )('keeps key $label inside the folder as a plain, visible file', async ({ key }) => {
    const cache = createTmpCache({ directory, now });
    const path = cache.pathOf(key);

    expect(dirname(path)).toBe(directory);
    const name = path.slice(directory.length + 1);
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(name.length).toBeLessThan(120);

    await cache.get(key, { ttlSeconds: 60, fetch: () => Promise.resolve('v') });
    expect(await readdir(directory)).toEqual([name]);
  });

  it('gives keys that sanitise alike different files', () => {
    const cache = createTmpCache({ directory, now });
    const paths = new Set(['a/b', 'a_b', 'a\\b', 'a b', 'a//b'].map((key) => cache.pathOf(key)));
    expect(paths.size).toBe(5);
  });

  it('rejects an empty key and a negative or NaN TTL', async () => {
    const cache = createTmpCache({ directory, now });
    const fetch = vi.fn(() => Promise.resolve('v'));
    await expect(cache.get('', { ttlSeconds: 60, fetch })).rejects.toThrow(TypeError);
    await expect(cache.get('k', { ttlSeconds: -1, fetch })).rejects.toThrow(RangeError);
    await expect(cache.get('k', { ttlSeconds: Number.NaN, fetch })).rejects.toThrow(RangeError);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('defaults to os.tmpdir()', () => {
    expect(dirname(createTmpCache().pathOf('k'))).toBe(tmpdir());
  });
});
