import type { ChangeJob } from '../queues/change-job';
import type { Enricher } from './enrichment-context';
import type { DeletedEventData, RecordEventData } from './event-data';
import { splitRow } from './row-conversion';

/** Data of a `.deleted` event: what the webhook carried; nothing is read (the record is gone). */
export function deletedData(change: ChangeJob): DeletedEventData {
  return {
    table: change.table,
    sys_id: change.sysId,
    operation: 'delete',
    sys_mod_count: change.sysModCount,
    sys_updated_on: change.sysUpdatedOn,
    record: change.record,
  };
}

/** Data from the webhook alone, for a record ServiceNow no longer returns. */
export function webhookOnlyData(change: ChangeJob): RecordEventData {
  return { ...deletedData(change), operation: change.operation, display_values: {} };
}

/** Any table: the current record with display values (kb_knowledge, customer_account, …). */
export const enrichRecord: Enricher = async (change, ctx) => {
  const row = await ctx.reader.read(change.table, change.sysId);
  if (!row) return { data: webhookOnlyData(change), modCount: Number(change.sysModCount) };
  const { record, display_values } = splitRow(row);
  const data: RecordEventData = {
    table: change.table,
    sys_id: change.sysId,
    operation: change.operation,
    sys_mod_count: record.sys_mod_count ?? change.sysModCount,
    sys_updated_on: record.sys_updated_on ?? change.sysUpdatedOn,
    record,
    display_values,
  };
  return { data, modCount: Number(data.sys_mod_count) };
};
