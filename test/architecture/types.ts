/**
 * The shapes the architecture checks work on: a workspace (the root package, the service, and the kit
 * packages under packages/), its source files, the module references found in them, and a violation.
 * Everything is plain data, so a test builds a small workspace in memory (workspaceFromFiles) and the
 * real repository is read into the same shape (readWorkspace).
 */

/** The rule IDs of the layout, each with one check in rules.ts. */
export const ArchitectureRule = {
  /** A kit file (packages/**) imports one of the service's files (src/, infra/, specs/, test/). */
  KitImportsService: 'ARCH-KIT-IMPORTS-SERVICE',
  /** packages/model imports another @kiro-serverless package. */
  ModelImportsKit: 'ARCH-MODEL-IMPORTS-KIT',
  /** A relative import reaches into another package's folder. */
  RelativeCrossesPackage: 'ARCH-RELATIVE-CROSSES-PACKAGE',
  /** The package graph (every import of src/ and test/ files) has a cycle. */
  PackageCycle: 'ARCH-PACKAGE-CYCLE',
  /** An import of a package that the importing package's package.json does not declare. */
  UndeclaredDependency: 'ARCH-UNDECLARED-DEPENDENCY',
  /** Two package.json files ask for different versions of one package. */
  VersionMismatch: 'ARCH-VERSION-MISMATCH',
  /** A tsconfig.json's references differ from its package's @kiro-serverless dependencies. */
  TsconfigReferences: 'ARCH-TSCONFIG-REFERENCES',
} as const;
export type ArchitectureRule = (typeof ArchitectureRule)[keyof typeof ArchitectureRule];

/** The dependency lists of a package.json that the checks read, in the order they are reported. */
export const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'devDependencies', 'optionalDependencies'] as const;
export type DependencyField = (typeof DEPENDENCY_FIELDS)[number];

/** What the checks read of a package.json. */
export interface PackageManifest {
  readonly name?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

/** A file as read: its repository-relative POSIX path and its text. */
export interface TextFile {
  readonly path: string;
  readonly text: string;
}

/** One package of the workspace: the root (dir '') or a kit package (dir 'packages/<name>'). */
export interface WorkspacePackage {
  /** Repository-relative folder, '' for the root. */
  readonly dir: string;
  /** The package's name (package.json `name`). */
  readonly name: string;
  readonly manifestFile: TextFile;
  readonly manifest: PackageManifest;
  /** The package's tsconfig.json, if it has one. */
  readonly tsconfigFile?: TextFile;
  /** Its `references`, each as the repository-relative folder it points to. */
  readonly references?: readonly string[];
}

/** Whether a file is the package's own code (src/; for the root also infra/) or development code (test/). */
export type FileRole = 'src' | 'test';

/** A source file the checks scan, with the package it belongs to. */
export interface SourceFile extends TextFile {
  /** The package's folder ('' for the root). */
  readonly packageDir: string;
  readonly role: FileRole;
}

export interface Workspace {
  /** The root first, then the kit packages by folder. */
  readonly packages: readonly WorkspacePackage[];
  readonly files: readonly SourceFile[];
}

/** How a module is referenced in a file. */
export type ReferenceKind = 'import' | 'export' | 'import-equals' | 'dynamic-import' | 'require' | 'resolve' | 'import-type' | 'vi-mock';

/** A module reference found by parsing a file (never by matching text, so code inside strings is not one). */
export interface ModuleReference {
  readonly specifier: string;
  /** 1-based line and column of the specifier. */
  readonly line: number;
  readonly column: number;
  /** `import type`, `export type` or a type position (`import('x').T`): erased from the emitted JavaScript. */
  readonly typeOnly: boolean;
  readonly kind: ReferenceKind;
}

/** One broken rule: where (file, line:column when there is one), which rule, what is wrong and the fix. */
export interface Violation {
  readonly rule: ArchitectureRule;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly problem: string;
  readonly fix: string;
}
