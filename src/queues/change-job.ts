/** Where an accepted change came from. */
export type ChangeSource = 'webhook' | 'poll' | 'backfill';

export type ChangeOperation = 'insert' | 'update' | 'delete';

/** The payload of an `ingest` job: one change of one ServiceNow record. Job name = table. */
export interface ChangeJob {
  /** The event id: BullMQ job id, CloudEvent id and outgoing `webhook-id`. No `:`. */
  eventId: string;
  instanceId: string;
  table: string;
  sysId: string;
  operation: ChangeOperation;
  /** `yyyy-MM-dd HH:mm:ss` UTC, as ServiceNow sent it. */
  sysUpdatedOn: string;
  sysModCount: string;
  /** Field values as sent (strings). */
  record: Record<string, string>;
  source: ChangeSource;
  /** Epoch ms at which snowgate accepted the change. */
  receivedAt: number;
}

/**
 * The key that makes two reports of one change the same change, whichever path (webhook, poll) saw it:
 * instance, table, record and modification count (deletes are one change per record).
 */
export function changeKey(c: Pick<ChangeJob, 'instanceId' | 'table' | 'sysId' | 'operation' | 'sysModCount'>): string {
  const version = c.operation === 'delete' ? 'deleted' : c.sysModCount;
  return `${c.instanceId}|${c.table}|${c.sysId}|${version}`;
}
