import { redact } from '../lib/logger';
import type { WriteJob } from '../queues/write-job';
import type { WriteEnqueueObserver } from '../writes/write-enqueuer';
import type { WriteHooks } from '../writes/write-record';
import type { EventRecorder } from './event-recorder';

type AcceptedWrite = Omit<WriteJob, 'attempts'>;

/**
 * The stages of a write into ServiceNow, in the same log as events (kind `write`, type `write.insert` /
 * `write.update`): accepted (its request stored once, secret-looking fields redacted), each attempt with
 * ServiceNow's status, latency and answer, and its dead letter.
 */
export function writeStages(recorder: EventRecorder): WriteEnqueueObserver & WriteHooks {
  return {
    accepted(job: AcceptedWrite) {
      recorder.record(() => ({
        id: job.writeId,
        instanceId: job.instanceId,
        mode: 'new',
        receivedAt: job.acceptedAt,
        status: 'queued',
        body: JSON.stringify(redact(job.request)),
        entry: { stage: 'received', at: job.acceptedAt, source: job.origin.kind, operation: job.request.operation, ...(job.origin.kind === 'action' ? { action: job.origin.action } : {}) },
        fields: { kind: 'write', instance: job.instanceId, table: job.request.table, sysId: job.request.sysId, number: job.request.number, type: `write.${job.request.operation}`, operation: job.request.operation, source: job.origin.kind, receivedAt: job.acceptedAt },
        terms: [job.request.sysId, job.request.number],
      }));
    },
    duplicate(job: AcceptedWrite, ownerId: string) {
      recorder.record({ id: ownerId, instanceId: job.instanceId, mode: 'dup', receivedAt: job.acceptedAt, count: 'duplicates', entry: { stage: 'duplicate', at: Date.now(), source: job.origin.kind } });
    },
    onAttempt(r) {
      recorder.record(() => {
        const succeeded = r.outcome === 'succeeded' || r.outcome === 'found';
        return {
          id: r.writeId,
          instanceId: r.instanceId,
          mode: 'stage',
          receivedAt: Date.parse(r.at) || Date.now(),
          status: succeeded ? 'succeeded' : r.retryInMs !== undefined ? 'retrying' : undefined,
          count: 'attempts',
          job: r.jobId,
          entry: {
            stage: 'attempt', at: Date.parse(r.at) || Date.now(), attempt: r.attempt, ...(r.jobId ? { jobId: r.jobId } : {}), outcome: r.outcome, ms: r.durationMs,
            ...(r.status !== undefined ? { status: r.status } : {}), ...(r.error ? { error: r.error } : {}), ...(r.retryInMs !== undefined ? { retryInMs: r.retryInMs } : {}),
            ...(r.result ? { result: { ...r.result } } : {}),
          },
          fields: { sysId: r.result?.sys_id, number: r.result?.number },
          terms: [r.result?.sys_id, r.result?.number],
        };
      });
    },
    onDeadLettered(entry) {
      recorder.record(() => {
        const message = [entry.error.message, entry.error.serviceNowMessage, entry.error.detail].filter(Boolean).join(' — ');
        return { id: entry.writeId, instanceId: entry.instanceId, mode: 'stage', receivedAt: entry.job.acceptedAt, status: 'dead_lettered', reason: entry.reason, entry: { stage: 'dead_lettered', at: entry.deadLetteredAt, reason: entry.reason, message }, job: entry.jobId };
      });
    },
  };
}
