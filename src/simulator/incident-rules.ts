import type { GlideRecord } from './glide-values';
import type { RuleContext } from './before-rule';
import { operationFailed } from './write-error';

/** Priority Lookup Rules: `impact|urgency` → priority (1 Critical … 5 Planning). */
const PRIORITY_LOOKUP: Readonly<Record<string, string>> = {
  '1|1': '1', '1|2': '2', '1|3': '3',
  '2|1': '2', '2|2': '3', '2|3': '4',
  '3|1': '3', '3|2': '4', '3|3': '5',
};
const RESOLVED_STATES = new Set(['6', '7']);
const OPEN_STATES = new Set(['1', '2', '3']);
const MANDATORY_WHEN_RESOLVED: ReadonlyArray<[string, string]> = [['close_code', 'Resolution code'], ['close_notes', 'Close notes']];

function onStateChange(record: GlideRecord, from: string, ctx: RuleContext): void {
  const to = record.state;
  if (to === from) return;
  if (RESOLVED_STATES.has(to)) {
    record.resolved_at ||= ctx.at;
    record.resolved_by ||= ctx.userSysId;
  }
  if (to === '7' || to === '8') {
    record.closed_at ||= ctx.at;
    record.closed_by ||= ctx.userSysId;
    record.active = 'false';
  }
  if (from === '3') record.hold_reason = '';
  if (RESOLVED_STATES.has(from) && OPEN_STATES.has(to)) {
    Object.assign(record, { resolved_at: '', resolved_by: '', closed_at: '', closed_by: '', active: 'true' });
    record.reopen_count = String(Number(record.reopen_count || '0') + 1);
    record.reopened_time = ctx.at;
    record.reopened_by = ctx.userSysId;
  }
}

/**
 * The incident's out-of-box behaviour on every write: opened_at / opened_by on insert, priority from
 * impact × urgency (a client-sent priority is overwritten), resolve / close / reopen bookkeeping, and
 * the data policy that a Resolved or Closed incident has a resolution code and close notes (403).
 */
export function incidentRule(record: GlideRecord, ctx: RuleContext): void {
  if (!ctx.previous) {
    record.opened_at ||= ctx.at;
    record.opened_by ||= ctx.userSysId;
  }
  record.priority = PRIORITY_LOOKUP[`${record.impact}|${record.urgency}`] ?? record.priority;
  onStateChange(record, ctx.previous?.state ?? '', ctx);
  const missing = RESOLVED_STATES.has(record.state) ? MANDATORY_WHEN_RESOLVED.filter(([f]) => !record[f]?.trim()) : [];
  if (missing.length > 0) {
    throw operationFailed(`Data Policy Exception: \n\tThe following fields are mandatory: ${missing.map(([, label]) => label).join(', ')}`);
  }
}
