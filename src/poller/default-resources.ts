import type { PollerResource } from '../instances/instance';

const CASE = 'sn_customerservice_case';

function url(table: string, field: string, filter = ''): string {
  return `/api/now/table/${table}?sysparm_query=${filter}${field}>=\${gmtDate:yyyy-MM-dd HH:mm:ss}^ORDERBY${field}`;
}

function record(table: string, pullRecordBy: 'created' | 'updated', extra: Partial<PollerResource> = {}): PollerResource {
  return { url: url(table, pullRecordBy === 'created' ? 'sys_created_on' : 'sys_updated_on'), idField: 'sys_id', table, ...extra };
}

/** Journal entries and attachments never change once written: they are polled by creation time. */
function immutable(table: string, filter: string): PollerResource {
  return { url: url(table, 'sys_created_on', filter), idField: 'sys_id', table };
}

/**
 * The poller resources of an instance that polls without `event.poller.configuration`, by capability:
 * helpdesk → cases (with deletions), their journal entries and attachments; crm → customer_account,
 * customer_contact; content → kb_knowledge. Unknown capabilities add nothing.
 */
export function defaultPollerResources(capabilities: readonly string[], pullRecordBy: 'created' | 'updated' = 'updated'): Record<string, PollerResource> {
  const resources: Record<string, PollerResource> = {};
  if (capabilities.includes('helpdesk')) {
    resources.cases = record(CASE, pullRecordBy, { deletes: true });
    resources['case-journal'] = immutable('sys_journal_field', `name=${CASE}^`);
    resources['case-attachments'] = immutable('sys_attachment', `table_name=${CASE}^`);
  }
  if (capabilities.includes('crm')) {
    resources.accounts = record('customer_account', pullRecordBy);
    resources.contacts = record('customer_contact', pullRecordBy);
  }
  if (capabilities.includes('content')) resources.knowledge = record('kb_knowledge', pullRecordBy);
  return resources;
}
