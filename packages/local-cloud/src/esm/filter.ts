/**
 * Lambda event filtering (FilterCriteria), the EventBridge pattern language that event-source
 * mappings apply to each record before batching. A record that does not match is dropped, and for
 * a stream it is checkpointed as processed: the function never sees it.
 *
 * Supported, as Lambda documents them:
 * - nested objects: every key of the pattern must match (AND); a leaf is an array of matchers, of
 *   which one must match (OR);
 * - exact values: strings, numbers (compared as numbers), booleans, `null` (matches an explicit
 *   `null` only, not a missing field) and `""` (matches the empty string only);
 * - `{ prefix }`, `{ suffix }` (each also as `{ prefix: { 'equals-ignore-case': 'x' } }`),
 *   `{ 'equals-ignore-case' }`, `{ 'anything-but': value | [values] | { prefix } | { suffix } }`,
 *   `{ numeric: ['>', 0, '<=', 5] }`, `{ exists: true | false }` (leaf values only, as in
 *   EventBridge: an object is not a leaf);
 * - `$or: [pattern, pattern, ...]` next to other keys (each alternative is ANDed with them);
 * - arrays in the event: a leaf matches when any element matches, a nested pattern when any
 *   element (an object) matches.
 *
 * A value that is absent matches only `{ exists: false }`. `anything-but`, `numeric`, `prefix`
 * and the rest never match an absent value.
 *
 * @example
 * const matches = compileFilter({ eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [{ prefix: 'ORDER' }] } } } });
 * matches(record); // true or false
 *
 * @module
 */

/** A filter pattern as the spec (and Lambda's FilterCriteria `Pattern`, parsed) gives it. */
export type FilterPattern = Readonly<Record<string, unknown>>;

/** Tests one record (its JSON form, as the function would receive it). */
export type FilterMatcher = (record: unknown) => boolean;

/** A pattern that Lambda would refuse: each issue names the path in the pattern and what is wrong. */
export class FilterPatternError extends Error {
  constructor(readonly issues: readonly string[], options?: ErrorOptions) {
    super(`Invalid event filter pattern: ${issues.join('; ')}. Fix the trigger's filter in the spec.`, options);
    this.name = 'FilterPatternError';
  }
}

/** The comparison operators of `numeric`. */
const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

type Leaf = (value: unknown) => boolean;
type Node = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isLeafValue = (value: unknown): boolean => value !== undefined && !isObject(value);
const pathText = (path: readonly string[]): string => (path.length === 0 ? '(root)' : path.join('.'));

/**
 * Compiles `pattern` into a matcher; throws {@link FilterPatternError} listing every problem when
 * the pattern is not valid (a leaf that is not an array, an unknown operator, a malformed range).
 */
export function compileFilter(pattern: FilterPattern): FilterMatcher {
  const issues: string[] = [];
  const root = compileObject(pattern, [], issues);
  if (issues.length > 0) throw new FilterPatternError(issues);
  return (record) => root(record);
}

/** Whether `record` matches `pattern`; compiles each time, so prefer {@link compileFilter} in loops. */
export function matchesFilter(pattern: FilterPattern, record: unknown): boolean {
  return compileFilter(pattern)(record);
}

function compileObject(pattern: unknown, path: readonly string[], issues: string[]): Node {
  if (!isObject(pattern)) {
    issues.push(`${pathText(path)}: expected a list of values (e.g. [${JSON.stringify(pattern)}]) or an object of fields, got ${JSON.stringify(pattern)}`);
    return () => false;
  }
  const parts: Node[] = [];
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      parts.push(compileOr(sub, path, issues));
      continue;
    }
    const subPath = [...path, key];
    const child: Node = Array.isArray(sub) ? compileLeaves(sub, subPath, issues) : compileObject(sub, subPath, issues);
    parts.push((value) => child(isObject(value) ? value[key] : undefined));
  }
  if (parts.length === 0) issues.push(`${pathText(path)}: an empty pattern matches nothing useful; list at least one field`);
  return (value) => {
    if (Array.isArray(value)) return value.some((element) => isObject(element) && parts.every((part) => part(element)));
    return parts.every((part) => part(value));
  };
}

function compileOr(alternatives: unknown, path: readonly string[], issues: string[]): Node {
  if (!Array.isArray(alternatives) || alternatives.length < 2) {
    issues.push(`${pathText([...path, '$or'])}: expected an array of at least two patterns`);
    return () => false;
  }
  const nodes = alternatives.map((alternative, index) => compileObject(alternative, [...path, `$or[${index}]`], issues));
  return (value) => nodes.some((node) => node(value));
}

function compileLeaves(matchers: readonly unknown[], path: readonly string[], issues: string[]): Node {
  if (matchers.length === 0) issues.push(`${pathText(path)}: an empty list of values matches nothing`);
  const leaves = matchers.map((matcher) => compileLeaf(matcher, path, issues));
  const absent = leaves.some((leaf) => leaf.matchesAbsent);
  return (value) => {
    if (value === undefined) return absent;
    if (Array.isArray(value)) return value.some((element) => leaves.some((leaf) => leaf.test(element)));
    return leaves.some((leaf) => leaf.test(value));
  };
}

interface CompiledLeaf {
  readonly test: Leaf;
  /** `{ exists: false }`: matches a field that is not there. */
  readonly matchesAbsent: boolean;
}

function compileLeaf(matcher: unknown, path: readonly string[], issues: string[]): CompiledLeaf {
  const where = pathText(path);
  if (matcher === null || typeof matcher === 'string' || typeof matcher === 'boolean' || typeof matcher === 'number') {
    return { test: (value) => value === matcher, matchesAbsent: false };
  }
  if (!isObject(matcher)) {
    issues.push(`${where}: ${JSON.stringify(matcher)} is neither a value nor an operator object`);
    return { test: () => false, matchesAbsent: false };
  }
  const entries = Object.entries(matcher);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    issues.push(`${where}: an operator object has exactly one key, got ${JSON.stringify(matcher)}`);
    return { test: () => false, matchesAbsent: false };
  }
  const [operator, operand] = entry;
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') issues.push(`${where}: exists takes true or false`);
      return operand === false
        ? { test: () => false, matchesAbsent: true }
        : { test: isLeafValue, matchesAbsent: false };
    case 'prefix':
    case 'suffix':
      return { test: compileAffix(operator, operand, where, issues), matchesAbsent: false };
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') issues.push(`${where}: equals-ignore-case takes a string`);
      const expected = String(operand).toLowerCase();
      return { test: (value) => typeof value === 'string' && value.toLowerCase() === expected, matchesAbsent: false };
    }
    case 'anything-but':
      return { test: compileAnythingBut(operand, where, issues), matchesAbsent: false };
    case 'numeric':
      return { test: compileNumeric(operand, where, issues), matchesAbsent: false };
    default:
      issues.push(`${where}: unknown operator '${operator}' (supported: exists, prefix, suffix, equals-ignore-case, anything-but, numeric)`);
      return { test: () => false, matchesAbsent: false };
  }
}

function compileAffix(kind: 'prefix' | 'suffix', operand: unknown, where: string, issues: string[]): Leaf {
  let text: string;
  let ignoreCase = false;
  if (typeof operand === 'string') {
    text = operand;
  } else if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string' && Object.keys(operand).length === 1) {
    text = operand['equals-ignore-case'].toLowerCase();
    ignoreCase = true;
  } else {
    issues.push(`${where}: ${kind} takes a string or { "equals-ignore-case": string }`);
    return () => false;
  }
  return (value) => {
    if (typeof value !== 'string') return false;
    const subject = ignoreCase ? value.toLowerCase() : value;
    return kind === 'prefix' ? subject.startsWith(text) : subject.endsWith(text);
  };
}

function compileAnythingBut(operand: unknown, where: string, issues: string[]): Leaf {
  if (isObject(operand)) {
    const [key, ...rest] = Object.keys(operand);
    if ((key === 'prefix' || key === 'suffix') && rest.length === 0) {
      const affix = compileAffix(key, operand[key], where, issues);
      return (value) => typeof value === 'string' && !affix(value);
    }
    issues.push(`${where}: anything-but takes a value, a list of values, { prefix } or { suffix }`);
    return () => false;
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  for (const value of excluded) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      issues.push(`${where}: anything-but lists plain values, got ${JSON.stringify(value)}`);
    }
  }
  return (value) => isLeafValue(value) && !excluded.some((other) => other === value);
}

function compileNumeric(operand: unknown, where: string, issues: string[]): Leaf {
  const conditions: { op: NumericOperator; bound: number }[] = [];
  const valid = Array.isArray(operand) && operand.length > 0 && operand.length % 2 === 0 && operand.length <= 4;
  if (valid) {
    for (let index = 0; index < operand.length; index += 2) {
      const op: unknown = operand[index];
      const bound: unknown = operand[index + 1];
      if (!NUMERIC_OPERATORS.includes(op as NumericOperator) || typeof bound !== 'number' || !Number.isFinite(bound)) {
        issues.push(`${where}: numeric needs pairs of an operator (${NUMERIC_OPERATORS.join(', ')}) and a number`);
        return () => false;
      }
      conditions.push({ op: op as NumericOperator, bound });
    }
    if (conditions.length === 2 && conditions.some((c) => c.op === '=')) {
      issues.push(`${where}: numeric '=' stands alone, not in a range`);
    }
  } else {
    issues.push(`${where}: numeric takes [op, number] or [op, number, op, number], got ${JSON.stringify(operand)}`);
    return () => false;
  }
  return (value) => typeof value === 'number' && conditions.every(({ op, bound }) => compare(value, op, bound));
}

function compare(value: number, op: NumericOperator, bound: number): boolean {
  switch (op) {
    case '=': return value === bound;
    case '<': return value < bound;
    case '<=': return value <= bound;
    case '>': return value > bound;
    case '>=': return value >= bound;
  }
}
