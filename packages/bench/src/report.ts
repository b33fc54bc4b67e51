/**
 * The benchmark table (markdown, printed) and docs/benchmarks.md (written by the bench).
 *
 * @module
 */
import os from 'node:os';
import { times } from './format.js';
import type { BenchRow } from './types.js';

const escape = (text: string): string => text.replace(/\|/g, '\\|');

/** `# | figure | ours | baseline | ratio | target | met? | context`, one line per row. */
export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| # | figure | ours | baseline | ratio | target | met? | context |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.item} | ${escape(row.figure)} | ${escape(row.ours)} | ${escape(row.baseline)} | ${times(row.ratio)} | ` +
      `${escape(row.target ?? '—')} | ${row.met === undefined ? '—' : row.met ? 'yes' : '**no**'} | ${escape(row.context ?? '')} |`),
  ];
  return lines.join('\n');
}

export interface ReportInput {
  readonly startedAt: Date;
  readonly command: string;
  readonly quick: boolean;
  readonly wallMs: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly rows: readonly BenchRow[];
  readonly notes: readonly string[];
  readonly growth: readonly BenchRow[];
  readonly errors: readonly string[];
}

/** The machine this ran on, in one line. */
export function machineNote(load: readonly number[]): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, ` +
    `load average ${load.map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min)`;
}

export function reportDocument(input: ReportInput): string {
  const targets = input.rows.filter((row) => row.met !== undefined);
  const missed = targets.filter((row) => row.met === false);
  return [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (packages/bench); do not edit by hand: run it again. -->',
    '',
    'What a user of this template pays, in production and in the development loop. Every figure is measured beside its ' +
    'baseline in the same run and read as a ratio (ours / baseline); absolute times are context, since the machine may be ' +
    'shared and noisy. Sizes and counts are exact.',
    '',
    `- Date: ${input.startedAt.toISOString()}`,
    `- Node: ${process.version} (${process.platform}/${process.arch}); Lambda runs Node.js 22 or 24`,
    `- Command: \`${input.command}\`${input.quick ? ' (reduced set)' : ''}, ${(input.wallMs / 1000).toFixed(0)} s`,
    `- Machine: ${machineNote(input.loadBefore)} at the start; ${input.loadAfter.map((l) => l.toFixed(2)).join(' / ')} at the end`,
    `- Targets: ${targets.length - missed.length} of ${targets.length} met` +
      (missed.length > 0 ? ` (missed: ${missed.map((row) => row.figure).join('; ')})` : ''),
    ...(input.errors.length > 0 ? ['', '## Sections that failed', '', ...input.errors.map((e) => `- ${e.split('\n')[0] ?? e}`)] : []),
    '',
    '## Figures',
    '',
    markdownTable(input.rows),
    '',
    '## How it grows (item 6)',
    '',
    ...(input.growth.length > 0
      ? input.growth.map((row) => `- ${row.figure}: ${row.ours}${row.ratio === undefined ? '' : ` (${times(row.ratio)} of ${row.baseline})`}; ${row.context ?? ''}`)
      : ['- not measured in this run']),
    '',
    'The full test run (item 7, development loop) is reported beside its figure before the fast loop and with its average per ' +
    'test, which is how it grows (with the number of tests, and with the few suites that start DynamoDB Local, bundle or synthesize).',
    '',
    '## How each figure is measured',
    '',
    // Paragraphs are followed by a blank line; a run of bullets ends with one before the next paragraph.
    ...input.notes.map((note, index) => (note.startsWith('- ')
      ? (input.notes[index + 1]?.startsWith('- ') ?? true ? note : `${note}\n`)
      : `${note}\n`)),
    '',
  ].join('\n');
}
