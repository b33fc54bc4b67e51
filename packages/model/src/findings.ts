import { closest, distance } from 'fastest-levenshtein';
import type { Severity } from './constants.js';
import { compareCodeUnits } from './constants.js';
import type { RuleId } from './rules/catalog.js';

/** One problem in a spec: where it is, which rule, what is wrong and how to fix it. */
export interface Finding {
  /** Spec path relative to the project root (forward slashes). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly severity: Severity;
  readonly rule: RuleId;
  readonly message: string;
  readonly fix: string;
}

/** `specs/orders.yaml:12:7 error LBP-ERR-STREAM-ONFAILURE <message> Fix: <hint>` */
export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message} Fix: ${f.fix}`;
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Stable order: file, then position, then rule. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    compareCodeUnits(a.file, b.file) || a.line - b.line || a.column - b.column || compareCodeUnits(a.rule, b.rule));
}

/** The candidate nearest to `name`, if it is close enough to be a plausible typo. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, [...candidates]);
  const limit = Math.max(2, Math.floor(best.length / 3));
  return distance(name.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

/** " Did you mean `x`?" or "" */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const s = suggest(name, candidates);
  return s === undefined ? '' : ` Did you mean \`${s}\`?`;
}

/** "`a`, `b` or `c`" */
export function listOf(items: readonly string[], conjunction = 'or'): string {
  const quoted = items.map((i) => `\`${i}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}

/**
 * A value from a spec as text for a message, whatever it holds: a YAML map may have keys such as
 * `toString` that make `String(value)` throw.
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    try {
      return JSON.stringify(value) ?? typeof value;
    } catch {
      return typeof value;
    }
  }
}
