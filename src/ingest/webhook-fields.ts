/**
 * The record fields a business rule sends for each core table (strings via getValue), and that the
 * simulator sends when it plays ServiceNow. Minimal on purpose: enrichment reads the rest.
 */
export const WEBHOOK_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  sn_customerservice_case: ['number', 'short_description', 'state', 'priority', 'account', 'contact', 'assigned_to', 'active'],
  sys_journal_field: ['element', 'element_id', 'name', 'value', 'sys_created_by'],
  sys_attachment: ['table_name', 'table_sys_id', 'file_name', 'content_type', 'size_bytes'],
});

/** Fields sent for a table with no list of its own (e.g. kb_knowledge). */
export const GENERIC_WEBHOOK_FIELDS: readonly string[] = ['number', 'short_description'];

/** The deterministic webhook-id of one change: `{sys_id}-{sys_mod_count}`, or `{sys_id}-deleted` (never a `:`). */
export function webhookIdFor(sysId: string, operation: string, sysModCount: string): string {
  return operation === 'delete' ? `${sysId}-deleted` : `${sysId}-${sysModCount}`;
}
