/**
 * Just enough glob matching to check the `fileMatchPattern`s of steering files against the
 * repository: `*` and `?` within a path segment, `**` across segments, and `{a,b}` alternatives.
 * (The glob libraries in node_modules are only transitive dependencies of the toolchain.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders that are never part of the project's own files. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'cdk.out', 'coverage', 'reports', '.local', '.scratch']);

/** `a/{b,c}/d` -> `a/b/d`, `a/c/d` (one level of braces, repeated until none is left). */
export function expandBraces(glob: string): string[] {
  const match = /\{([^{}]*)\}/.exec(glob);
  if (!match) return [glob];
  const [whole, inner] = match;
  return inner!.split(',').flatMap((alt) => expandBraces(glob.slice(0, match.index) + alt + glob.slice(match.index + whole.length)));
}

function segmentToRegExpSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    const atSegmentStart = i === 0 || glob[i - 1] === '/';
    if (c === '*' && glob[i + 1] === '*' && atSegmentStart && (glob[i + 2] === '/' || i + 2 === glob.length)) {
      // `**/` is any number of whole segments; a trailing `**` is anything below.
      out += glob[i + 2] === '/' ? '(?:[^/]+/)*' : '.*';
      i += 2;
    } else if (c === '*') {
      out += '[^/]*';
      while (glob[i + 1] === '*') i += 1;
    } else if (c === '?') {
      out += '[^/]';
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}

/** A RegExp that matches repository-relative POSIX paths against `glob`. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^(?:${expandBraces(glob).map(segmentToRegExpSource).join('|')})$`);
}

/** Every file under `root` as a POSIX path relative to it, without dependencies and build output. */
export function listProjectFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(rel);
      } else if (entry.isFile()) {
        files.push(rel);
      }
    }
  };
  walk('');
  return files.sort();
}
