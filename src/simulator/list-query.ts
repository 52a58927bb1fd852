import { parseEncodedQuery, type QueryCondition } from './encoded-query';
import { fieldTarget } from './field-paths';
import { filterRecords, sortRecords, type QueryContext } from './query-filter';
import type { GlideRecord } from './record-store';
import type { SimulatorState } from './simulator-state';

/** Options of one list query. */
export interface ListQueryOptions {
  /** Name-value pair filters (`&active=true`) are honoured when no sysparm_query is given. Default true. */
  nameValuePairs?: boolean;
  /** Parameter names that are not filters even without the sysparm_ prefix (Case API short names). */
  reserved?: readonly string[];
}

/**
 * The rows of `table` matching `sysparm_query` (or, when absent, the name-value pair filters, which
 * also match display values), ordered by its ORDERBY parts. Not paged.
 */
export function runListQuery(state: SimulatorState, table: string, params: URLSearchParams, user: string, options: ListQueryOptions = {}): GlideRecord[] {
  const encoded = params.get('sysparm_query') ?? '';
  const userSysId = state.store.rowsWhere('sys_user', 'user_name', user)[0]?.sys_id ?? '';
  const ctx: QueryContext = {
    store: state.store,
    table,
    now: state.clock.now(),
    userSysId,
    userName: user,
    userGroups: () => state.store.rowsWhere('sys_user_grmember', 'user', userSysId).map((m) => m.group),
    invalidQueryReturnsNoRows: state.knobs.invalidQueryReturnsNoRows,
  };
  const query = parseEncodedQuery(encoded);
  let rows = state.store.rows(table);
  if (encoded === '' && options.nameValuePairs !== false) {
    const pairs: QueryCondition[][] = [];
    for (const [key, value] of params) {
      if (key.startsWith('sysparm_') || options.reserved?.includes(key) || !fieldTarget(table, key)) continue;
      pairs.push([{ field: key, operator: '=', value }]);
    }
    rows = filterRecords(rows, { groups: pairs.length ? [pairs] : [], orderBy: [], unparsed: [] }, { ...ctx, matchDisplayValues: true });
  } else {
    rows = filterRecords(rows, query, ctx);
  }
  return sortRecords(rows, query, ctx);
}
