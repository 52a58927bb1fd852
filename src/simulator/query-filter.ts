import type { EncodedQuery } from './encoded-query';
import { fieldTarget, valueAt } from './field-paths';
import { compileCondition, type Predicate, type QueryContext } from './query-conditions';
import { compareValues } from './query-operators';
import type { GlideRecord } from './record-store';

export type { QueryContext } from './query-conditions';

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
