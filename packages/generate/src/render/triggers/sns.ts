/** An SNS topic subscription (asynchronous invocation): the business logic gets the one message. */
import { inputTypeOf, TRIGGERS, whatErrorDoes } from '@kiro-serverless/model/triggers';
import { str } from '../ts.js';
import { eventSourceHandlerType } from './shared.js';
import type { TriggerRenderer } from './trigger-renderer.js';

export const sns: TriggerRenderer<'sns'> = {
  handlerSuffix: 'Handler',
  needsHttpApi: false,
  entryNames: ['snsHandler'],
  testNames: ['snsEvent'],

  describe: (t) => `One message of topic ${t.topic}. ${whatErrorDoes(t)}`,

  compose(_t, c) {
    c.importRuntime('async', 'snsHandler');
    return `snsHandler(${c.perInput()})`;
  },

  wire: (t, c) => [`${c.fn}.subscribeTo(${c.ref(t.topic)});`],

  handlerType: (_t, c) => eventSourceHandlerType(c, inputTypeOf(TRIGGERS.sns)),

  handlerScaffold: (_t, c) => c.inputHandler({ logged: '{ messageId: input.Sns.MessageId }' }),

  testCall: (t, c) => ({
    events: ['lambdaContext', 'snsEvent'],
    runtimeImport: '',
    prelude: '',
    call: `${c.logic}(snsEvent({ id: 'id-1' }, { topic: ${str(t.topic)} }).Records[0]!, ${c.invocation})`,
    expectation: '.resolves.toBeUndefined()',
  }),
};
