import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BenchError } from '../src/errors.js';
import { HOOKS_DIR, readCommandHooks, saveHooks, stopHooks } from '../src/kiro-hooks.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bench-hooks-'));
  await mkdir(path.join(root, HOOKS_DIR), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const write = (file: string, hooks: unknown[]): Promise<void> => writeFile(path.join(root, HOOKS_DIR, file), JSON.stringify({ version: 'v1', hooks }));
const command = (name: string, trigger: string, cmd: string, extra: Record<string, unknown> = {}) => ({ name, trigger, action: { type: 'command', command: cmd }, timeout: 30, ...extra });

describe('readCommandHooks', () => {
  it('reads the enabled command hooks in file name order, with their matcher and timeout', async () => {
    // Arrange
    await write('b-test.json', [command('Test', 'PostFileSave', 'npm run test:changed', { matcher: '\\.ts$', timeout: 120 })]);
    await write('a-lint.json', [
      command('Lint', 'PostFileSave', 'npm run lint:changed', { matcher: '\\.ts$' }),
      command('Off', 'PostFileSave', 'npm run off', { enabled: false }),
      { name: 'Ask', trigger: 'Stop', action: { type: 'agent', prompt: 'Review.' }, timeout: 30 },
    ]);
    await write('c-stop.json', [command('Check', 'Stop', 'npm run check:fast', { timeout: 300 })]);
    await writeFile(path.join(root, HOOKS_DIR, 'README.md'), 'not a hook file');

    // Act
    const hooks = await readCommandHooks(root);

    // Assert
    expect(hooks.map((h) => [h.file, h.name, h.command, h.timeout])).toEqual([
      [`${HOOKS_DIR}/a-lint.json`, 'Lint', 'npm run lint:changed', 30],
      [`${HOOKS_DIR}/b-test.json`, 'Test', 'npm run test:changed', 120],
      [`${HOOKS_DIR}/c-stop.json`, 'Check', 'npm run check:fast', 300],
    ]);
    expect(saveHooks(hooks, 'src/handlers/orders/create-order.ts').map((h) => h.name)).toEqual(['Lint', 'Test']);
    expect(saveHooks(hooks, 'specs/orders.yaml')).toEqual([]);
    expect(stopHooks(hooks).map((h) => h.name)).toEqual(['Check']);
  });

  it('finds none without a hooks folder', async () => {
    expect(await readCommandHooks(path.join(root, 'nowhere'))).toEqual([]);
  });

  it('names the file it cannot read and the check that explains it', async () => {
    await writeFile(path.join(root, HOOKS_DIR, 'broken.json'), '{ "hooks": [ ');

    const read = readCommandHooks(root);

    await expect(read).rejects.toThrow(BenchError);
    await expect(read).rejects.toThrow(/\.kiro\/hooks\/broken\.json: not a hook file the bench can read .*Fix: check it with `npx vitest run test\/kiro\/hooks\.test\.ts`/);
  });
});
