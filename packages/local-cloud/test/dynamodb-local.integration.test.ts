import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbLocalStartError, JavaMissingError, startDynamoDbLocal } from '../src/dynamodb-local.js';

/** Starting a JVM takes ~1 s on an idle machine, several seconds on a loaded one. */
const START_TEST_TIMEOUT_MS = 60_000;
const MODULE_UNDER_TEST = fileURLToPath(new URL('../src/dynamodb-local.ts', import.meta.url));
/** Where the child Node runs: this package's folder, from which `--import tsx` resolves (not the repository, whose service it has no business with). */
const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** Resolves with 'connected', or the error code of the failed TCP connection attempt. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An orphan is reaped by init, not us, so its pid may linger briefly as a zombie. */
async function waitUntilGone(pid: number, ms = 5_000): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (!isAlive(pid)) return true;
  }
  return !isAlive(pid);
}

describe('DynamoDB Local from the globalSetup', () => {
  it('serves CreateTable, PutItem and GetItem', async () => {
    const client = clientFor(inject('dynamoDbEndpoint'));
    const TableName = `t-${randomUUID()}`;
    try {
      await client.send(
        new CreateTableCommand({
          TableName,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'order#1' }, total: { N: '42' } } }));
      const { Item } = await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'order#1' } }, ConsistentRead: true }));
      expect(Item).toEqual({ pk: { S: 'order#1' }, total: { N: '42' } });
    } finally {
      client.destroy();
    }
  });
});

describe('startDynamoDbLocal', () => {
  it(
    'starts a second instance on another port; stop() ends the process and frees the port',
    async () => {
      const sharedPort = Number(new URL(inject('dynamoDbEndpoint')).port);
      const dynamoDb = await startDynamoDbLocal();
      try {
        expect(dynamoDb.port).not.toBe(sharedPort);
        expect(dynamoDb.endpoint).toBe(`http://127.0.0.1:${dynamoDb.port}`);
        expect(isAlive(dynamoDb.pid)).toBe(true);
        expect(await tryConnect(dynamoDb.port)).toBe('connected');
      } finally {
        await dynamoDb.stop();
      }
      expect(() => process.kill(dynamoDb.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
      expect(await tryConnect(dynamoDb.port)).toBe('ECONNREFUSED');
      await expect(dynamoDb.stop()).resolves.toBeUndefined(); // a second stop is harmless
    },
    START_TEST_TIMEOUT_MS,
  );

  it('rejects with JavaMissingError, naming the install commands, when java is not on PATH', async () => {
    const error: unknown = await startDynamoDbLocal({ env: { PATH: '' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JavaMissingError);
    expect(error).toMatchObject({ name: 'JavaMissingError', cause: { code: 'ENOENT' } });
    const { message } = error as Error;
    expect(message).toContain('Java 17+');
    expect(message).toContain('sudo apt-get install -y openjdk-17-jre-headless');
    expect(message).toContain('brew install openjdk@17');
  });

  it('rejects with JavaMissingError for a javaCommand that does not exist', async () => {
    await expect(startDynamoDbLocal({ javaCommand: join(tmpdir(), `no-java-${randomUUID()}`) })).rejects.toThrow(JavaMissingError);
  });

  it('rejects, without spawning, when the port asked for is taken', async () => {
    const takenPort = Number(new URL(inject('dynamoDbEndpoint')).port);
    await expect(startDynamoDbLocal({ port: takenPort })).rejects.toThrow(`port ${takenPort} is already in use`);
  });

  describe.skipIf(process.platform === 'win32')('with a fake java', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'fake-java-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** A `java` that passes the version check, then runs `body` (sh) instead of DynamoDB Local. */
    async function fakeJava(name: string, body: string): Promise<string> {
      const file = join(dir, name);
      await writeFile(file, `#!/bin/sh\nif [ "$1" = -version ]; then echo 'openjdk version "17.0.1"' >&2; exit 0; fi\n${body}\n`);
      await chmod(file, 0o755);
      return file;
    }

    it('rejects with JavaMissingError for a Java older than 17', async () => {
      const old = join(dir, 'java8');
      await writeFile(old, `#!/bin/sh\necho 'java version "1.8.0_392"' >&2\n`);
      await chmod(old, 0o755);
      await expect(startDynamoDbLocal({ javaCommand: old })).rejects.toThrow(/is Java 8\b/);
    });

    it('rejects with the last output when the process exits before it is ready', async () => {
      const javaCommand = await fakeJava('exits', 'echo "starting"; echo "Exception: something broke" >&2; exit 3');
      const error: unknown = await startDynamoDbLocal({ javaCommand }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DynamoDbLocalStartError);
      expect((error as Error).message).toMatch(/did not start: exited with exit code 3\.\nLast output:\n/);
      expect((error as DynamoDbLocalStartError).output).toBe('starting\nException: something broke');
    });

    it('rejects after startTimeoutMs, with the last output, and kills the process', async () => {
      const pidFile = join(dir, 'sleeper.pid');
      const javaCommand = await fakeJava('sleeps', `echo "never listens"; echo $$ > '${pidFile}'; exec sleep 60`);
      const error: unknown = await startDynamoDbLocal({ javaCommand, startTimeoutMs: 500 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DynamoDbLocalStartError);
      expect((error as Error).message).toMatch(/no answer to ListTables on http:\/\/127\.0\.0\.1:\d+ within 500 ms/);
      expect((error as Error).message).toContain('never listens');
      expect(isAlive(Number(await readFile(pidFile, 'utf8')))).toBe(false);
    });
  });

  describe.skipIf(process.platform === 'win32')('leaves no process behind when Node ends without stop()', () => {
    it.each([
      ['exits on its own', null],
      ['is killed with SIGTERM, as vitest stops its workers', 'SIGTERM'],
    ] as const)(
      'when Node %s',
      async (_how, signal) => {
        const script = [
          `import { startDynamoDbLocal } from ${JSON.stringify(MODULE_UNDER_TEST)};`,
          'const { pid } = await startDynamoDbLocal();',
          'console.log(JSON.stringify({ pid }));',
          signal === null ? '' : 'setInterval(() => {}, 1000);',
        ].join('\n');
        const node = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: PACKAGE_DIR,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        node.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          node.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })),
        );
        const pid = await new Promise<number>((resolve, reject) => {
          node.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /"pid":(\d+)/.exec(stdout);
            if (match?.[1]) resolve(Number(match[1]));
          });
          void exited.then(() => reject(new Error(`node exited before printing the pid; stderr:\n${stderr}`)));
        });
        expect(isAlive(pid)).toBe(true);
        if (signal !== null) node.kill(signal);
        expect(await exited).toEqual(signal === null ? { code: 0, signal: null } : { code: null, signal });
        expect(await waitUntilGone(pid)).toBe(true);
      },
      START_TEST_TIMEOUT_MS,
    );
  });
});
