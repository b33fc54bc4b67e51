/**
 * A function without a trigger, invoked directly (Lambda Invoke): synchronously, the caller gets the
 * result; asynchronously (Event), Lambda retries a failure. The caller names the event's type.
 */
import { whatErrorDoes } from '@kiro-serverless/model/triggers';
import { eventHandlerImport, eventHandlerName } from './shared.js';
import type { TriggerRenderer } from './trigger-renderer.js';

export const direct: TriggerRenderer<'direct'> = {
  handlerSuffix: 'Handler',
  needsHttpApi: false,
  entryNames: [],
  testNames: [],

  describe: (t) => (t.invocation === 'sync'
    ? 'A direct, synchronous invocation (Lambda Invoke, RequestResponse): the caller gets the result or the error.'
    : `A direct, asynchronous invocation (Lambda Invoke, Event). ${whatErrorDoes(t)}`),

  compose: (_t, c) => c.perInput(),

  wire: () => [],

  handlerType(t, c) {
    const eventHandler = eventHandlerName(c);
    const declaration = t.invocation === 'sync'
      ? `${c.comment}\nexport type ${c.handler}<TEvent = unknown, TResult = unknown> = ${eventHandler}<TEvent, ${c.resources}, TResult>;\n`
      : `${c.comment}\nexport type ${c.handler}<TEvent = unknown> = ${eventHandler}<TEvent, ${c.resources}>;\n`;
    return { imports: [], runtimeImport: eventHandlerImport(c), declaration };
  },

  handlerScaffold: (t, c) => c.inputHandler({
    logged: '{ fields: Object.keys(input) }',
    signature: `${c.handler}<Record<string, unknown>${t.invocation === 'sync' ? ', { ok: boolean }' : ''}>`,
    ...(t.invocation === 'sync' ? { returns: 'Promise.resolve({ ok: true })' } : {}),
  }),

  testCall: (t, c) => ({
    events: ['lambdaContext'],
    runtimeImport: '',
    prelude: '',
    call: `${c.logic}({ id: 'id-1' }, ${c.invocation})`,
    expectation: t.invocation === 'sync' ? '.resolves.toEqual({ ok: true })' : '.resolves.toBeUndefined()',
  }),
};
