/**
 * The spec writes an idempotency key as a dotted path into the function's input (`body.orderId`,
 * `headers.idempotency-key`); Powertools takes a JMESPath expression. Fields that Lambda delivers as
 * JSON text (an SQS or HTTP body, an SNS message) are parsed with `powertools_json()` first.
 */
import type { TriggerModel } from '@kiro-serverless/model/model';

/** Input fields that hold JSON as a string, per trigger type. */
const JSON_TEXT_FIELDS: Partial<Record<TriggerModel['type'], readonly string[]>> = {
  http: ['body'],
  sqs: ['body'],
  sns: ['Sns.Message'],
};

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
  const segments = key.split('.');
  // API Gateway (HTTP API) delivers header names in lower case, whatever the client sent.
  if (trigger.type === 'http' && segments[0] === 'headers' && segments[1] !== undefined) segments[1] = segments[1].toLowerCase();
  for (const textField of JSON_TEXT_FIELDS[trigger.type] ?? []) {
    const prefix = textField.split('.');
    const within = segments.length > prefix.length && prefix.every((s, i) => segments[i] === s);
    if (within) return `powertools_json(${path(prefix)}).${path(segments.slice(prefix.length))}`;
  }
  return path(segments);
}
