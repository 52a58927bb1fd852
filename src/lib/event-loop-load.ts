import { performance } from 'node:perf_hooks';

export interface EventLoopLoad {
  /** Whether the event loop was busier than the threshold over the last interval. */
  busy(): boolean;
  stop(): void;
}

/**
 * Watches this process's event-loop utilization (the share of time it was not waiting for I/O), sampled
 * every `intervalMs`: `busy()` tells whether the last interval was above `threshold` (0–1). Cheap enough to
 * ask on every request; the timer does not keep the process alive.
 */
export function watchEventLoopLoad(threshold = 0.8, intervalMs = 250): EventLoopLoad {
  let last = performance.eventLoopUtilization();
  let busy = false;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    busy = performance.eventLoopUtilization(now, last).utilization > threshold;
    last = now;
  }, intervalMs);
  timer.unref();
  return { busy: () => busy, stop: () => clearInterval(timer) };
}
