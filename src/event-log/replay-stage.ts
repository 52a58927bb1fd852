import type { EventRecorder } from './event-recorder';

/** An operator's replay of an event (same CloudEvent id, new delivery job) or of a dead write. */
export interface ReplayReport {
  id: string;
  instanceId: string;
  kind: 'event' | 'write';
  /** The new job (`{id}-r{n}`). */
  jobId: string;
  /** The job (or dead letter's job) it replays. */
  replayOf: string;
}

/** The replay stage: the event goes back to `queued` (whatever it was), with a `received` entry from `replay`. */
export function replayStage(recorder: EventRecorder): (report: ReplayReport) => void {
  return (r) =>
    recorder.record({
      id: r.id,
      instanceId: r.instanceId,
      mode: 'replay',
      receivedAt: Date.now(),
      status: 'queued',
      entry: { stage: 'received', at: Date.now(), source: 'replay', jobId: r.jobId, replayOf: r.replayOf },
      fields: { kind: r.kind, instance: r.instanceId },
      job: r.jobId,
    });
}
