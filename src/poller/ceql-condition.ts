import { ceqlError } from './ceql-lexer';
import type { CeqlCondition, CeqlValue } from './ceql-parser';
import { formatDate, GLIDE_DATE_FORMAT } from './date-format';
import { placeholderText, type Placeholder, type TemplatePart } from './url-template';

const FIELD = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** `2026-01-02T03:04:05Z` → `2026-01-02 03:04:05` (UTC when the date says its zone; as written otherwise). */
export function isoToGlide(text: string): string {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return text;
  if (!m[5]) return `${m[1]} ${m[2]}${m[3] ?? ':00'}`;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? text : formatDate(at, GLIDE_DATE_FORMAT);
}

/** Whether a date pattern reads the time of day (outside its 'quoted' literals). */
function hasTimeOfDay(format: string): boolean {
  return /[Hhkm]/.test(format.replace(/'[^']*'/g, ''));
}

/** A date placeholder compared with a ServiceNow date-time is written as ServiceNow writes them. */
function glidePlaceholder(p: Placeholder): string {
  if (p.kind === 'epoch' || p.format === undefined) return placeholderText(p);
  if (hasTimeOfDay(p.format)) return placeholderText({ kind: p.kind, format: GLIDE_DATE_FORMAT });
  formatDate(new Date(0), p.format); // an unsupported pattern is refused now, not at the first poll
  return placeholderText(p);
}

function literalText(text: string, where: string, inList: boolean): string {
  if (text.includes('^')) throw ceqlError(`${where}: a value holding "^" cannot be written in a ServiceNow encoded query`);
  if (inList && text.includes(',')) throw ceqlError(`${where}: a value holding "," cannot be written in an IN list of a ServiceNow encoded query`);
  if (/^\s*javascript:/i.test(text)) throw ceqlError(`${where}: a value starting with "javascript:" would run as a script in ServiceNow`);
  return text;
}

function partsText(parts: TemplatePart[], where: string, inList: boolean): string {
  if (parts.length === 1 && typeof parts[0] === 'string') return literalText(isoToGlide(parts[0]), where, inList);
  return parts.map((p) => (typeof p === 'string' ? literalText(p, where, inList) : glidePlaceholder(p))).join('');
}

function valueText(v: CeqlValue, where: string, inList = false): string {
  switch (v.kind) {
    case 'string':
      return partsText(v.parts, where, inList);
    case 'number':
      return v.text;
    case 'boolean':
      return String(v.value);
    default:
      return glidePlaceholder(v.placeholder);
  }
}

const isEmptyString = (v: CeqlValue): boolean => v.kind === 'string' && v.parts.length === 1 && v.parts[0] === '';

/** A LIKE pattern: `%` at the start, the end, both or neither; anywhere else it has no encoded-query form. */
function likeCondition(field: string, negated: boolean, pattern: CeqlValue, where: string): string {
  if (pattern.kind !== 'string') throw ceqlError(`${where}: LIKE takes a 'quoted pattern'`);
  const parts = [...pattern.parts];
  const first = parts[0];
  const leading = typeof first === 'string' && first.startsWith('%');
  if (leading) parts[0] = (first as string).replace(/^%+/, '');
  const trailing = typeof parts[parts.length - 1] === 'string' && (parts[parts.length - 1] as string).endsWith('%');
  if (trailing) parts[parts.length - 1] = (parts[parts.length - 1] as string).replace(/%+$/, '');
  if (parts.some((p) => typeof p === 'string' && p.includes('%'))) {
    throw ceqlError(`${where}: LIKE with "%" inside the pattern has no ServiceNow form (use 'x%', '%x' or '%x%')`);
  }
  const text = partsText(parts.filter((p) => p !== ''), where, false);
  if (text === '') {
    if (!leading && !trailing) return `${field}${negated ? 'ISNOTEMPTY' : 'ISEMPTY'}`;
    return `${field}${negated ? 'ISEMPTY' : 'ISNOTEMPTY'}`;
  }
  if (leading && trailing) return `${field}${negated ? 'NOT LIKE' : 'LIKE'}${text}`;
  if (!leading && !trailing) return `${field}${negated ? '!=' : '='}${text}`;
  if (negated) throw ceqlError(`${where}: NOT LIKE '${leading ? '%x' : 'x%'}' has no ServiceNow form (there is no "does not ${leading ? 'end' : 'start'} with")`);
  return `${field}${leading ? 'ENDSWITH' : 'STARTSWITH'}${text}`;
}

/**
 * One condition (NOT already applied) as an encoded-query condition: `a=1`, `aSTARTSWITHx`, `aINx,y`,
 * `aISEMPTY`… `columns` renames hub fields (`id` → `sys_id`). Throws 400 `invalid_ceql` for what cannot be written.
 */
export function renderCeqlCondition(c: CeqlCondition, columns: Readonly<Record<string, string>>): string {
  const field = columns[c.column] ?? c.column;
  const where = `"${c.column}"`;
  if (!FIELD.test(field)) throw ceqlError(`column ${where} is not a ServiceNow field name (letters, digits, _ and dot-walks)`);
  switch (c.kind) {
    case 'null':
      return `${field}${c.negated ? 'ISNOTEMPTY' : 'ISEMPTY'}`;
    case 'in':
      return `${field}${c.negated ? 'NOT IN' : 'IN'}${c.values.map((v) => valueText(v, where, true)).join(',')}`;
    case 'like':
      return likeCondition(field, c.negated, c.pattern, where);
    default:
      if (isEmptyString(c.value) && (c.op === '=' || c.op === '!=')) return `${field}${c.op === '=' ? 'ISEMPTY' : 'ISNOTEMPTY'}`;
      if (isEmptyString(c.value)) throw ceqlError(`${where}: ${c.op} '' compares with an empty string, which has no order`);
      return `${field}${c.op}${valueText(c.value, where)}`;
  }
}
