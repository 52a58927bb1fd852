import crypto from 'node:crypto';

/** Escapes text for XML content and attribute values (`&`, `<`, `>`, `"`, `'`; CR kept as a reference). */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' })[c]!);
}

/** A field of a record: a value, or a value with attributes (`display_value`, …). */
export type FieldValue = string | boolean | number | { value: string; attributes: Record<string, string> };

/** `<name attr="…">value</name>`, or `<name/>` when empty (as ServiceNow exports write empty fields). */
export function element(name: string, field: FieldValue): string {
  const { value, attributes } = typeof field === 'object' ? field : { value: String(field), attributes: {} };
  const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${xmlEscape(v)}"`).join('');
  return value === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${xmlEscape(value)}</${name}>`;
}

/** Fields in alphabetical order (as ServiceNow exports them), one element per line. */
export function fields(record: Record<string, FieldValue>): string {
  return Object.keys(record).sort().map((k) => element(k, record[k]!)).join('\n');
}

/**
 * A deterministic 32-hex sys_id for a generated record, so that importing a regenerated update set
 * updates the records of the last import instead of adding copies.
 */
export function deterministicSysId(...parts: string[]): string {
  return crypto.createHash('sha256').update(['snowgate', ...parts].join('\u0000')).digest('hex').slice(0, 32);
}

/** Java's `String.hashCode()` (what `payload_hash` holds in exported update sets), as a decimal string. */
export function javaStringHash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return String(h);
}

/** `yyyy-MM-dd HH:mm:ss` in UTC, the Glide date-time format. */
export function glideDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
