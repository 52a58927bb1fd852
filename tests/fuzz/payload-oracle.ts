/**
 * An independent reading of the webhook body contract (CONTRACT §3 and schemas/webhook-*.schema.json), written
 * out by hand so the fuzz test does not grade the gateway's Ajv schemas with those same schemas.
 */

const SYS_ID = /^[0-9a-f]{32}$/;
const GLIDE_DATE_TIME = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;
const MOD_COUNT = /^[0-9]{1,10}$/;
const FIELD_NAME = /^[a-z0-9_.]{1,80}$/;
const TABLE_NAME = /^[a-z0-9_]{1,80}$/;
const ENVELOPE_KEYS = ['table', 'sys_id', 'operation', 'sys_updated_on', 'sys_mod_count', 'record'];
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
/** JSON Schema lengths count code points, not UTF-16 units. */
const length = (s: string) => [...s].length;
const has = (o: Json, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const stringWithin = (v: unknown, min: number, max: number) => isString(v) && length(v) >= min && length(v) <= max;
const matches = (v: unknown, re: RegExp) => isString(v) && re.test(v);

function recordFieldsValid(record: Json): boolean {
  const keys = Object.keys(record);
  if (keys.length > 300) return false;
  return keys.every((k) => FIELD_NAME.test(k) && !FORBIDDEN_KEYS.includes(k) && stringWithin(record[k], 0, 262144));
}

const TABLE_RULES: Record<string, (record: Json) => boolean> = {
  sn_customerservice_case: (r) =>
    has(r, 'number') && stringWithin(r.number, 1, 40) && (!has(r, 'short_description') || stringWithin(r.short_description, 0, 160)),
  sys_journal_field: (r) =>
    ['element', 'element_id', 'name', 'value'].every((k) => has(r, k)) &&
    (r.element === 'comments' || r.element === 'work_notes') &&
    matches(r.element_id, SYS_ID) &&
    matches(r.name, TABLE_NAME),
  sys_attachment: (r) =>
    ['table_name', 'table_sys_id', 'file_name', 'content_type', 'size_bytes'].every((k) => has(r, k)) &&
    matches(r.table_name, TABLE_NAME) &&
    matches(r.table_sys_id, SYS_ID) &&
    stringWithin(r.file_name, 1, 255) &&
    stringWithin(r.content_type, 0, 255) &&
    matches(r.size_bytes, /^[0-9]{1,15}$/),
};

/** Whether a parsed JSON body is a change webhook the gateway must accept on `POST /webhooks/{id}/{table}`. */
export function isValidPayload(table: string, body: unknown): boolean {
  if (!isObject(body)) return false;
  const keys = Object.keys(body);
  if (!ENVELOPE_KEYS.every((k) => has(body, k)) || !keys.every((k) => ENVELOPE_KEYS.includes(k))) return false;
  if (body.table !== table) return false;
  if (!matches(body.sys_id, SYS_ID) || !['insert', 'update', 'delete'].includes(body.operation as string)) return false;
  if (!matches(body.sys_updated_on, GLIDE_DATE_TIME) || !matches(body.sys_mod_count, MOD_COUNT)) return false;
  if (!isObject(body.record) || !recordFieldsValid(body.record)) return false;
  return (TABLE_RULES[table] ?? (() => true))(body.record);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What a correctly signed body must get: the error code, or `accept` (202 queued / 200 duplicate). */
export type Verdict = 'accept' | 'payload_too_large' | 'invalid_json' | 'invalid_payload';

/**
 * The verdict for raw body bytes under a body limit. A UTF-8 byte order mark is kept as part of the text
 * (RFC 8259: senders must not add one), so a BOM-prefixed body is not JSON.
 */
export function verdictFor(table: string, bytes: Buffer, limit: number): Verdict {
  if (bytes.length > limit) return 'payload_too_large';
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return 'invalid_json';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'invalid_json';
  }
  return isValidPayload(table, parsed) ? 'accept' : 'invalid_payload';
}
