/** A DynamoDB stream's event source mapping: the business logic gets one change record of a batch. */
import type { StreamViewType } from '@kiro-serverless/model/constants';
import { inputTypeOf, TRIGGERS, whatErrorDoes } from '@kiro-serverless/model/triggers';
import { key, layoutObject, str } from '../ts.js';
import { eventSourceHandlerType } from './shared.js';
import type { TriggerRenderer } from './trigger-renderer.js';

/** The stream view types as the test helpers name them. */
const STREAM_VIEW: Readonly<Record<StreamViewType, string>> = {
  keysOnly: 'KEYS_ONLY', newImage: 'NEW_IMAGE', oldImage: 'OLD_IMAGE', newAndOldImages: 'NEW_AND_OLD_IMAGES',
};

function sampleKeyValue(type: string): string {
  return type === 'number' ? '1' : type === 'binary' ? 'new Uint8Array([1])' : `'key-1'`;
}

export const dynamodbStream: TriggerRenderer<'dynamodbStream'> = {
  handlerSuffix: 'Handler',
  needsHttpApi: false,
  entryNames: ['streamBatchHandler'],
  testNames: ['records', 'streamRecords'],

  describe: (t) => `One change record from the stream of table ${t.table}. ${whatErrorDoes(t)}`,

  compose(t, c) {
    c.importRuntime('batch', 'streamBatchHandler');
    return `streamBatchHandler(${c.perInput()}${t.reportBatchItemFailures ? '' : ', { reportBatchItemFailures: false }'})`;
  },

  wire(t, c) {
    const props = [
      `startingPosition: ${str(t.startingPosition)}`, `batchSize: ${t.batchSize}`, `batchingWindowSeconds: ${t.batchingWindowSeconds}`,
      `bisectOnError: ${t.bisectOnError}`, `maxRetries: ${t.maxRetries}`, `maxRecordAgeSeconds: ${t.maxRecordAgeSeconds}`,
      `parallelization: ${t.parallelization}`, `reportBatchItemFailures: ${t.reportBatchItemFailures}`,
      ...(t.filter === undefined ? [] : [`filter: ${JSON.stringify(t.filter)}`]),
      ...(t.onFailure === undefined ? [] : [`onFailure: ${c.ref(t.onFailure)}`]),
    ];
    return [layoutObject(`${c.fn}.consumeStream(${c.ref(t.table)}, `, { props }, ');', c.column)];
  },

  handlerType: (_t, c) => eventSourceHandlerType(c, inputTypeOf(TRIGGERS.dynamodbStream)),

  handlerScaffold: (_t, c) => c.inputHandler({ logged: '{ eventID: input.eventID, eventName: input.eventName }' }),

  testCall(t, c) {
    const table = c.model.tables[t.table];
    const keys = table === undefined ? [] : [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    const item = keys.map((k) => `${key(k.name)}: ${sampleKeyValue(k.type)}`).join(', ');
    const view = table?.stream === undefined || table.stream === 'newAndOldImages' ? '' : `, viewType: '${STREAM_VIEW[table.stream]}'`;
    return {
      events: ['lambdaContext', 'streamRecords'],
      runtimeImport: '',
      prelude: `const records = streamRecords({ table: ${str(t.table)}, keys: [${keys.map((k) => str(k.name)).join(', ')}]${view} });\n`,
      call: `${c.logic}(records.insert({ ${item} }), ${c.invocation})`,
      expectation: '.resolves.toBeUndefined()',
    };
  },
};
