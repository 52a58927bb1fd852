import type { Enricher } from './enrichment-context';
import type { JournalEventData } from './event-data';
import { caseSummary } from './case-enricher';
import { displayValue, fieldValue } from './record-reader';

/**
 * Journal entry: the entry (comments vs work notes) plus the parent case summary. Entries never change,
 * so the webhook's fields are used as they are when complete; the entry is read only when they are not
 * (a poll, or a body without the text or the author — business rules generated before the author was sent).
 */
export const enrichJournal: Enricher = async (change, ctx) => {
  let entry: Record<string, string> = change.record;
  if (entry.value === undefined || !entry.element_id || !entry.sys_created_by) {
    const row = await ctx.reader.read('sys_journal_field', change.sysId);
    if (row) entry = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, fieldValue(v)]));
  }
  const parentTable = entry.name || 'sn_customerservice_case';
  const parentRow = parentTable === 'sn_customerservice_case' ? await ctx.summaries.get(parentTable, entry.element_id ?? '') : undefined;
  const element = entry.element === 'work_notes' ? 'work_notes' : 'comments';
  const data: JournalEventData = {
    table: 'sys_journal_field',
    sys_id: change.sysId,
    element,
    visibility: element === 'comments' ? 'customer' : 'internal',
    value: entry.value ?? '',
    sys_created_on: entry.sys_created_on || change.sysUpdatedOn,
    sys_created_by: entry.sys_created_by ? displayValue(entry.sys_created_by) : '',
    parent: { table: parentTable, sys_id: entry.element_id ?? '', case: caseSummary(parentRow) },
  };
  return { data, modCount: Number(change.sysModCount) };
};
