import type { EnrichmentTrace } from '../enrichment/enrichment-trace';
import { eventJson } from '../events/event-json';
import { eventTypeOf } from '../events/event-type';
import type { SnowgateEvent } from '../events/to-cloud-event';
import type { EnqueueObserver } from '../ingest/change-enqueuer';
import type { ChangeJob } from '../queues/change-job';
import type { IngestObserver } from '../workers/ingest-observer';
import { EnrichmentLog } from './enrichment-log';
import type { EventRecorder, LogWrite } from './event-recorder';

/** The record a journal entry or an attachment belongs to: found by its sys_id too. */
function parentOf(change: ChangeJob): string | undefined {
  if (change.table === 'sys_journal_field') return change.record.element_id;
  if (change.table === 'sys_attachment') return change.record.table_sys_id;
  return undefined;
}

/**
 * What a change is about, for the list: a case's short description, a journal entry's text, a file name — cut
 * at 60 characters, so the summary hash keeps Redis's compact encoding (values up to 64 bytes).
 */
function titleOf(change: ChangeJob): string | undefined {
  const { record } = change;
  const text = record.short_description || record.value || record.file_name;
  return text ? text.slice(0, 60) : undefined;
}

/** The number and parent number the enriched data carries (a journal entry's case), for search. */
function numbersOf(data: unknown): { number?: string; parentNumber?: string } {
  const d = (data ?? {}) as { number?: unknown; record?: { number?: unknown }; parent?: { case?: { number?: unknown } | null } };
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { number: text(d.number) ?? text(d.record?.number), parentNumber: text(d.parent?.case?.number) };
}

/**
 * The stages of a change, as the accept path and the ingest worker report them: received (or a duplicate of
 * an event already logged, and from where), enriched (the ServiceNow calls and cache hits, and the event body,
 * stored once), skipped or failed.
 */
export function changeStages(recorder: EventRecorder): EnqueueObserver & IngestObserver {
  const stage = (change: ChangeJob, write: () => Omit<LogWrite, 'id' | 'instanceId' | 'receivedAt' | 'mode'>) =>
    recorder.record(() => ({ id: change.eventId, instanceId: change.instanceId, receivedAt: change.receivedAt, mode: 'stage', ...write() }));
  return {
    accepted(change, requestId) {
      recorder.record(() => ({
        id: change.eventId,
        instanceId: change.instanceId,
        mode: 'new',
        receivedAt: change.receivedAt,
        status: 'queued',
        entry: { stage: 'received', at: change.receivedAt, source: change.source, requestId, operation: change.operation, sysModCount: change.sysModCount },
        fields: { kind: 'event', instance: change.instanceId, table: change.table, sysId: change.sysId, number: change.record.number, title: titleOf(change), type: eventTypeOf(change), operation: change.operation, source: change.source, receivedAt: change.receivedAt },
        terms: [change.sysId, change.record.number, parentOf(change)],
      }));
    },
    duplicate(change, ownerId, requestId) {
      recorder.record({ id: ownerId, instanceId: change.instanceId, mode: 'dup', receivedAt: change.receivedAt, count: 'duplicates', entry: { stage: 'duplicate', at: Date.now(), source: change.source, requestId } });
    },
    traceOf: () => new EnrichmentLog(),
    enriched(change: ChangeJob, event: SnowgateEvent, trace: EnrichmentTrace) {
      stage(change, () => {
        const { number, parentNumber } = numbersOf(event.data);
        const found = number !== change.record.number ? number : undefined;
        const writeId = (event as unknown as { snowgatewrite?: string }).snowgatewrite;
        return { body: eventJson(event), entry: (trace as EnrichmentLog).entry(), fields: { number: found, writeId }, terms: [found, parentNumber] };
      });
    },
    skipped(change, reason, writeId) {
      stage(change, () => ({ status: 'skipped', reason, entry: { stage: 'skipped', at: Date.now(), reason, ...(writeId ? { writeId } : {}) }, fields: { writeId } }));
    },
    failed(change, error, attempt, retrying) {
      stage(change, () => ({
        status: retrying ? 'retrying' : 'failed',
        reason: retrying ? undefined : (error as { code?: string })?.code ?? 'enrichment_failed',
        entry: { stage: 'enrichment_failed', at: Date.now(), error: String(error?.message ?? error), attempt, retrying },
      }));
    },
  };
}
