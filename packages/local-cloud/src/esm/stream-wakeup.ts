/**
 * A wait that ends on a timeout, on a nudge from another loop, or when the mapping stops. The
 * stream mapping's loops (shard readers, lanes) sleep on these so that new records, a drained
 * buffer, `isIdle()` or `stop()` wake them at once instead of after a poll interval.
 *
 * @internal
 * @module
 */

/** Waiters woken together by {@link Wakeup.notify}; every wait also ends when `signal` aborts. */
export class Wakeup {
  private readonly waiters = new Set<() => void>();

  constructor(private readonly signal: AbortSignal) {}

  /** Resolves after `ms` (never, when omitted), on {@link notify}, or on abort; never rejects. */
  wait(ms?: number): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.waiters.delete(done);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      if (ms !== undefined) timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Wakes every current waiter. */
  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Sleeps `ms`, or less when `signal` aborts; never rejects. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Wakeup(signal).wait(ms);
}
