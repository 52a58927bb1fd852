import crypto from 'node:crypto';

/** A stored row: every value a string, as ServiceNow keeps it (references hold the sys_id). */
export type GlideRecord = Record<string, string>;

/** Formats a Date as ServiceNow's GlideDateTime DB value: `yyyy-MM-dd HH:mm:ss`, UTC. */
export function glideDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses a `yyyy-MM-dd HH:mm:ss` UTC value; undefined when it is not one. */
export function parseGlideDateTime(value: string): Date | undefined {
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value)) return undefined;
  const d = new Date(value.replace(' ', 'T') + 'Z');
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Whether a string is a sys_id: 32 lowercase hex characters. */
export function isSysId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

/** A fresh random sys_id. */
export function newSysId(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** A stable sys_id derived from a label, so seed data is the same on every start. */
export function stableSysId(label: string): string {
  return crypto.createHash('sha256').update(`snowgate-simulator:${label}`).digest('hex').slice(0, 32);
}

/** Converts a JSON value written by a client into the string ServiceNow stores ("" for null). */
export function toGlideString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && 'value' in (value as Record<string, unknown>)) return toGlideString((value as Record<string, unknown>).value);
  return JSON.stringify(value);
}

/** Minutes `timeZone` is ahead of UTC at `utc` (e.g. 60 for Europe/Amsterdam in winter, 0 for GMT). */
function zoneOffsetMinutes(utc: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(utc);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((asUtc - utc.getTime()) / 60_000);
}

/**
 * Reads a `yyyy-MM-dd HH:mm:ss` wall-clock value of `timeZone` (a sys_user time_zone such as "GMT"
 * or "Europe/Amsterdam") as the UTC DB value; undefined when it is not such a value or the zone is unknown.
 */
export function zonedGlideToUtc(value: string, timeZone: string): string | undefined {
  const wall = parseGlideDateTime(value);
  if (!wall) return undefined;
  try {
    const first = new Date(wall.getTime() - zoneOffsetMinutes(wall, timeZone) * 60_000);
    return glideDateTime(new Date(wall.getTime() - zoneOffsetMinutes(first, timeZone) * 60_000));
  } catch {
    return undefined;
  }
}
