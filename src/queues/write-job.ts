/** What a write does to one ServiceNow record. */
export interface WriteRequest {
  table: string;
  operation: 'insert' | 'update';
  /** The record to update (or `number`, looked up first). */
  sysId?: string;
  number?: string;
  /** The fields to write, as ServiceNow takes them. */
  fields: Record<string, unknown>;
  /** Send `sysparm_input_display_value=true`. */
  inputDisplayValue?: boolean;
}

/** Where a write came from: an action (by name) or a direct write. */
export type WriteOrigin = { kind: 'action'; action: string } | { kind: 'direct' };

/** One attempt at a write, as kept in its job and its dead letter. */
export interface WriteAttempt {
  attempt: number;
  /** When it started, RFC 3339. */
  at: string;
  /** `succeeded`, `found` (an earlier attempt had committed it), `retryable` or `rejected`. */
  outcome: 'succeeded' | 'found' | 'retryable' | 'rejected';
  /** ServiceNow's HTTP status (absent when it did not answer). */
  status?: number;
  error?: string;
  durationMs: number;
  retryInMs?: number;
}

/** ServiceNow's answer to a successful write. */
export interface WriteResult {
  sys_id: string;
  number?: string;
  sys_mod_count?: string;
}

/** The payload of a `write` job. Job id = write id (`{writeId}-r{n}` for replay n); job name = table. */
export interface WriteJob {
  /** No `:`; stays the same across retries and replays. */
  writeId: string;
  instanceId: string;
  request: WriteRequest;
  origin: WriteOrigin;
  /** Epoch ms at which snowgate accepted it. */
  acceptedAt: number;
  attempts: WriteAttempt[];
  /** The job this one replays. */
  replayOf?: string;
}

/**
 * The sys_id snowgate chooses for a record it inserts: the write id's 32 hex digits. Chosen on the client,
 * it lets a retry find the record an earlier attempt committed before its answer was lost.
 */
export function clientSysId(writeId: string): string {
  return writeId.replace(/-/g, '').toLowerCase().slice(0, 32);
}

/** Task tables: they have `correlation_id` ("unique identifier for content pulled from an external system"). */
export const TASK_TABLES: ReadonlySet<string> = new Set(['task', 'incident', 'problem', 'change_request', 'sn_customerservice_case', 'sc_request', 'sc_req_item', 'sc_task']);

/**
 * The fields of an insert as sent: a client-chosen `sys_id` (from the write id, unless the fields choose one)
 * and, on task tables, `correlation_id` = the write id unless the fields set one — so whichever the instance
 * honours, a retry can find the record an earlier attempt committed.
 */
export function insertFields(job: Pick<WriteJob, 'writeId' | 'request'>): Record<string, unknown> {
  const fields = { ...job.request.fields };
  if (typeof fields.sys_id !== 'string' || !/^[0-9a-f]{32}$/.test(fields.sys_id)) fields.sys_id = clientSysId(job.writeId);
  if (TASK_TABLES.has(job.request.table) && (fields.correlation_id === undefined || fields.correlation_id === '')) fields.correlation_id = job.writeId;
  return fields;
}

