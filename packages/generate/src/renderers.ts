/** The renderers `npm run generate` runs for every service, in order. */
import { entryPath, handlerPath, handlerTestPath, SPEC_DIR, STACKS_INDEX, stackPath, typesPath } from '@kiro-serverless/model/layout';
import type { ServiceModel } from '@kiro-serverless/model/model';
import type { PlannedFile, ProjectRenderer, ServiceRenderer } from './plan.js';
import { FileKind } from './plan.js';
import { renderEntry } from './render/entry.js';
import { renderHandlerScaffold, renderTestScaffold } from './render/scaffold.js';
import { renderStack, renderStacksIndex } from './render/stack.js';
import { renderTypes } from './render/types.js';

/** Per function: the entry and its types (generated), the handler and its test (scaffolded once). */
export function functionFiles(model: ServiceModel): PlannedFile[] {
  const source = model.sourceFile;
  return Object.values(model.functions).flatMap((fn) => [
    { path: entryPath(model, fn), kind: FileKind.Generated, content: renderEntry(model, fn), source },
    { path: typesPath(model, fn), kind: FileKind.Generated, content: renderTypes(model, fn), source },
    { path: handlerPath(model, fn), kind: FileKind.Scaffold, content: renderHandlerScaffold(model, fn), source },
    { path: handlerTestPath(model, fn), kind: FileKind.Scaffold, content: renderTestScaffold(model, fn), source },
  ]);
}

/** The service's CDK stack (infra/generated/<service>-stack.ts). */
export function stackFile(model: ServiceModel): PlannedFile[] {
  return [{ path: stackPath(model), kind: FileKind.Generated, content: renderStack(model), source: model.sourceFile }];
}

const ALL_SPECS = `${SPEC_DIR}/*.yaml`;

/** The index of every service's stack, for infra/app.ts. */
export const stacksIndex: ProjectRenderer = (models) => [
  { path: STACKS_INDEX, kind: FileKind.Generated, content: renderStacksIndex(models, ALL_SPECS), source: ALL_SPECS },
];

export const SERVICE_RENDERERS: readonly ServiceRenderer[] = [functionFiles, stackFile];
export const PROJECT_RENDERERS: readonly ProjectRenderer[] = [stacksIndex];
