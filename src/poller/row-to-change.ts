import crypto from 'node:crypto';
import type { ChangeJob, ChangeSource } from '../queues/change-job';
import type { ServiceNowRecord } from '../servicenow/table-query';
import { formatDate, GLIDE_DATE_FORMAT, parseDate } from './date-format';
import type { DateField, PollSpec } from './poll-spec';

/** A row's values as strings: references and `display_value=all` pairs give their stored value. */
export function stringValues(row: ServiceNowRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) out[key] = '';
    else if (typeof value === 'object') {
      const v = (value as { value?: unknown; display_value?: unknown }).value ?? (value as { display_value?: unknown }).display_value;
      out[key] = v === undefined || v === null ? '' : String(v);
    } else out[key] = String(value);
  }
  return out;
}

/** The instant of a row's watermark field, read with the spec's format and zone; undefined when absent or unreadable. */
export function rowTimestamp(spec: PollSpec, record: Record<string, string>): number | undefined {
  const text = record[spec.watermarkField];
  if (!text) return undefined;
  return (parseDate(text, spec.dateFormat, spec.timeZone) ?? parseDate(text))?.getTime();
}

/** A `yyyy-MM-dd HH:mm:ss` UTC value, converting it when the resource writes dates otherwise. */
function glideUtc(spec: PollSpec, text: string | undefined): string {
  if (!text) return '';
  if (spec.dateFormat === GLIDE_DATE_FORMAT && spec.timeZone === 'UTC') return text;
  const d = parseDate(text, spec.dateFormat, spec.timeZone);
  return d ? formatDate(d) : text;
}

function instantOf(date: DateField, record: Record<string, string>): number | undefined {
  const text = record[date.field];
  return text ? (parseDate(text, date.format, date.timeZone) ?? parseDate(text))?.getTime() : undefined;
}

/** Cloud Elements' rule: created and updated dates within the tolerance mean CREATED; undefined when a date is unreadable. */
function createdByDates(check: NonNullable<PollSpec['createdCheck']>, record: Record<string, string>): boolean | undefined {
  const created = instantOf(check.created, record);
  const updated = instantOf(check.updated, record);
  return created === undefined || updated === undefined ? undefined : Math.abs(updated - created) <= check.toleranceMs;
}

/**
 * The change a polled row stands for, with a fresh event id; undefined for a row without an id.
 * Records: `insert` at sys_mod_count 0 (or created = updated when there is no count; for hub resources, created and
 * updated dates within `createdCheckTolerance`, as Cloud Elements decided), else `update`.
 * Journal entries and attachments: always `insert`. sys_audit_delete rows: a `delete` of `documentkey`.
 */
export function rowToChange(instanceId: string, spec: PollSpec, row: ServiceNowRecord, source: ChangeSource): ChangeJob | undefined {
  const record = stringValues(row);
  const sysId = record[spec.idField];
  if (!sysId) return undefined;
  const base = { eventId: crypto.randomUUID(), instanceId, table: spec.changeTable, sysId, source, receivedAt: Date.now() };
  if (spec.kind === 'audit-delete') {
    const deletedAt = glideUtc(spec, record.sys_created_on);
    return {
      ...base,
      operation: 'delete',
      sysUpdatedOn: deletedAt,
      sysModCount: '',
      record: { sys_id: sysId, display_value: record.display_value ?? '', deleted_on: deletedAt, deleted_by: record.sys_created_by ?? '' },
    };
  }
  const modCount = record.sys_mod_count || '0';
  const updatedOn = glideUtc(spec, record.sys_updated_on || record.sys_created_on);
  const created = (spec.createdCheck && createdByDates(spec.createdCheck, record))
    ?? (record.sys_mod_count === undefined ? record.sys_created_on === record.sys_updated_on : modCount === '0');
  return {
    ...base,
    operation: spec.kind === 'immutable' || created ? 'insert' : 'update',
    sysUpdatedOn: updatedOn,
    sysModCount: modCount,
    record,
  };
}
