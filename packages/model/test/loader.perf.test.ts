/**
 * How long loading and validating the example spec takes. The goal is "well under 100 ms" per spec;
 * the machine running the tests is shared and noisy, so the median is logged and only a generous
 * sanity bound is asserted.
 */
import { ORDERS, ORDERS_FILE as FILE } from '@kiro-serverless/fixtures';
import { describe, expect, it } from 'vitest';
import { checkSpecText } from '../src/check.js';

const WARM_UP_RUNS = 20;
const MEASURED_RUNS = 200;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

describe('spec loader performance', () => {
  it('loads and validates the example in well under 100 ms (median of 200 runs)', () => {
    // Arrange: read once, so that the runs time the loader and not the disk
    const text = ORDERS;
    for (let i = 0; i < WARM_UP_RUNS; i++) checkSpecText(text, FILE);

    // Act
    const times: number[] = [];
    for (let i = 0; i < MEASURED_RUNS; i++) {
      const start = performance.now();
      const result = checkSpecText(text, FILE);
      times.push(performance.now() - start);
      if (result.model === undefined) throw new Error(`the example did not load: ${JSON.stringify(result.findings[0])}`);
    }

    // Assert
    const ms = median(times);
    console.log(`spec loader: median ${ms.toFixed(2)} ms per load+validate of ${FILE} (${MEASURED_RUNS} runs after ${WARM_UP_RUNS} warm-up; min ${Math.min(...times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms)`);
    expect(ms).toBeLessThan(100);
  });
});
