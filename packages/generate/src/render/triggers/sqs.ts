/** An SQS queue's event source mapping: the business logic gets one message of a batch. */
import { inputTypeOf, TRIGGERS, whatErrorDoes } from '@kiro-serverless/model/triggers';
import { layoutObject, str } from '../ts.js';
import { eventSourceHandlerType } from './shared.js';
import type { TriggerRenderer } from './trigger-renderer.js';

export const sqs: TriggerRenderer<'sqs'> = {
  handlerSuffix: 'Handler',
  needsHttpApi: false,
  entryNames: ['sqsBatchHandler'],
  testNames: ['sqsRecord'],

  describe: (t) => `One message of queue ${t.queue}. ${whatErrorDoes(t)}`,

  compose(t, c) {
    c.importRuntime('batch', 'sqsBatchHandler');
    const fifo = c.model.queues[t.queue]?.fifo ?? false;
    return `sqsBatchHandler(${c.perInput()}, { fifo: ${fifo}${t.reportBatchItemFailures ? '' : ', reportBatchItemFailures: false'} })`;
  },

  wire(t, c) {
    const props = [
      `batchSize: ${t.batchSize}`, `batchingWindowSeconds: ${t.batchingWindowSeconds}`,
      ...(t.maxConcurrency === undefined ? [] : [`maxConcurrency: ${t.maxConcurrency}`]), `reportBatchItemFailures: ${t.reportBatchItemFailures}`,
    ];
    return [layoutObject(`${c.fn}.consumeQueue(${c.ref(t.queue)}, `, { props }, ');', c.column)];
  },

  handlerType: (_t, c) => eventSourceHandlerType(c, inputTypeOf(TRIGGERS.sqs)),

  handlerScaffold: (_t, c) => c.inputHandler({ logged: '{ messageId: input.messageId }' }),

  testCall: (t, c) => ({
    events: ['lambdaContext', 'sqsRecord'],
    runtimeImport: '',
    prelude: '',
    call: `${c.logic}(sqsRecord({ id: 'id-1' }, { queue: ${str(t.queue)}${c.model.queues[t.queue]?.fifo ? `, fifo: { groupId: 'group-1' }` : ''} }), ${c.invocation})`,
    expectation: '.resolves.toBeUndefined()',
  }),
};
