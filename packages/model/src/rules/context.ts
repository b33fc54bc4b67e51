import type { Severity } from '../constants.js';
import { RESOURCE_KINDS } from '../constants.js';
import type { ResourceKind } from '../constants.js';
import type { Finding } from '../findings.js';
import { didYouMean, listOf } from '../findings.js';
import type { ServiceModel } from '../model.js';
import type { ServiceSpec } from '../schema.js';
import type { DataPath, PositionTarget, YamlSource } from '../yaml-source.js';
import type { RuleId } from './catalog.js';

export interface Report {
  readonly rule: RuleId;
  /** Path in the spec; a missing key points at the nearest parent that exists. */
  readonly path: DataPath;
  readonly message: string;
  readonly fix: string;
  /** @default 'error' */
  readonly severity?: Severity;
  /** @default 'key' */
  readonly target?: PositionTarget;
}

/** What a rule sees: the spec as written, its resolved model, and a way to report. */
export class RuleContext {
  readonly findings: Finding[] = [];
  /** Which kind declares each ID (the first, when an ID is declared twice). */
  readonly kindOf: ReadonlyMap<string, ResourceKind | 'functions'>;

  constructor(
    readonly file: string,
    readonly source: YamlSource,
    readonly spec: ServiceSpec,
    readonly model: ServiceModel,
  ) {
    const kinds = new Map<string, ResourceKind | 'functions'>();
    for (const kind of [...RESOURCE_KINDS, 'functions'] as const) {
      for (const id of Object.keys(spec[kind] ?? {})) if (!kinds.has(id)) kinds.set(id, kind);
    }
    this.kindOf = kinds;
  }

  /**
   * True when the function's `trigger` map is present but empty: SPEC-TRIGGER-ONE reports it, and
   * rules that depend on the invocation type skip the function rather than guess.
   */
  hasEmptyTrigger(fnId: string): boolean {
    const trigger = this.spec.functions?.[fnId]?.trigger;
    return trigger !== undefined && Object.values(trigger).every((t) => t === undefined);
  }

  report(r: Report): void {
    const { line, column } = this.source.positionOf(r.path, r.target);
    this.findings.push({ file: this.file, line, column, severity: r.severity ?? 'error', rule: r.rule, message: r.message, fix: r.fix });
  }

  /** IDs declared under the given kinds. */
  idsOf(kinds: readonly ResourceKind[]): string[] {
    return kinds.flatMap((k) => Object.keys(this.spec[k] ?? {}));
  }

  /**
   * Checks that `name` (found at `path`) is declared under one of `kinds`. `purpose` completes
   * "<purpose> takes ...", e.g. "`permissions.publish`". Returns true when the reference is good.
   */
  checkRef(path: DataPath, name: string, kinds: readonly ResourceKind[], purpose: string, fixForOtherKind?: (kind: string) => string): boolean {
    const kind = this.kindOf.get(name);
    const expected = listOf(kinds.map(singular));
    if (kind === undefined) {
      this.report({
        rule: 'SPEC-REF-UNKNOWN', path, target: 'value',
        message: `${purpose} names \`${name}\`, which is not declared as a ${expected}.${didYouMean(name, this.idsOf(kinds))}`,
        fix: `Declare \`${name}\` under ${listOf(kinds.map((k) => `${k}:`))}, or name one that is.`,
      });
      return false;
    }
    if (!(kinds as readonly string[]).includes(kind)) {
      this.report({
        rule: 'SPEC-REF-KIND', path, target: 'value',
        message: `${purpose} names \`${name}\`, which is a ${singular(kind)}; it takes a ${expected}.`,
        fix: fixForOtherKind?.(kind) ?? `Name a ${expected} here.`,
      });
      return false;
    }
    return true;
  }
}

export type Rule = (ctx: RuleContext) => void;

const SINGULAR: Record<ResourceKind | 'functions', string> = {
  tables: 'table', queues: 'queue', topics: 'topic', buckets: 'bucket', databases: 'database', fileSystems: 'file system', functions: 'function',
};
export function singular(kind: string): string {
  return SINGULAR[kind as ResourceKind] ?? kind;
}

/** `functions.createOrder.trigger.http` as people read it. */
export function dotted(path: DataPath): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
}
