import { AppError } from '../lib/errors';
import { insertFields, TASK_TABLES, type WriteJob, type WriteResult } from '../queues/write-job';
import type { TableWriter } from '../servicenow/table-writer';
import type { ServiceNowRecord } from '../servicenow/table-query';
import { JOURNAL_INPUT_FIELDS } from '../servicenow/journal-fields';
import type { EchoRecords } from '../writes/echo-records';

/** What one attempt achieved: written now, or found already committed by an earlier attempt. */
export interface WriteAttemptResult {
  outcome: 'succeeded' | 'found';
  result: WriteResult;
  status?: number;
}

const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

function resultOf(record: ServiceNowRecord, sysId: string): WriteResult {
  return { sys_id: text(record.sys_id) || sysId, ...(text(record.number) ? { number: text(record.number) } : {}), ...(text(record.sys_mod_count) ? { sys_mod_count: text(record.sys_mod_count) } : {}) };
}

/** The record an earlier attempt of this insert committed, if any: by its sys_id, else by its correlation_id. */
async function committedInsert(writer: TableWriter, table: string, fields: Record<string, unknown>): Promise<ServiceNowRecord | undefined> {
  const bySysId = await writer.find(table, String(fields.sys_id));
  if (bySysId) return bySysId;
  const correlation = fields.correlation_id;
  return TASK_TABLES.has(table) && typeof correlation === 'string' && correlation ? writer.findBy(table, 'correlation_id', correlation) : undefined;
}

/**
 * Whether an earlier attempt of this update already added its journal entries (a comment or work note sent
 * twice would show twice): the record's latest entries of that element carry the same text.
 */
async function journalCommitted(writer: TableWriter, sysId: string, fields: Record<string, unknown>): Promise<boolean> {
  const entries = JOURNAL_INPUT_FIELDS.flatMap((element) => (typeof fields[element] === 'string' && String(fields[element]).trim() ? [[element, String(fields[element]).trim()] as const] : []));
  if (entries.length === 0) return false;
  for (const [element, value] of entries) {
    const rows = await writer.list('sys_journal_field', `element_id=${sysId}^element=${element}^ORDERBYDESCsys_created_on`, 'element_id,element,value', 20);
    if (!rows.some((row) => row.element_id === sysId && row.element === element && String(row.value ?? '').trim() === value)) return false;
  }
  return true;
}

async function targetSysId(writer: TableWriter, job: WriteJob): Promise<string> {
  const { request } = job;
  if (request.sysId) return request.sysId;
  const found = request.number ? await writer.findBy(request.table, 'number', request.number) : undefined;
  const sysId = text(found?.sys_id);
  if (!sysId) throw new AppError('record_not_found', `No ${request.table} record with number ${request.number}`, 404, { retryable: false });
  return sysId;
}

/**
 * One attempt at a write. An insert that may have been committed before (an earlier attempt failed without
 * a clear "no", its worker died, or it is a replay) first looks for the record that attempt would have made,
 * so a retried insert never creates a second record even when ServiceNow committed the first and its answer
 * was lost; an update adding a comment or work note first looks for that entry. The echo of the write is recorded around the call (see EchoRecords).
 */
export async function attemptWrite(writer: TableWriter, echo: EchoRecords, job: WriteJob, maybeCommitted: boolean): Promise<WriteAttemptResult> {
  const { request, instanceId, writeId } = job;
  const insert = request.operation === 'insert';
  const fields = insert ? insertFields(job) : request.fields;
  const sysId = insert ? String(fields.sys_id) : await targetSysId(writer, job);
  if (insert && maybeCommitted) {
    const found = await committedInsert(writer, request.table, fields);
    if (found) return { outcome: 'found', result: resultOf(found, sysId) };
  }
  if (!insert && maybeCommitted && (await journalCommitted(writer, sysId, fields))) {
    const found = await writer.find(request.table, sysId);
    if (found) return { outcome: 'found', result: resultOf(found, sysId) };
  }
  await echo.expect(instanceId, request.table, sysId, fields, writeId, 40_000);
  let answer;
  try {
    answer = await writer.write({ table: request.table, operation: request.operation, sysId, fields, inputDisplayValue: request.inputDisplayValue });
  } catch (err) {
    await echo.settle(instanceId, request.table, sysId).catch(() => undefined);
    throw err;
  }
  const result = resultOf(answer.record, sysId);
  // the write went through: a lost echo record only costs the snowgatewrite tag, a retry would write again
  await echo.record(instanceId, request.table, result.sys_id, result.sys_mod_count, writeId).catch(() => undefined);
  return { outcome: 'succeeded', result, status: answer.status };
}
