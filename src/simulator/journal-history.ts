import type { GlideRecord } from './glide-values';
import type { RecordStore } from './record-store';

const LABELS: Readonly<Record<string, string>> = { comments: 'Additional comments', work_notes: 'Work notes' };

/** The name a journal header shows for a user_name: the sys_user's (or customer contact's) name, else the user_name. */
function authorName(store: RecordStore, userName: string): string {
  const person = store.rowsWhere('sys_user', 'user_name', userName)[0] ?? store.rowsWhere('customer_contact', 'user_name', userName)[0];
  return person?.name || userName;
}

/**
 * What a journal field (`comments`, `work_notes`, `comments_and_work_notes`) shows with
 * `sysparm_display_value=true`: every entry of the record, newest first, each
 * `"yyyy-MM-dd HH:mm:ss - <name> (Additional comments|Work notes)\n<text>\n\n"`. Times are UTC
 * (the sandbox users' time zone is GMT).
 */
export function journalHistory(store: RecordStore, table: string, record: GlideRecord, column: string): string {
  const elements = column === 'comments_and_work_notes' ? ['comments', 'work_notes'] : [column];
  const entries = store.rowsWhere('sys_journal_field', 'element_id', record.sys_id)
    .filter((j) => j.name === table && elements.includes(j.element))
    .reverse()
    .sort((a, b) => b.sys_created_on.localeCompare(a.sys_created_on));
  return entries.map((j) => `${j.sys_created_on} - ${authorName(store, j.sys_created_by)} (${LABELS[j.element] ?? j.element})\n${j.value}\n\n`).join('');
}
