import fc from 'fast-check';
import { printable } from './printable';

/** The tables every instance accepts webhooks for. */
export const CORE_TABLES = ['sn_customerservice_case', 'sys_journal_field', 'sys_attachment'] as const;
export type CoreTable = (typeof CORE_TABLES)[number];

type Payload = Record<string, unknown>;

/** Sets an own, enumerable property — even `__proto__`, which an assignment would turn into a prototype change. */
export function withKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const clone = (p: Payload): Payload => JSON.parse(JSON.stringify(p)) as Payload;

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const value = (maxLength: number) => fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength }));
const fieldName = fc.stringMatching(/^[a-z0-9_.]{1,20}$/).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const extraFields = fc.dictionary(fieldName, value(40), { maxKeys: 5 });

const RECORDS: Record<CoreTable, fc.Arbitrary<Payload>> = {
  sn_customerservice_case: fc
    .tuple(fc.record({ number: fc.stringMatching(/^CS[0-9]{7}$/) }), fc.option(value(160), { nil: undefined }), extraFields)
    .map(([base, description, extra]) => ({ ...extra, ...base, ...(description === undefined ? {} : { short_description: description }) })),
  sys_journal_field: fc.record({
    element: fc.constantFrom('comments', 'work_notes'),
    element_id: hex32,
    name: fc.constantFrom('sn_customerservice_case', 'incident'),
    value: value(200),
  }),
  sys_attachment: fc.record({
    table_name: fc.constantFrom('sn_customerservice_case', 'kb_knowledge'),
    table_sys_id: hex32,
    file_name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.length > 0),
    content_type: fc.constantFrom('text/plain', 'application/pdf', 'image/png', ''),
    size_bytes: fc.stringMatching(/^[0-9]{1,15}$/),
  }),
};

/** A body that passes its table's schema (the oracle has the last word: a generated string may still be too long). */
export function validPayload(table: CoreTable): fc.Arbitrary<Payload> {
  return fc
    .record({
      sys_id: hex32,
      operation: fc.constantFrom('insert', 'update', 'delete'),
      sys_updated_on: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
      sys_mod_count: fc.nat({ max: 99999 }),
      record: RECORDS[table],
    })
    .map((p) => ({
      table,
      sys_id: p.sys_id,
      operation: p.operation,
      sys_updated_on: p.sys_updated_on.toISOString().slice(0, 19).replace('T', ' '),
      sys_mod_count: String(p.sys_mod_count),
      record: p.record,
    }));
}

/** A URL table and a valid body for it. */
export const tableAndPayload = fc.constantFrom(...CORE_TABLES).chain((table) => validPayload(table).map((payload) => ({ table, payload })));

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty', 'valueOf', ''];
const hostileKey = fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 }));
const pollution = fc.constantFrom<unknown>({ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, { __proto__x: 1 }, 'yes', null, [{ polluted: 'yes' }]);
const wrongValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<unknown>(null, true, 0, -1, 1e308, '', [], {}, ['update'], { value: 'x' }));

/** One change to a valid body: a field missing, of the wrong type or shape, a key too many, another table. */
const mutation: fc.Arbitrary<(p: Payload) => Payload> = fc.oneof(
  fc.constantFrom('table', 'sys_id', 'operation', 'sys_updated_on', 'sys_mod_count', 'record').map((k) => (p: Payload) => {
    delete p[k];
    return p;
  }),
  fc.tuple(fc.constantFrom('table', 'sys_id', 'operation', 'sys_updated_on', 'sys_mod_count', 'record'), wrongValue).map(([k, v]) => (p: Payload) => withKey(p, k, v)),
  fc.tuple(fc.constantFrom('sys_id', 'operation', 'sys_updated_on', 'sys_mod_count'), fc.string({ unit: 'binary', maxLength: 40 })).map(([k, v]) => (p: Payload) => withKey(p, k, v)),
  fc.tuple(hostileKey, fc.oneof(wrongValue, pollution)).map(([k, v]) => (p: Payload) => withKey(p, k, v)),
  fc.tuple(hostileKey, fc.oneof(wrongValue, pollution, value(20))).map(([k, v]) => (p: Payload) => {
    withKey(p.record as object, k, v);
    return p;
  }),
  fc.tuple(fc.constantFrom('number', 'element', 'element_id', 'name', 'value', 'table_name', 'table_sys_id', 'file_name', 'size_bytes'), fc.option(wrongValue))
    .map(([k, v]) => (p: Payload) => {
      if (v === null) delete (p.record as Payload)[k];
      else withKey(p.record as object, k, v);
      return p;
    }),
  fc.constantFrom(...CORE_TABLES, 'kb_knowledge', 'SN_CUSTOMERSERVICE_CASE').map((t) => (p: Payload) => withKey(p, 'table', t)),
  fc.constantFrom<unknown>([], 'record', null, [['number', 'CS1']]).map((r) => (p: Payload) => withKey(p, 'record', r)),
);

/** A valid body with one thing changed (which may, rarely, leave it valid: the oracle decides). */
export const mutatedPayload = fc.tuple(tableAndPayload, mutation).map(([{ table, payload }, mutate]) => ({ table, payload: mutate(clone(payload)) }));

/** Deep nesting text of `depth` levels: arrays, objects or both, closed or left open. */
export const nesting = fc
  .record({ depth: fc.integer({ min: 500, max: 20_000 }), kind: fc.constantFrom('array', 'object', 'mixed'), closed: fc.boolean() })
  .map(({ depth, kind, closed }) => {
    const open = kind === 'array' ? '['.repeat(depth) : kind === 'object' ? '{"a":'.repeat(depth) : '[{"a":'.repeat(Math.ceil(depth / 2));
    const shut = kind === 'array' ? ']'.repeat(depth) : kind === 'object' ? '}'.repeat(depth) : '}]'.repeat(Math.ceil(depth / 2));
    const inner = kind === 'array' ? '' : '1';
    return closed ? open + inner + shut : open + inner;
  });

const PLACEHOLDER = '"@@NESTED@@"';

/** Deep nesting as the whole body, or spliced into a valid body (a record value, a new top-level key, the record itself). */
export const deeplyNested = fc
  .tuple(tableAndPayload, nesting, fc.constantFrom('top', 'record-value', 'extra-key', 'record', '__proto__'))
  .map(([{ table, payload }, nested, where]) => {
    if (where === 'top') return { table, text: nested };
    const p = clone(payload);
    if (where === 'record-value') withKey(p.record as object, 'number', '@@NESTED@@');
    else if (where === 'record') p.record = '@@NESTED@@';
    else withKey(p, where === '__proto__' ? '__proto__' : 'nested', '@@NESTED@@');
    return { table, text: JSON.stringify(p).replace(PLACEHOLDER, nested) };
  });

/** Valid bodies whose objects carry `__proto__` / `constructor` / `prototype` keys at some level, as JSON text. */
export const prototypeKeys = fc
  .tuple(tableAndPayload, fc.constantFrom('__proto__', 'constructor', 'prototype'), pollution, fc.constantFrom('top', 'record', 'deep', 'first'))
  .map(([{ table, payload }, key, poison, where]) => {
    const p = clone(payload);
    if (where === 'top') withKey(p, key, poison);
    else if (where === 'record') withKey(p.record as object, key, poison);
    else if (where === 'deep') withKey(p.record as object, 'number', withKey({}, key, withKey({}, key, poison)));
    else return { table, text: `{${JSON.stringify(key)}:${JSON.stringify(poison)},${JSON.stringify(p).slice(1)}` };
    return { table, text: JSON.stringify(p) };
  });

const INVALID_UTF8 = [
  [0xc0, 0x80], // overlong NUL
  [0xc1, 0xbf], // overlong
  [0xe0, 0x80, 0xaf], // overlong '/'
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xff],
  [0xfe, 0xff],
  [0x80], // lone continuation
  [0xe2, 0x82], // truncated sequence
  [0xf0, 0x9f, 0x98], // truncated emoji
];

/** A valid body with an invalid UTF-8 sequence somewhere (or a BOM in front). */
export const invalidUtf8 = fc
  .tuple(tableAndPayload, fc.constantFrom(...INVALID_UTF8, 'bom'), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([{ table, payload }, bad, at]) => {
    const bytes = Buffer.from(JSON.stringify(payload));
    if (bad === 'bom') return { table, bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) };
    const i = Math.floor(at * bytes.length);
    return { table, bytes: Buffer.concat([bytes.subarray(0, i), Buffer.from(bad), bytes.subarray(i)]) };
  });

/** Valid JSON text cut, spliced or garbled by one edit. */
export const brokenJson = fc
  .tuple(tableAndPayload, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('cut', 'insert', 'delete', 'unquote', 'trailing', 'comment', 'single-quotes', 'nan'), fc.constantFrom(...'{}[],:"\\\u0000\n tfn0-.eE'))
  .map(([{ table, payload }, at, edit, ch]) => {
    const text = JSON.stringify(payload);
    const i = Math.floor(at * text.length);
    const edited: Record<string, string> = {
      cut: text.slice(0, i),
      insert: text.slice(0, i) + ch + text.slice(i),
      delete: text.slice(0, i) + text.slice(i + 1),
      unquote: text.replace(/"/g, ''),
      trailing: text.slice(0, -1) + ',}',
      comment: `// from ServiceNow\n${text}`,
      'single-quotes': text.replace(/"/g, "'"),
      nan: text.replace(/"sys_mod_count":"[0-9]+"/, '"sys_mod_count":NaN'),
    };
    return { table, text: edited[edit] };
  });

/** Any body at all, as bytes, for any URL table: most of it invalid, some of it valid. */
export const anyBody: fc.Arbitrary<{ table: CoreTable; bytes: Buffer; kind: string }> = fc.oneof(
  fc.tuple(fc.constantFrom(...CORE_TABLES), fc.uint8Array({ maxLength: 4096 })).map(([table, b]) => ({ table, bytes: Buffer.from(b), kind: 'bytes' })),
  fc.tuple(fc.constantFrom(...CORE_TABLES), fc.string({ unit: 'binary', maxLength: 2000 })).map(([table, s]) => ({ table, bytes: Buffer.from(s), kind: 'text' })),
  fc.tuple(fc.constantFrom(...CORE_TABLES), fc.json({ maxDepth: 6 })).map(([table, s]) => ({ table, bytes: Buffer.from(s), kind: 'json' })),
  brokenJson.map(({ table, text }) => ({ table, bytes: Buffer.from(text), kind: 'broken-json' })),
  { arbitrary: mutatedPayload.map(({ table, payload }) => ({ table, bytes: Buffer.from(JSON.stringify(payload)), kind: 'mutated' })), weight: 4 },
  tableAndPayload.map(({ table, payload }) => ({ table, bytes: Buffer.from(JSON.stringify(payload)), kind: 'valid' })),
  fc.tuple(tableAndPayload, fc.constantFrom(' ', '\n', '\t', '\r\n')).map(([{ table, payload }, ws]) => ({ table, bytes: Buffer.from(ws + JSON.stringify(payload, null, 2) + ws), kind: 'valid-pretty' })),
  deeplyNested.map(({ table, text }) => ({ table, bytes: Buffer.from(text), kind: 'deep' })),
  { arbitrary: prototypeKeys.map(({ table, text }) => ({ table, bytes: Buffer.from(text), kind: 'proto' })), weight: 2 },
  invalidUtf8.map(({ table, bytes }) => ({ table, bytes, kind: 'invalid-utf8' })),
).map((b) => printable({ ...b, kind: `${b.kind} to ${b.table}` }, b.bytes));
