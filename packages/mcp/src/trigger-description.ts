/**
 * How the MCP server describes a function's trigger to an agent: where its events come from, how
 * Lambda invokes it, whether the same event can arrive twice, what a thrown error does (the model's
 * trigger descriptor, with the function's settings filled in) and where failed events end up.
 *
 * @module
 */
import type { TriggerModel } from '@kiro-serverless/model/model';
import { deliveryOf, whatErrorDoes } from '@kiro-serverless/model/triggers';
import type { TriggerKind, TriggerOf } from '@kiro-serverless/model/triggers';
import type { TriggerDescriptionT } from './schemas.js';

/** What the server says about one trigger type. */
interface TriggerDescriber<K extends TriggerKind> {
  /** Where the events come from, e.g. `queue fulfilment`. */
  source(trigger: TriggerOf<K>): string;
  /** The queue an OnFailure destination sends failed events to, if the trigger has one. */
  onFailure(trigger: TriggerOf<K>): string | undefined;
}

/**
 * Every trigger type's description (keyed by the model's trigger types: a new type does not compile
 * until it has one).
 *
 * @internal
 */
export const DESCRIBERS: { readonly [K in TriggerKind]: TriggerDescriber<K> } = {
  http: { source: (t) => `${t.method} ${t.path}`, onFailure: () => undefined },
  dynamodbStream: { source: (t) => `stream of table ${t.table}`, onFailure: (t) => t.onFailure },
  // A message that keeps failing goes to the queue's dead-letter queue, not to a destination of the function.
  sqs: { source: (t) => `queue ${t.queue}`, onFailure: () => undefined },
  sns: { source: (t) => `topic ${t.topic}`, onFailure: (t) => t.async.onFailure },
  schedule: { source: (t) => `schedule ${t.expression}`, onFailure: (t) => t.async.onFailure },
  direct: {
    source: (t) => `direct ${t.invocation === 'sync' ? 'RequestResponse' : 'Event'} invocation`,
    onFailure: (t) => (t.invocation === 'async' ? t.async.onFailure : undefined),
  },
};

function describerOf(trigger: TriggerModel): TriggerDescriber<TriggerKind> {
  return DESCRIBERS[trigger.type];
}

/** A function's trigger as the server reports it. */
export function describeTrigger(trigger: TriggerModel): TriggerDescriptionT {
  const describer = describerOf(trigger);
  const delivery = deliveryOf(trigger);
  const onFailure = describer.onFailure(trigger);
  return {
    type: trigger.type,
    source: describer.source(trigger),
    invocation: delivery.invocation,
    repeats: delivery.repeats,
    onError: whatErrorDoes(trigger),
    ...(onFailure === undefined ? {} : { onFailure }),
  };
}
