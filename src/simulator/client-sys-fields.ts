import { isSysId, newSysId, parseGlideDateTime, toGlideString, zonedGlideToUtc, type GlideRecord } from './glide-values';
import type { SimulatorKnobs } from './simulator-knobs';
import { operationFailed } from './write-error';

/** System fields besides sys_id that a client may set on insert (`glide.rest.table_api.admin_only_sys_fields` false). */
const CLIENT_SYS_FIELDS = ['sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by'] as const;

/**
 * The sys_created_* / sys_updated_* an insert's body sets, valid values only. `inputTimeZone` is the
 * writer's time zone when `sysparm_input_display_value=true` (dates are then read in it).
 */
export function clientSysFields(fields: Record<string, unknown>, inputTimeZone: string | undefined): Partial<GlideRecord> {
  const out: Partial<GlideRecord> = {};
  for (const column of CLIENT_SYS_FIELDS) {
    const value = toGlideString(fields[column]);
    if (column.endsWith('_by')) {
      if (value !== '') out[column] = value;
      continue;
    }
    const utc = inputTimeZone ? zonedGlideToUtc(value, inputTimeZone) : value;
    if (utc && parseGlideDateTime(utc)) out[column] = utc;
  }
  return out;
}

/**
 * The sys_id of a new record: the client's when it sent a valid one, else a fresh one. A sys_id the
 * table already holds is a unique-key violation (403, as the database refuses it) unless the policy
 * says to make a new record.
 */
export function newRecordId(requested: string, taken: boolean, policy: SimulatorKnobs['duplicateSysIdInsert']): string {
  if (!isSysId(requested)) return newSysId();
  if (!taken) return requested;
  if (policy === 'new-sys-id') return newSysId();
  throw operationFailed(`Unique Key violation detected by database ((conn=0) Duplicate entry '${requested}' for key 'PRIMARY')`);
}
