/**
 * The spec writes an idempotency key as a dotted path into the function's input (`body.orderId`,
 * `headers.idempotency-key`); Powertools takes a JMESPath expression. Fields that Lambda delivers as
 * JSON text (an SQS or HTTP body, an SNS message) are parsed with `powertools_json()` first.
 */
import type { TriggerModel } from '@kiro-serverless/model/model';
import { TRIGGERS } from '@kiro-serverless/model/triggers';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JMESPath field: bare if it is an identifier, else a quoted identifier (`"idempotency-key"`). */
function field(segment: string): string {
  return IDENTIFIER.test(segment) ? segment : `"${segment.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function path(segments: readonly string[]): string {
  return segments.map(field).join('.');
}

/**
 * The JMESPath expression of a spec key for a trigger:
 * `body.orderId` on sqs -> `powertools_json(body).orderId`; `headers.idempotency-key` on http ->
 * `headers."idempotency-key"` (header names in lower case, as API Gateway delivers them);
 * `dynamodb.NewImage.pk.S` -> unchanged.
 */
export function keyJmesPath(trigger: TriggerModel, key: string): string {
  const source = TRIGGERS[trigger.type].idempotencyKey;
  const segments = key.split('.');
  // API Gateway (HTTP API) delivers header names in lower case, whatever the client sent.
  if (segments[1] !== undefined && source.lowerCaseKeysOf.includes(segments[0] ?? '')) segments[1] = segments[1].toLowerCase();
  for (const textField of source.jsonTextFields) {
    const prefix = textField.split('.');
    const within = segments.length > prefix.length && prefix.every((s, i) => segments[i] === s);
    if (within) return `powertools_json(${path(prefix)}).${path(segments.slice(prefix.length))}`;
  }
  return path(segments);
}
