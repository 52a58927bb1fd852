import { authorName, JOURNAL_LABELS } from './journal-history';
import type { GlideRecord } from './record-store';
import type { SimulatorState } from './simulator-state';

const TABLE = 'sn_customerservice_case';

/** The journal fields the case activity stream shows, with the colours of the documented example. */
const JOURNAL_FIELDS = [
  { can_read: true, color: 'transparent', can_write: true, name: 'comments', label: JOURNAL_LABELS.comments },
  { can_read: true, color: 'gold', can_write: true, name: 'work_notes', label: JOURNAL_LABELS.work_notes },
];

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).map((w) => w[0]!.toUpperCase()).slice(0, 2).join('');
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Who wrote an entry: the user's sys_id and full name (a customer contact's when not a sys_user). */
function author(state: SimulatorState, userName: string): { user_sys_id: string; name: string; login_name: string; initials: string } {
  const name = authorName(state.store, userName);
  const sysId = state.store.rowsWhere('sys_user', 'user_name', userName)[0]?.sys_id ?? state.store.rowsWhere('customer_contact', 'user_name', userName)[0]?.sys_id ?? '';
  return { user_sys_id: sysId, name, login_name: name, initials: initials(name) };
}

function attachmentEntry(state: SimulatorState, a: GlideRecord): Record<string, unknown> {
  const image = a.content_type.startsWith('image/');
  const link = `sys_attachment.do?sys_id=${a.sys_id}`;
  return {
    sys_created_on: a.sys_created_on, sys_created_on_adjusted: a.sys_created_on, sys_id: a.sys_id, ...author(state, a.sys_created_by),
    contains_code: 'false', field_label: 'Attachment', value: a.file_name, element: 'attachment',
    attachment: {
      sys_id: a.sys_id, file_name: a.file_name, content_type: a.content_type, size_bytes: Number(a.size_bytes), size: humanSize(Number(a.size_bytes)),
      state: 'Available', path: link, average_image_color: a.average_image_color,
      ...(image ? { image_width: Number(a.image_width), image_height: Number(a.image_height), image_path: link, thumbnail_path: `${link}&view=true` } : {}),
    },
  };
}

/**
 * A case's activity stream as `GET /case/{id}/activities` answers it: the case's header fields, the
 * caller, the journal fields, and the entries (comments, work notes, attachments) newest first.
 * Times are GMT, and "adjusted" times are the same (the sandbox users' time zone is GMT).
 */
export function caseActivities(state: SimulatorState, record: GlideRecord, userName: string): Record<string, unknown> & { entries: Array<Record<string, unknown>> } {
  const journal = state.store.rowsWhere('sys_journal_field', 'element_id', record.sys_id)
    .filter((j) => j.name === TABLE && (j.element === 'comments' || j.element === 'work_notes'))
    .map((j) => ({
      sys_created_on_adjusted: j.sys_created_on, sys_id: j.sys_id, ...author(state, j.sys_created_by), sys_created_on: j.sys_created_on,
      contains_code: 'false', field_label: JOURNAL_LABELS[j.element], value: j.value, element: j.element,
    }));
  const attachments = state.store.rowsWhere('sys_attachment', 'table_sys_id', record.sys_id)
    .filter((a) => a.table_name === TABLE)
    .map((a) => attachmentEntry(state, a));
  const entries = [...journal, ...attachments].reverse().sort((a, b) => String(b.sys_created_on).localeCompare(String(a.sys_created_on)));
  const caller = state.store.rowsWhere('sys_user', 'user_name', userName)[0];
  return {
    display_value: record.number, sys_id: record.sys_id, short_description: record.short_description, number: record.number, entries,
    user_sys_id: caller?.sys_id ?? '', user_full_name: caller?.name ?? userName, user_login: userName, label: 'Case', table: TABLE,
    journal_fields: JOURNAL_FIELDS, sys_created_on: record.sys_created_on, sys_created_on_adjusted: record.sys_created_on,
  };
}
