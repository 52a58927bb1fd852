/**
 * The `data` of each CloudEvent type (schemas/events/ describes the same in JSON Schema).
 * Field values are ServiceNow's strings; `display_values` holds what a person sees where it differs
 * (choices, references, dates in the integration user's zone).
 */
export interface RecordSummary {
  sys_id: string;
  display_value: string;
  /** A few identifying fields of the referenced record (number, name, email, …). */
  fields: Record<string, string>;
}

export interface RecordEventData {
  table: string;
  sys_id: string;
  operation: 'insert' | 'update' | 'delete';
  sys_mod_count: string;
  sys_updated_on: string;
  /** Raw values of the current record. */
  record: Record<string, string>;
  /** Display values that differ from the raw value. */
  display_values: Record<string, string>;
}

export interface CaseEventData extends RecordEventData {
  number: string;
  account: RecordSummary | null;
  contact: RecordSummary | null;
}

export interface CaseSummary {
  sys_id: string;
  number: string;
  short_description: string;
  state: string;
  priority: string;
  account: string;
  contact: string;
}

export interface JournalEventData {
  table: 'sys_journal_field';
  sys_id: string;
  /** `comments` (customer-visible) or `work_notes` (internal). */
  element: 'comments' | 'work_notes';
  visibility: 'customer' | 'internal';
  value: string;
  sys_created_on: string;
  sys_created_by: string;
  parent: { table: string; sys_id: string; case: CaseSummary | null };
}

export interface AttachmentEventData {
  table: 'sys_attachment';
  sys_id: string;
  operation: 'insert' | 'delete';
  file_name: string;
  content_type: string;
  size_bytes: string;
  /** SHA-256 hex of the content, or null when the content was over the cap or not readable. */
  sha256: string | null;
  content_truncated: boolean;
  /** Where a consumer downloads the bytes (ServiceNow's Attachment API; needs ServiceNow credentials). */
  download: { url: string; method: 'GET' };
  parent: { table: string; sys_id: string };
}

export interface DeletedEventData {
  table: string;
  sys_id: string;
  operation: 'delete';
  sys_mod_count: string;
  sys_updated_on: string;
  /** What the webhook carried about the record at deletion. */
  record: Record<string, string>;
}
