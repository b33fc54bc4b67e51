/**
 * What a module reference points to, as far as the layout is concerned: a Node builtin, a file of
 * the repository (relative specifier) and the package folder it lies in, a workspace package (by
 * name) or an npm package. Nothing is read from disk: the checks work on in-memory workspaces too.
 */
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { PACKAGES_DIR } from './workspace.js';
import type { ModuleReference, SourceFile, Workspace, WorkspacePackage } from './types.js';

export type Target =
  | { readonly kind: 'builtin' }
  /** A relative path: `path` is repository-relative, `packageDir` is '' for the service and undefined outside the repository. */
  | { readonly kind: 'file'; readonly path: string; readonly packageDir: string | undefined }
  /** A bare specifier: `name` is the package (`@scope/name` or `name`), `workspace` the kit package it names, if any. */
  | { readonly kind: 'package'; readonly name: string; readonly workspace: WorkspacePackage | undefined };

/** `@scope/name/sub/path` -> `@scope/name`; `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The DefinitelyTyped package of `name`: `aws-lambda` -> `@types/aws-lambda`, `@a/b` -> `@types/a__b`. */
export function typesPackageOf(name: string): string {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

/** The package folder of a repository-relative path: 'packages/<name>' for the kit, '' for the service. */
export function packageDirOfPath(file: string): string {
  const [first, second] = file.split('/');
  return first === PACKAGES_DIR && second !== undefined ? `${first}/${second}` : '';
}

export function resolveReference(workspace: Workspace, file: SourceFile, reference: ModuleReference): Target {
  const { specifier } = reference;
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = specifier.startsWith('/') ? specifier : path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier));
    const outside = target.startsWith('/') || target === '..' || target.startsWith('../');
    return { kind: 'file', path: target, packageDir: outside ? undefined : packageDirOfPath(target) };
  }
  if (isBuiltin(specifier)) return { kind: 'builtin' };
  const name = packageNameOf(specifier);
  return { kind: 'package', name, workspace: workspace.packages.find((p) => p.name === name) };
}

/** The workspace package a reference lands in (by name, or by a relative path into its folder), if any. */
export function targetPackage(workspace: Workspace, target: Target): WorkspacePackage | undefined {
  if (target.kind === 'package') return target.workspace;
  if (target.kind === 'file' && target.packageDir !== undefined) return workspace.packages.find((p) => p.dir === target.packageDir);
  return undefined;
}
