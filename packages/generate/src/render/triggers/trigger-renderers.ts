/**
 * The generator's renderer of every trigger type. Keyed by the model's trigger types: a new type is a
 * compile error here until it has a renderer (one file in this folder).
 */
import type { TriggerModel } from '@kiro-serverless/model/model';
import type { TriggerKind } from '@kiro-serverless/model/triggers';
import { direct } from './direct.js';
import { dynamodbStream } from './dynamodb-stream.js';
import { http } from './http.js';
import { schedule } from './schedule.js';
import { sns } from './sns.js';
import { sqs } from './sqs.js';
import type { TriggerRenderer } from './trigger-renderer.js';

export const TRIGGER_RENDERERS: { readonly [K in TriggerKind]: TriggerRenderer<K> } = {
  http, dynamodbStream, sqs, sns, schedule, direct,
};

/** The renderer of a trigger's type (its methods take that trigger). */
export function rendererOf(trigger: TriggerModel): TriggerRenderer<TriggerKind> {
  return TRIGGER_RENDERERS[trigger.type];
}
