/** Turns zod's issues into findings with positions, rule IDs and fixes. */
import { z } from 'zod';
import type { Finding } from './findings.js';
import { didYouMean, listOf, valueText } from './findings.js';
import type { RuleId } from './rules/catalog.js';
import { dotted } from './rules/context.js';
import type { DataPath, PositionTarget, YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

export function schemaFindings(issues: readonly Issue[], schema: z.ZodType, source: YamlSource, file: string): Finding[] {
  const findings: Finding[] = [];
  const push = (rule: RuleId, path: DataPath, target: PositionTarget, message: string, fix: string) => {
    const { line, column } = source.positionOf(path, target);
    findings.push({ file, line, column, severity: 'error', rule, message, fix });
  };
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const where = path.length === 0 ? 'The spec' : `\`${dotted(path)}\``;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schemaAt(schema, path));
        for (const key of issue.keys) {
          const suggestion = didYouMean(key, known);
          push('SPEC-UNKNOWN-KEY', [...path, key], 'key',
            `Unknown key \`${key}\` in ${path.length === 0 ? 'the spec' : `\`${dotted(path)}\``}.${suggestion}`,
            suggestion ? 'Rename the key.' : `Remove it; the keys allowed here are ${listOf(known, 'and')}.`);
        }
        break;
      }
      case 'invalid_type': {
        const value = valueAt(source.data, path);
        if (value === undefined) {
          push('SPEC-REQUIRED', path, 'key', `${where} is required.`, `Add \`${String(path.at(-1) ?? 'service')}\`.`);
        } else {
          push('SPEC-TYPE', path, 'value', `${where} is ${describe(value)}; expected ${article(issue.expected)}.`, `Write ${article(issue.expected)} here.`);
        }
        break;
      }
      case 'invalid_value': {
        const value = valueAt(source.data, path);
        const allowed = issue.values.map(String);
        push('SPEC-TYPE', path, 'value', `${where} is ${JSON.stringify(value)}; expected one of ${listOf(allowed)}.${didYouMean(valueText(value), allowed)}`, `Use one of ${listOf(allowed)}.`);
        break;
      }
      case 'invalid_key': {
        const inner = issue.issues[0]?.message ?? issue.message;
        push('SPEC-FORMAT', path, 'key', `\`${String(path.at(-1))}\` is not a valid name: ${inner}.`, 'Rename it, e.g. `orderEvents`, and update its references.');
        break;
      }
      case 'invalid_format':
        push('SPEC-FORMAT', path, 'value', `${where} is ${JSON.stringify(valueAt(source.data, path))}: ${issue.message}.`, 'Rewrite the value in the expected form.');
        break;
      case 'too_small':
      case 'too_big': {
        const value = valueAt(source.data, path);
        if (typeof value === 'number') {
          const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
          push('SPEC-RANGE', path, 'value', `${where} is ${value}; it must be ${bound}.`, `Use a value that is ${bound}.`);
        } else {
          push('SPEC-REQUIRED', path, 'value', `${where} is empty.`, 'Give it a value.');
        }
        break;
      }
      default:
        push('SPEC-TYPE', path, 'value', `${where}: ${issue.message}.`, 'Correct the value.');
    }
  }
  return findings;
}

function article(expected: string): string {
  const names: Record<string, string> = { object: 'a map', array: 'a list', int: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', record: 'a map' };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value === 'number' && !Number.isInteger(value) ? 'the fraction' : ''} ${String(value)}`.trim();
}

function valueAt(data: unknown, path: DataPath): unknown {
  let node: unknown = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** The schema that validates the value at `path`, following objects, records and lists. */
function schemaAt(schema: z.ZodType, path: DataPath): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const segment of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(segment)];
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return undefined;
  }
  return s && unwrap(s);
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  return s;
}

function knownKeys(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
