import type { EncodedQuery, QueryCondition } from './encoded-query';
import { displayValueAt, fieldTarget, valueAt } from './field-paths';
import type { GlideRecord, RecordStore } from './record-store';
import { evaluateScriptValue, type ScriptContext } from './script-values';

/** What evaluating a query needs besides the rows. */
export interface QueryContext extends ScriptContext {
  store: RecordStore;
  table: string;
  /** `glide.invalid_query.returns_no_rows`. */
  invalidQueryReturnsNoRows: boolean;
  /** Name-value pair filters also match display values (choice labels, referenced display values). */
  matchDisplayValues?: boolean;
}

type Predicate = (record: GlideRecord) => boolean;

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Compares two stored strings: numerically when both are numbers, else as text (dates sort as text). */
export function compareValues(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function test(operator: string, actual: string, value: string, other?: string): boolean {
  switch (operator) {
    case '=': return actual === value;
    case '!=': return actual !== value;
    case '>': return compareValues(actual, value) > 0;
    case '>=': return compareValues(actual, value) >= 0;
    case '<': return compareValues(actual, value) < 0;
    case '<=': return compareValues(actual, value) <= 0;
    case 'LIKE': return actual.includes(value);
    case 'NOT LIKE': case 'NOTLIKE': return !actual.includes(value);
    case 'STARTSWITH': return actual.startsWith(value);
    case 'ENDSWITH': return actual.endsWith(value);
    case 'IN': return value.split(',').includes(actual);
    case 'NOT IN': case 'NOTIN': return !value.split(',').includes(actual);
    case 'ISEMPTY': case 'EMPTYSTRING': return actual === '';
    case 'ISNOTEMPTY': return actual !== '';
    case 'ANYTHING': return true;
    case 'BETWEEN': return compareValues(actual, value) >= 0 && compareValues(actual, other ?? '') <= 0;
    case 'SAMEAS': return actual === other;
    case 'NSAMEAS': return actual !== other;
    default: return false;
  }
}

/** Builds the predicate of one condition, or undefined when it is invalid (unknown field or script). */
function compileCondition(c: QueryCondition, ctx: QueryContext): Predicate | undefined {
  if (!fieldTarget(ctx.table, c.field)) return undefined;
  const read = (r: GlideRecord) => valueAt(ctx.store, ctx.table, r, c.field);
  if (c.operator === 'SAMEAS' || c.operator === 'NSAMEAS') {
    if (!fieldTarget(ctx.table, c.value)) return undefined;
    return (r) => test(c.operator, read(r), '', valueAt(ctx.store, ctx.table, r, c.value));
  }
  let value: string | undefined = c.value;
  let other: string | undefined;
  if (c.operator === 'BETWEEN') {
    const [from, to] = c.value.split('@');
    value = evaluateScriptValue(from ?? '', ctx);
    other = evaluateScriptValue(to ?? '', ctx);
    if (other === undefined) return undefined;
  } else {
    value = evaluateScriptValue(c.value, ctx);
  }
  if (value === undefined) return undefined;
  const v = value;
  if (ctx.matchDisplayValues && c.operator === '=') {
    return (r) => read(r) === v || displayValueAt(ctx.store, ctx.table, r, c.field) === v;
  }
  return (r) => test(c.operator, read(r), v, other);
}

/** The sys_ids a single-group query is restricted to (`sys_id=x` or `sys_idINa,b`), if it is. */
function sysIdsOf(query: EncodedQuery): Set<string> | undefined {
  if (query.groups.length !== 1) return undefined;
  for (const term of query.groups[0]) {
    const [c] = term;
    if (term.length === 1 && c.field === 'sys_id' && (c.operator === '=' || c.operator === 'IN')) return new Set(c.value.split(','));
  }
  return undefined;
}

/**
 * Filters rows with a parsed query. Invalid conditions are dropped (ServiceNow ignores them) unless
 * `invalidQueryReturnsNoRows`, in which case nothing matches.
 */
export function filterRecords(rows: GlideRecord[], query: EncodedQuery, ctx: QueryContext): GlideRecord[] {
  let invalid = query.unparsed.length > 0;
  const groups: Predicate[][][] = [];
  for (const group of query.groups) {
    const terms: Predicate[][] = [];
    for (const term of group) {
      const ors: Predicate[] = [];
      for (const condition of term) {
        const p = compileCondition(condition, ctx);
        if (p) ors.push(p);
        else invalid = true;
      }
      if (ors.length > 0) terms.push(ors);
    }
    groups.push(terms);
  }
  if (invalid && ctx.invalidQueryReturnsNoRows) return [];
  if (groups.length === 0) return rows;
  const ids = sysIdsOf(query);
  if (ids) rows = rows.filter((r) => ids.has(r.sys_id)); // cheap narrowing first: enrichment reads by sys_idIN
  return rows.filter((r) => groups.some((terms) => terms.every((ors) => ors.some((p) => p(r)))));
}

/** Sorts rows by the query's ORDERBY / ORDERBYDESC fields (invalid fields ignored); stable. */
export function sortRecords(rows: GlideRecord[], query: EncodedQuery, ctx: QueryContext): GlideRecord[] {
  const keys = query.orderBy.filter((o) => fieldTarget(ctx.table, o.field));
  if (keys.length === 0) return rows;
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const d = compareValues(valueAt(ctx.store, ctx.table, a, key.field), valueAt(ctx.store, ctx.table, b, key.field));
      if (d !== 0) return key.descending ? -d : d;
    }
    return 0;
  });
}
