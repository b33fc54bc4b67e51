/**
 * What the generator writes, as a pure function of the models: the same specs give the same files,
 * byte for byte, in the same order.
 */
import type { ServiceModel } from '@kiro-serverless/model/model';
import { compareCodeUnits } from '@kiro-serverless/model/constants';
import { SCHEMA_FILE } from '@kiro-serverless/model/layout';
import { renderJsonSchema } from '@kiro-serverless/model/json-schema';
import { headerText } from './header.js';

export const FileKind = {
  /** Overwritten on every run; carries the generated header. */
  Generated: 'generated',
  /** Written once when absent, then the user's. */
  Scaffold: 'scaffold',
} as const;
export type FileKind = (typeof FileKind)[keyof typeof FileKind];

export interface PlannedFile {
  /** Relative to the project root, forward slashes. */
  readonly path: string;
  readonly kind: FileKind;
  readonly content: string;
  /** What it is generated from (a spec file, or the schema module). */
  readonly source: string;
}


/** What the JSON Schema is generated from: the spec schema of the model package. */
const SCHEMA_SOURCE = '@kiro-serverless/model (src/schema.ts)';

/** A renderer returns the files of one service. */
export type ServiceRenderer = (model: ServiceModel) => PlannedFile[];
/** A project renderer returns files that depend on every service at once (indexes). */
export type ProjectRenderer = (models: readonly ServiceModel[]) => PlannedFile[];

/**
 * Every file the generator owns or scaffolds for these models, sorted by path. Throws if two
 * renderers claim one path (a bug in a renderer, not a user mistake).
 */
export function planFiles(models: readonly ServiceModel[], renderers: readonly ServiceRenderer[], projectRenderers: readonly ProjectRenderer[] = []): PlannedFile[] {
  const sorted = [...models].sort((a, b) => compareCodeUnits(a.service, b.service));
  const files: PlannedFile[] = [
    { path: SCHEMA_FILE, kind: FileKind.Generated, content: renderJsonSchema(headerText(SCHEMA_SOURCE)), source: SCHEMA_SOURCE },
    ...sorted.flatMap((m) => renderers.flatMap((render) => render(m))),
    ...projectRenderers.flatMap((render) => render(sorted)),
  ];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`Two planned files share the path ${f.path} (a renderer bug).`);
    seen.add(f.path);
  }
  return files.sort((a, b) => compareCodeUnits(a.path, b.path));
}
