import crypto from 'node:crypto';

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
