import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmpCacheFetchError } from './errors.js';

/** Options of {@link createTmpCache}. */
export interface TmpCacheOptions {
  /**
   * The folder that holds the cached files; created when the first file is written. Lambda gives each execution
   * environment its own `/tmp` (512 MB by default, `ephemeralStorage` to raise it).
   *
   * @default os.tmpdir()
   */
  readonly directory?: string;
  /**
   * The clock, in milliseconds since the epoch; entries are stamped with it when written and aged
   * against it when read. Tests inject a fake one.
   *
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Called when a fetched value cannot be written to disk (e.g. `/tmp` is full). The value is still
   * returned, just not cached: a full disk must not fail invocations.
   *
   * @default emits a process warning
   */
  readonly onWriteError?: (error: unknown, key: string) => void;
}

/** Options of {@link TmpCache.get}. */
export interface TmpCacheGetOptions {
  /**
   * How long a cached file stays fresh, in seconds, counted from when it was written: `0` always
   * fetches, `Infinity` never expires.
   */
  readonly ttlSeconds: number;
  /** Fetches the value when the cache has no fresh copy (e.g. a `GetObject` from S3). */
  readonly fetch: () => Promise<Buffer | Uint8Array | string>;
}

/** A cache of large static assets in `/tmp`, shared by the invocations of one execution environment. */
export interface TmpCache {
  /**
   * The value of `key`: the cached file when younger than `ttlSeconds`, otherwise fetched, written
   * atomically (temporary file in the same folder, then rename) and returned. Concurrent calls for
   * the same key share one in-flight fetch.
   *
   * @param key - Any non-empty string; it is turned into a safe file name (no path traversal).
   * @throws {TmpCacheFetchError} when `fetch` fails; nothing is cached, so the next call fetches again.
   */
  get(key: string, options: TmpCacheGetOptions): Promise<Buffer>;
  /** The absolute path of the file that caches `key` (it may not exist). */
  pathOf(key: string): string;
}

/** Safe characters in file names; everything else becomes `_`. */
const UNSAFE = /[^A-Za-z0-9._-]+/g;

/**
 * The file name for a key: a readable, sanitised prefix plus a hash of the whole key, so that keys
 * differing only in unsafe characters (`a/b`, `a_b`) never share a file and no key can name `.`,
 * `..`, a hidden file or a path outside the folder.
 */
function fileNameOf(key: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError('A /tmp cache key must be a non-empty string.');
  }
  const readable = key.replace(UNSAFE, '_').replace(/^[._-]+/, '').slice(0, 80);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${readable === '' ? 'entry' : readable}-${hash}.cache`;
}

function defaultOnWriteError(error: unknown, key: string): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`Could not write /tmp cache entry "${key}"; it will be fetched again next time: ${reason}`, 'TmpCacheWarning');
}

/** The file, or its folder, does not exist (yet): a cache miss, not a failure. */
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

/**
 * Creates a `/tmp` cache for large static assets fetched once per execution environment (a product
 * catalog from S3, a model file). Create it at module scope (INIT) so that warm invocations share
 * it, then:
 *
 * ```ts
 * const cache = createTmpCache();
 * const catalog = await cache.get('catalog.json', { ttlSeconds: 300, fetch: () => downloadCatalog() });
 * ```
 *
 * @param options - Where the files go and which clock ages them.
 */
export function createTmpCache(options: TmpCacheOptions = {}): TmpCache {
  const directory = options.directory ?? tmpdir();
  const now = options.now ?? Date.now;
  const onWriteError = options.onWriteError ?? defaultOnWriteError;
  const inFlight = new Map<string, Promise<Buffer>>();

  /** The cached bytes when the file exists and is fresh; one open handle, so a concurrent rename cannot mix versions. */
  async function readFresh(path: string, ttlSeconds: number): Promise<Buffer | undefined> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    try {
      const { mtimeMs } = await handle.stat();
      // A slightly negative age is file-system timestamp rounding, not a stale file.
      const fresh = ttlSeconds > 0 && now() - mtimeMs < ttlSeconds * 1000;
      return fresh ? await handle.readFile() : undefined;
    } finally {
      await handle.close();
    }
  }

  async function writeAtomically(path: string, data: Buffer): Promise<void> {
    const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
    await mkdir(directory, { recursive: true });
    try {
      await writeFile(temporary, data, { flag: 'wx' });
      const stamp = new Date(now());
      await utimes(temporary, stamp, stamp);
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async function load(key: string, path: string, { ttlSeconds, fetch }: TmpCacheGetOptions): Promise<Buffer> {
    const cached = await readFresh(path, ttlSeconds);
    if (cached !== undefined) return cached;

    let data: Buffer;
    try {
      const value = await fetch();
      data = typeof value === 'string' ? Buffer.from(value) : Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    } catch (error) {
      throw new TmpCacheFetchError(key, { cause: error });
    }
    try {
      await writeAtomically(path, data);
    } catch (error) {
      onWriteError(error, key);
    }
    return data;
  }

  return {
    pathOf: (key) => join(directory, fileNameOf(key)),
    get(key, getOptions) {
      let path: string;
      try {
        path = join(directory, fileNameOf(key));
        if (!(getOptions.ttlSeconds >= 0)) {
          throw new RangeError(`ttlSeconds must be 0 or more (got ${getOptions.ttlSeconds}).`);
        }
      } catch (error) {
        return Promise.reject(error as Error);
      }
      const pending = inFlight.get(path);
      if (pending !== undefined) return pending;
      const loading = load(key, path, getOptions).finally(() => inFlight.delete(path));
      inFlight.set(path, loading);
      return loading;
    },
  };
}
