/**
 * `src/generated/<service>/<function>.types.ts`: the types the business logic implements, derived
 * from the spec: the resources the function may touch and its handler's signature.
 */
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { tsHeader } from '../header.js';
import { resourceGroups } from './resources.js';
import { rendererOf } from './triggers/trigger-renderers.js';
import type { HandlerType } from './triggers/trigger-renderer.js';
import { doc, key, pascalCase, sentence } from './ts.js';

/** The names the handler and test scaffolds import from the types file. */
export function typeNames(fn: FunctionModel): { resources: string; handler: string } {
  const name = pascalCase(fn.id);
  return { resources: `${name}Resources`, handler: `${name}${rendererOf(fn.trigger).handlerSuffix}` };
}

function resourcesInterface(model: ServiceModel, fn: FunctionModel): string {
  const { resources } = typeNames(fn);
  const groups = resourceGroups(model, fn);
  const intro = `/** What ${fn.id} may touch (from ${model.sourceFile}), read from its environment once at INIT. */`;
  if (groups.length === 0) return `${intro}\nexport type ${resources} = Readonly<Record<never, never>>;\n`;
  const body = groups.map((g) => {
    const entries = g.entries.map((e) => `    /** ${sentence(e.description)} */\n    readonly ${key(e.property)}: string;`).join('\n');
    return `  readonly ${g.name}: {\n${entries}\n  };`;
  }).join('\n');
  return `${intro}\nexport interface ${resources} {\n${body}\n}\n`;
}

function handlerType(fn: FunctionModel): HandlerType {
  const { resources, handler } = typeNames(fn);
  const renderer = rendererOf(fn.trigger);
  const comment = `/** ${doc(renderer.describe(fn.trigger))} */`;
  return renderer.handlerType(fn.trigger, { resources, handler, comment });
}

export function renderTypes(model: ServiceModel, fn: FunctionModel): string {
  const h = handlerType(fn);
  const imports = [
    ...(h.imports.length > 0 ? [`import type { ${h.imports.join(', ')} } from 'aws-lambda';`] : []),
    h.runtimeImport,
  ];
  return `${[tsHeader(model.sourceFile) + imports.join('\n'), resourcesInterface(model, fn), h.declaration].map((p) => p.trim()).join('\n\n')}\n`;
}
