import type { EventLog } from '../event-log/event-log';
import type { EventReplay } from './event-replay';
import type { WriteLedger } from '../writes/write-ledger';

/** What replaying from the event log did. */
export interface LoggedReplayResult {
  id: string;
  kind: 'event' | 'write';
  /** The new job: `{id}-r{n}`. */
  jobId: string;
  replayOf: string;
}

/** Replays what the event log shows, with each kind's own semantics. */
export type LoggedReplay = (id: string) => Promise<LoggedReplayResult>;

/**
 * Replay from the event log: an event goes again through the delivery replay (same CloudEvent id and
 * webhook-id, from its dead letter or its delivered job), a write through the write replay (same write id, so
 * the same client sys_id: no second record). Both are recorded in the log. Throws their 404 / 409 / 503.
 */
export function loggedReplay(deps: { eventLog: EventLog; events: Pick<EventReplay, 'replay'>; writes: Pick<WriteLedger, 'replay'> }): LoggedReplay {
  return async (id) => {
    const summary = await deps.eventLog.store.summary(id);
    if (summary?.kind === 'write') {
      const done = await deps.writes.replay(summary.instanceId, id);
      deps.eventLog.replayed({ id, instanceId: summary.instanceId, kind: 'write', jobId: done.jobId, replayOf: done.replayOf });
      return { id, kind: 'write', jobId: done.jobId, replayOf: done.replayOf };
    }
    const done = await deps.events.replay(id); // recorded by the delivery replay itself (see deliveryReplay)
    return { id: done.eventId, kind: 'event', jobId: done.jobId, replayOf: done.replayOf };
  };
}
