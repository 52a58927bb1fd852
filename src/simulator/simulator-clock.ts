/**
 * The simulator's notion of "now": real time by default; a test may freeze it or move it, so two
 * updates in the same second or an expired token are testable without waiting.
 */
export interface SimulatorClock {
  /** The current simulated time. */
  now(): Date;
  /** Freezes the clock at `date` (a Date, an ISO string or a `yyyy-MM-dd HH:mm:ss` UTC string). */
  set(date: Date | string): void;
  /** Moves the clock forward by `ms` (frozen or not). */
  advance(ms: number): void;
  /** Back to real time, with no offset. */
  useRealTime(): void;
}

/** Creates a clock running on real time. */
export function createClock(): SimulatorClock {
  let frozen: number | null = null;
  let offset = 0;
  return {
    now: () => new Date(frozen ?? Date.now() + offset),
    set(date) {
      const d = typeof date === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(date) ? new Date(date.replace(' ', 'T') + 'Z') : new Date(date);
      if (Number.isNaN(d.getTime())) throw new Error(`invalid clock date: ${String(date)}`);
      frozen = d.getTime();
    },
    advance(ms) {
      if (frozen !== null) frozen += ms;
      else offset += ms;
    },
    useRealTime() {
      frozen = null;
      offset = 0;
    },
  };
}
