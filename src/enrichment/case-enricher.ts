import type { Enricher } from './enrichment-context';
import type { CaseEventData, CaseSummary } from './event-data';
import type { ServiceNowRow } from './enrichment-api';
import { displayValue, fieldValue } from './record-reader';
import { splitRow, summarize } from './row-conversion';
import { webhookOnlyData } from './record-enricher';

/** A case in a few fields, with references shown as a person sees them. */
export function caseSummary(row: ServiceNowRow | undefined): CaseSummary | null {
  if (!row) return null;
  return {
    sys_id: fieldValue(row.sys_id),
    number: fieldValue(row.number),
    short_description: fieldValue(row.short_description),
    state: displayValue(row.state),
    priority: displayValue(row.priority),
    account: displayValue(row.account),
    contact: displayValue(row.contact),
  };
}

/** Case: the current record with display values, plus account and contact summaries. */
export const enrichCase: Enricher = async (change, ctx) => {
  ctx.summaries.forget(change.table, change.sysId);
  const row = await ctx.reader.read(change.table, change.sysId);
  if (!row) {
    const base = webhookOnlyData(change);
    const data: CaseEventData = { ...base, number: change.record.number ?? '', account: null, contact: null };
    return { data, modCount: Number(change.sysModCount) };
  }
  const { record, display_values } = splitRow(row);
  const [account, contact] = await Promise.all([
    ctx.summaries.get('customer_account', record.account ?? ''),
    ctx.summaries.get('customer_contact', record.contact ?? ''),
  ]);
  const data: CaseEventData = {
    table: change.table,
    sys_id: change.sysId,
    operation: change.operation,
    number: record.number ?? '',
    sys_mod_count: record.sys_mod_count ?? change.sysModCount,
    sys_updated_on: record.sys_updated_on ?? change.sysUpdatedOn,
    record,
    display_values,
    account: summarize(account, ['number', 'name'], 'name'),
    contact: summarize(contact, ['name', 'email', 'phone'], 'name'),
  };
  return { data, modCount: Number(data.sys_mod_count) };
};
