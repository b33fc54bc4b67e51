/**
 * The IDs of the Lambda practices this project encodes, in catalog order. Each one has a section in
 * docs/best-practices.md, is taught by a steering file under .kiro/steering/ and has at least one
 * check that can fail. The list lives here, in the repository, so that the tests stand alone; a new
 * practice is added here first, and the catalog and steering tests then say what else it needs.
 */
export const PRACTICE_IDS = [
  'LBP-INIT-CLIENTS',
  'LBP-INIT-REUSE',
  'LBP-CONFIG-EXPLICIT',
  'LBP-CONFIG-ENV',
  'LBP-STATE-EXTERNAL',
  'LBP-TMP-CACHE',
  'LBP-AWAIT-ALL',
  'LBP-IDEMPOTENCY',
  'LBP-PACKAGE-SMALL',
  'LBP-RDS-PROXY',
  'LBP-EFS-ASSETS',
  'LBP-PROVISIONED-CONCURRENCY',
  'LBP-DEPLOY-VERSIONS',
  'LBP-DEPLOY-CANARY',
  'LBP-ERR-SYNC',
  'LBP-ERR-ASYNC-DESTINATION',
  'LBP-ERR-SQS-PARTIAL',
  'LBP-ERR-SQS-DLQ',
  'LBP-ERR-STREAM-BISECT',
  'LBP-ERR-STREAM-RETRIES',
  'LBP-ERR-STREAM-CHECKPOINT',
  'LBP-ERR-STREAM-ONFAILURE',
  'LBP-SEC-LEAST-PRIVILEGE',
  'LBP-OBSERVE',
] as const;

export type PracticeId = (typeof PRACTICE_IDS)[number];

/** Every `LBP-...` token in `text`, in order of appearance (known or not, so that typos show up). */
export function practiceIdsIn(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])LBP(?:-[A-Z0-9]+)+(?![\w-])/g)].map((m) => m[0]);
}

/** Whether `text` names `id` as a whole token (LBP-ERR-STREAM does not count for LBP-ERR-STREAM-RETRIES). */
export function mentions(text: string, id: string): boolean {
  return practiceIdsIn(text).includes(id);
}
