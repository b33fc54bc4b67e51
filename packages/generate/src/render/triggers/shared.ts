/** Pieces that several trigger renderers share. */
import { KIT_PACKAGES } from '@kiro-serverless/model/layout';
import { importSpecifier } from '../ts.js';
import type { HandlerType, TypesContext } from './trigger-renderer.js';

/** The local name of the runtime's `EventHandler` type (renamed when the handler type is called that). */
export function eventHandlerName(context: TypesContext): string {
  return context.handler === 'EventHandler' ? 'RuntimeEventHandler' : 'EventHandler';
}

/** The import of the runtime's `EventHandler` type. */
export function eventHandlerImport(context: TypesContext): string {
  return `import type { ${importSpecifier('EventHandler', eventHandlerName(context))} } from '${KIT_PACKAGES.runtime}/invocation';`;
}

/** The handler type of an event source: one input of `inputType` (an `aws-lambda` type). */
export function eventSourceHandlerType(context: TypesContext, inputType: string | undefined): HandlerType {
  const input = inputType ?? 'unknown';
  return {
    imports: [input],
    runtimeImport: eventHandlerImport(context),
    declaration: `${context.comment}\nexport type ${context.handler} = ${eventHandlerName(context)}<${input}, ${context.resources}>;\n`,
  };
}
