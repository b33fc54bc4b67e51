/**
 * `src/generated/<service>/<function>.types.ts`: the types the business logic implements, derived
 * from the spec: the resources the function may touch and its handler's signature.
 */
import { KIT_PACKAGES } from '@kiro-serverless/model/layout';
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import { tsHeader } from '../header.js';
import { resourceGroups } from './resources.js';
import { doc, importSpecifier, key, pascalCase, sentence } from './ts.js';
import { triggerShape } from './trigger.js';

/** The names the handler and test scaffolds import from the types file. */
export function typeNames(fn: FunctionModel): { resources: string; handler: string } {
  const name = pascalCase(fn.id);
  return { resources: `${name}Resources`, handler: fn.trigger.type === 'http' ? `${name}Route` : `${name}Handler` };
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

function handlerType(fn: FunctionModel): { imports: string[]; runtimeImport: string; declaration: string } {
  const { resources, handler } = typeNames(fn);
  const shape = triggerShape(fn);
  const comment = `/** ${doc(shape.describe)} */`;
  const t = fn.trigger;
  // A function called `http` or `event` gives a type named like the runtime's: import that one renamed.
  const route = handler === 'HttpRoute' ? 'RuntimeHttpRoute' : 'HttpRoute';
  const eventHandler = handler === 'EventHandler' ? 'RuntimeEventHandler' : 'EventHandler';
  if (t.type === 'http') {
    return {
      imports: [],
      runtimeImport: `import type { ${importSpecifier('HttpRoute', route)} } from '${KIT_PACKAGES.runtime}/http';`,
      declaration: `${comment}\nexport type ${handler}<TBody = undefined> = ${route}<TBody, ${resources}>;\n`,
    };
  }
  const runtimeImport = `import type { ${importSpecifier('EventHandler', eventHandler)} } from '${KIT_PACKAGES.runtime}/invocation';`;
  if (t.type === 'direct') {
    const declaration = t.invocation === 'sync'
      ? `${comment}\nexport type ${handler}<TEvent = unknown, TResult = unknown> = ${eventHandler}<TEvent, ${resources}, TResult>;\n`
      : `${comment}\nexport type ${handler}<TEvent = unknown> = ${eventHandler}<TEvent, ${resources}>;\n`;
    return { imports: [], runtimeImport, declaration };
  }
  const input = shape.inputType ?? 'unknown';
  return { imports: [input], runtimeImport, declaration: `${comment}\nexport type ${handler} = ${eventHandler}<${input}, ${resources}>;\n` };
}

export function renderTypes(model: ServiceModel, fn: FunctionModel): string {
  const h = handlerType(fn);
  const imports = [
    ...(h.imports.length > 0 ? [`import type { ${h.imports.join(', ')} } from 'aws-lambda';`] : []),
    h.runtimeImport,
  ];
  return `${[tsHeader(model.sourceFile) + imports.join('\n'), resourcesInterface(model, fn), h.declaration].map((p) => p.trim()).join('\n\n')}\n`;
}
