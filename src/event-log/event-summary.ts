import type { EntrySource, EventStatus, EventSummary } from './event-entry';

const iso = (ms: string | undefined) => new Date(Number(ms ?? 0)).toISOString();

/** An event's summary from its meta hash; undefined when the event is not (or no longer) in the log. */
export function summaryOf(id: string, meta: Record<string, string> | null | undefined): EventSummary | undefined {
  if (!meta?.instance) return undefined;
  return {
    id,
    kind: meta.kind === 'write' ? 'write' : 'event',
    instanceId: meta.instance,
    table: meta.table ?? '',
    ...(meta.sysId ? { sysId: meta.sysId } : {}),
    ...(meta.number ? { number: meta.number } : {}),
    ...(meta.title ? { title: meta.title } : {}),
    type: meta.type ?? '',
    ...(meta.operation ? { operation: meta.operation } : {}),
    source: (meta.source ?? 'webhook') as EntrySource,
    status: (meta.status ?? 'queued') as EventStatus,
    ...(meta.reason ? { reason: meta.reason } : {}),
    attempts: Number(meta.attempts ?? 0),
    duplicates: Number(meta.duplicates ?? 0),
    ...(meta.writeId ? { writeId: meta.writeId } : {}),
    receivedAt: iso(meta.receivedAt),
    updatedAt: iso(meta.updatedAt),
  };
}
