/**
 * The Kiro hooks of a project (`.kiro/hooks/*.json`, v1), read so that the bench times the commands
 * exactly as the hooks run them. Only what the bench needs: enabled command hooks, their trigger,
 * matcher and timeout (test/kiro/hooks.test.ts checks the files themselves).
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BenchError } from './errors.js';

/** The hooks folder, relative to the project root. */
export const HOOKS_DIR = '.kiro/hooks';

/** An enabled hook whose action is a shell command. */
export interface CommandHook {
  readonly file: string;
  readonly name: string;
  readonly trigger: string;
  readonly matcher?: string;
  readonly command: string;
  /** Seconds. */
  readonly timeout: number;
}

interface HookJson {
  readonly name?: unknown;
  readonly trigger?: unknown;
  readonly matcher?: unknown;
  readonly action?: { readonly type?: unknown; readonly command?: unknown };
  readonly timeout?: unknown;
  readonly enabled?: unknown;
}

/** The enabled command hooks of `root`, in file name order, then in their order in the file. */
export async function readCommandHooks(root: string): Promise<CommandHook[]> {
  const dir = path.join(root, HOOKS_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const hooks: CommandHook[] = [];
  for (const file of names) {
    let hooksOfFile: readonly HookJson[];
    try {
      hooksOfFile = (JSON.parse(await readFile(path.join(dir, file), 'utf8')) as { hooks?: HookJson[] }).hooks ?? [];
    } catch (error) {
      throw new BenchError(`${HOOKS_DIR}/${file}: not a hook file the bench can read (${(error as Error).message}). Fix: check it with \`npx vitest run test/kiro/hooks.test.ts\`.`, { cause: error });
    }
    for (const hook of hooksOfFile) {
      if (hook.enabled === false || hook.action?.type !== 'command' || typeof hook.action.command !== 'string') continue;
      hooks.push({
        file: `${HOOKS_DIR}/${file}`,
        name: String(hook.name),
        trigger: String(hook.trigger),
        ...(typeof hook.matcher === 'string' ? { matcher: hook.matcher } : {}),
        command: hook.action.command,
        timeout: typeof hook.timeout === 'number' ? hook.timeout : 60,
      });
    }
  }
  return hooks;
}

/** The hooks that saving `file` (project-relative) fires, in the order they were read. */
export function saveHooks(hooks: readonly CommandHook[], file: string): CommandHook[] {
  return hooks.filter((hook) => hook.trigger === 'PostFileSave' && (hook.matcher === undefined || new RegExp(hook.matcher).test(file)));
}

/** The hooks that run when the agent stops. */
export function stopHooks(hooks: readonly CommandHook[]): CommandHook[] {
  return hooks.filter((hook) => hook.trigger === 'Stop');
}
