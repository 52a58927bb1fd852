/** The journal fields a record is written with: each non-empty one becomes a `sys_journal_field` row in ServiceNow. */
export const JOURNAL_INPUT_FIELDS = ['comments', 'work_notes'] as const;

/**
 * Every journal field of a task record as the Table API reads it: the inputs and their combined list. Their
 * value is `""`; with display values, their whole history (see servicenow-api-facts.md §4, §10).
 */
export const JOURNAL_FIELDS: ReadonlySet<string> = new Set([...JOURNAL_INPUT_FIELDS, 'comments_and_work_notes']);
