import { describe, expect, it } from 'vitest';
import { testCounts } from '../src/loop.js';

describe('testCounts (vitest summary of a timed command)', () => {
  it.each([
    ['a passing run', ' Test Files  78 passed (78)\n      Tests  1444 passed (1444)\n', { tests: 1444, failed: 0, files: 78 }],
    ['a run with failures and skips', ' Test Files  1 failed | 84 passed (85)\n      Tests  4 failed | 1486 passed | 2 skipped (1492)\n', { tests: 1492, failed: 4, files: 85 }],
    ['the last of several runs', 'Test Files  1 passed (1)\nTests  8 passed (8)\n...\nTest Files  2 passed (2)\nTests  41 passed (41)\n', { tests: 41, failed: 0, files: 2 }],
  ])('reads %s', (_what, output, counts) => {
    expect(testCounts(output)).toEqual(counts);
  });

  it('finds nothing in output without a summary', () => {
    expect(testCounts('lint:changed: 1 changed file(s) linted, no error.')).toBeUndefined();
  });
});
