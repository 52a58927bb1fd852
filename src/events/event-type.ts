import type { ChangeJob } from '../queues/change-job';

/** The namespace every snowgate event type starts with. */
export const EVENT_TYPE_PREFIX = 'com.servicenow';

const VERB = { insert: 'created', update: 'updated', delete: 'deleted' } as const;

/** Journal elements that have their own event noun; any other element falls back to the table name. */
const JOURNAL_NOUN: Record<string, string> = { comments: 'comment', work_notes: 'work_note' };

/**
 * The CloudEvent `type` of a change (CONTRACT §4): `com.servicenow.case.created`, `….comment.created`,
 * `….work_note.created` (journal entries, by `element`), `….attachment.created|deleted`, and
 * `com.servicenow.{table}.{created|updated|deleted}` for every other table.
 */
export function eventTypeOf(change: Pick<ChangeJob, 'table' | 'operation' | 'record'>): string {
  return `${EVENT_TYPE_PREFIX}.${nounOf(change)}.${VERB[change.operation]}`;
}

function nounOf(change: Pick<ChangeJob, 'table' | 'record'>): string {
  switch (change.table) {
    case 'sn_customerservice_case':
      return 'case';
    case 'sys_attachment':
      return 'attachment';
    case 'sys_journal_field':
      return JOURNAL_NOUN[change.record.element ?? ''] ?? change.table;
    default:
      return change.table;
  }
}
