/** Number formatting for the table. */
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
export const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
export const us = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} µs`;
export const seconds = (millis: number): string => `${(millis / 1000).toFixed(millis < 10_000 ? 2 : 1)} s`;
export const times = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}x`);
