/**
 * Scenarios: scripts that drive a service in the local cloud and check what came of it. A spec
 * `specs/<name>.yaml` may have one beside it, `specs/<name>.scenario.ts`, default-exporting
 * {@link defineScenario}(...); `npm start -- specs/<name>.yaml` runs it, and exits 0 only when every
 * check holds and nothing was lost.
 *
 * @module
 */
import type { ServiceModel } from '@kiro-serverless/model/model';
import type { LocalClients } from './clients.js';
import type { CountsSnapshot } from './counters.js';
import type { LocalResources } from './provision.js';

/** What a scenario gets to work with. */
export interface ScenarioContext {
  readonly model: ServiceModel;
  /** Where each resource lives (names, URLs, ARNs). */
  readonly resources: LocalResources;
  /** SDK clients pointed at the emulators, to put records, read tables and count queues. */
  readonly clients: LocalClients;
  /** The HTTP front, e.g. `http://127.0.0.1:43121`; absent when no function has an http trigger. */
  readonly httpUrl?: string;
  /** Resolves once the cloud has had no work for a moment: streams read, queues empty, no retries pending. */
  waitForIdle(options?: { readonly timeoutMs?: number }): Promise<void>;
  /** Counts so far (invocations, batches, retries, DLQ arrivals...). */
  counts(): CountsSnapshot;
  /** Prints a line in the trace. */
  note(text: string): void;
}

/** One line of the summary: what the scenario implies and what happened. */
export interface ScenarioCheck {
  readonly label: string;
  readonly expected: number;
  readonly actual: number;
}

export interface ScenarioResult {
  readonly checks: readonly ScenarioCheck[];
  /** Records that are neither processed nor in a dead-letter queue or OnFailure destination. Must be 0. */
  readonly lost: number;
}

export interface Scenario {
  /** One line saying what the scenario does. */
  readonly description: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** Declares a scenario (typed; returns it unchanged). */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

/** Whether a result passes: every check as expected and nothing lost. */
export function scenarioPassed(result: ScenarioResult): boolean {
  return result.lost === 0 && result.checks.every((check) => check.expected === check.actual);
}

/** The summary table, as lines. */
export function summaryTable(result: ScenarioResult): string[] {
  const rows = [...result.checks, { label: 'lost', expected: 0, actual: result.lost }];
  const width = Math.max(...rows.map((row) => row.label.length), 'check'.length);
  const lines = [`${'check'.padEnd(width)}  expected  actual`, `${'-'.repeat(width)}  --------  ------`];
  for (const row of rows) {
    const mark = row.expected === row.actual ? '' : '  ✗ differs';
    lines.push(`${row.label.padEnd(width)}  ${String(row.expected).padStart(8)}  ${String(row.actual).padStart(6)}${mark}`);
  }
  return lines;
}
