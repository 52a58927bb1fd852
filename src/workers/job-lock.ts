/**
 * The job lock of every worker by default (SNOWGATE_JOB_LOCK_MS): 5 s, renewed every 2.5 s while the job runs.
 * A job whose worker died is running again once its lock lapsed and a stalled-job check saw it: at most
 * lock + check interval, 7.5 s (measured: see README › Running and scaling).
 */
export const DEFAULT_JOB_LOCK_MS = 5000;

/**
 * BullMQ's lock options for a job lock: the lock, and a stalled-job check every half of it (at most 30 s) — a
 * check moves only a job that was active at the check before and whose lock is gone, so a live job is never
 * taken from its worker by it.
 */
export function lockOptions(lockMs = DEFAULT_JOB_LOCK_MS): { lockDuration: number; stalledInterval: number } {
  return { lockDuration: lockMs, stalledInterval: Math.min(Math.round(lockMs / 2), 30_000) };
}
