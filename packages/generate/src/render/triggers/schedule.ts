/** An EventBridge schedule (asynchronous invocation): the business logic gets the scheduled event. */
import { inputTypeOf, TRIGGERS, whatErrorDoes } from '@kiro-serverless/model/triggers';
import { str } from '../ts.js';
import { eventSourceHandlerType } from './shared.js';
import type { TriggerRenderer } from './trigger-renderer.js';

export const schedule: TriggerRenderer<'schedule'> = {
  handlerSuffix: 'Handler',
  needsHttpApi: false,
  entryNames: [],
  testNames: ['scheduledEvent'],

  describe: (t) => `The schedule ${t.expression} (EventBridge). ${whatErrorDoes(t)}`,

  compose: (_t, c) => c.perInput(),

  wire: (t, c) => [`${c.fn}.runOnSchedule(${str(t.expression)});`],

  handlerType: (_t, c) => eventSourceHandlerType(c, inputTypeOf(TRIGGERS.schedule)),

  handlerScaffold: (_t, c) => c.inputHandler({ logged: '{ time: input.time }' }),

  testCall: (_t, c) => ({
    events: ['lambdaContext', 'scheduledEvent'],
    runtimeImport: '',
    prelude: '',
    call: `${c.logic}(scheduledEvent(), ${c.invocation})`,
    expectation: '.resolves.toBeUndefined()',
  }),
};
