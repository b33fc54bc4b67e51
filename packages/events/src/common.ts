/** What every event builder shares: default region and account, common options, and time and ID helpers. */
import { randomBytes } from 'node:crypto';

/** Region used when a builder is not given `region`. */
export const DEFAULT_REGION = 'eu-west-1';
/** Account used when a builder is not given `accountId`. */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** Options every builder accepts. */
export interface AwsOptions {
  /** AWS region; defaults to {@link DEFAULT_REGION}. */
  region?: string;
  /** AWS account ID; defaults to {@link DEFAULT_ACCOUNT_ID}. */
  accountId?: string;
}

/** A point in time: a `Date`, an ISO string or epoch milliseconds. */
export type TimeInput = Date | string | number;

// Helpers of the builders in this folder; `events.ts` does not re-export them.
export const regionOf = (o: AwsOptions): string => o.region ?? DEFAULT_REGION;
export const accountOf = (o: AwsOptions): string => o.accountId ?? DEFAULT_ACCOUNT_ID;
export const dateOf = (time: TimeInput | undefined): Date => {
  const date = time === undefined ? new Date() : new Date(time);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not a valid time: ${String(time)}`);
  return date;
};
export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
export const toJsonText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
export const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
