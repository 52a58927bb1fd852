import type { AttemptExchange } from '../events/delivery-outcome';
import type { AttemptReport, DeadLetterEntry, DeliveryHooks } from '../events/delivery-record';
import type { EventStatus, ExchangeEntry } from './event-entry';
import type { EventRecorder } from './event-recorder';

/** The status an attempt leaves its event in: delivered, retrying; undefined when a dead letter or a hold follows. */
function statusAfter(report: AttemptReport): EventStatus | undefined {
  if (report.kind === 'delivered') return 'delivered';
  return report.retryInMs !== undefined ? 'retrying' : undefined;
}

/** What a dead letter says about its event, so that an event the log never saw (or dropped) is found again. */
function deadLetterFields(entry: DeadLetterEntry): Record<string, string | undefined> {
  const e = entry.event as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { kind: 'event', instance: entry.instanceId, type: text(e.type), sysId: text(e.subject), table: text(e.source)?.split('/').pop() };
}

/**
 * The delivery stages, as delivery hooks: every attempt (inline or queued, with its exchange: request headers
 * with the signature redacted, the answer's headers and first 2 KB), breaker holds and dead letters. A
 * delivered or retrying attempt sets the final state in the same write.
 */
export function deliveryStages(recorder: EventRecorder): DeliveryHooks {
  return {
    onAttempt(report) {
      recorder.record(() => {
        const { sentBody, ...exchange } = report.exchange ?? ({} as Partial<AttemptExchange>);
        return {
          id: report.eventId,
          instanceId: report.instanceId,
          mode: 'stage',
          receivedAt: 0,
          status: statusAfter(report),
          count: 'attempts',
          job: report.jobId,
          body: sentBody,
          entry: {
            stage: 'attempt',
            at: (report.at && Date.parse(report.at)) || Date.now(),
            attempt: report.attempt,
            ...(report.jobId ? { jobId: report.jobId } : {}),
            ...(report.inline ? { inline: true } : {}),
            ...(report.probe ? { probe: true } : {}),
            outcome: report.kind,
            ...(report.status !== undefined ? { status: report.status } : {}),
            ms: report.durationMs,
            ...(report.error ? { error: report.error } : {}),
            ...(report.retryInMs !== undefined ? { retryInMs: report.retryInMs } : {}),
            ...(report.exchange ? { exchange: exchange as ExchangeEntry } : {}),
          },
        };
      });
    },
    onHeld(report) {
      recorder.record({ id: report.eventId, instanceId: report.instanceId, mode: 'stage', receivedAt: 0, status: 'held', entry: { stage: 'held', at: Date.now(), jobId: report.jobId, recheckInMs: report.recheckInMs } });
    },
    onDeadLettered(entry) {
      recorder.record(() => ({
        id: String(entry.event.id),
        instanceId: entry.instanceId,
        mode: 'new',
        receivedAt: Date.parse(String(entry.event.snowgatereceivedat)) || entry.deadLetteredAt,
        status: 'dead_lettered',
        reason: entry.reason,
        entry: { stage: 'dead_lettered', at: entry.deadLetteredAt, reason: entry.reason, message: entry.message },
        fields: deadLetterFields(entry),
        job: entry.deliveryJobId,
      }));
    },
  };
}
