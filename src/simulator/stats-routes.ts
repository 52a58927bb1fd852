import express, { type Request, type Response } from 'express';
import { AGGREGATES, aggregate, computeStats, parseHaving, satisfies, type StatsRequest } from './aggregate-stats';
import { displayValueAt, fieldTarget, valueAt } from './field-paths';
import { runListQuery } from './list-query';
import { compareValues } from './query-operators';
import type { GlideRecord } from './record-store';
import { parseBool, parseDisplayMode } from './record-shaping';
import { apiUser, param, requestParams } from './request-context';
import { sendError, sendInvalidTable } from './sn-errors';
import type { SimulatorState } from './simulator-state';

function fieldList(table: string, raw: string | null): string[] {
  return (raw ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '' && fieldTarget(table, f));
}

interface Group {
  key: string[];
  rows: GlideRecord[];
}

function groupRows(rows: GlideRecord[], fields: string[], read: (r: GlideRecord, f: string) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const key = fields.map((f) => read(row, f));
    const id = JSON.stringify(key);
    if (!groups.has(id)) groups.set(id, { key, rows: [] });
    groups.get(id)!.rows.push(row);
  }
  return [...groups.values()].sort((a, b) => a.key.reduce((d, v, i) => d || compareValues(v, b.key[i]), 0));
}

/** `sysparm_order_by`: `field`, `COUNT` or `AGG^field`, each optionally followed by `^DESC`; comma-separated. */
function orderGroups(groups: Group[], raw: string | null, groupBy: string[], read: (r: GlideRecord, f: string) => string): Group[] {
  const keys = (raw ?? '').split(',').filter(Boolean).map((part) => {
    const bits = part.split('^');
    const descending = bits[bits.length - 1]?.toUpperCase() === 'DESC';
    if (descending) bits.pop();
    const fn = bits[0].toLowerCase();
    if (fn === 'count') return { of: (g: Group) => String(g.rows.length), descending };
    if ((AGGREGATES as readonly string[]).includes(fn) && bits[1]) {
      return { of: (g: Group) => aggregate(fn as (typeof AGGREGATES)[number], g.rows, (r) => read(r, bits[1])), descending };
    }
    const index = groupBy.indexOf(bits[0]);
    return index === -1 ? undefined : { of: (g: Group) => g.key[index], descending };
  }).filter((k) => k !== undefined);
  return [...groups].sort((a, b) => {
    for (const k of keys) {
      const d = compareValues(k.of(a), k.of(b));
      if (d !== 0) return k.descending ? -d : d;
    }
    return 0;
  });
}

function stats(state: SimulatorState, req: Request, res: Response): void {
  const version = param(req, 'version');
  if (version && version !== 'v1') return sendError(res, 400, 'Requested URI does not represent any resource', `Unknown API version ${version}`);
  const table = param(req, 'table');
  if (!state.store.definition(table)) return sendInvalidTable(res, table);
  const params = requestParams(req);
  const read = (r: GlideRecord, f: string) => valueAt(state.store, table, r, f);
  const request: StatsRequest = {
    count: parseBool(params.get('sysparm_count')),
    fields: Object.fromEntries(AGGREGATES.map((fn) => [fn, fieldList(table, params.get(`sysparm_${fn}_fields`))])),
  };
  const rows = runListQuery(state, table, params, apiUser(res));
  const groupBy = fieldList(table, params.get('sysparm_group_by'));
  if (groupBy.length === 0) {
    res.json({ result: { stats: computeStats(request, rows, read) } });
    return;
  }
  const having = parseHaving(params.get('sysparm_having')).filter((h) => h.fn === 'count' || fieldTarget(table, h.field));
  const display = parseDisplayMode(params.get('sysparm_display_value'));
  const groups = orderGroups(groupRows(rows, groupBy, read), params.get('sysparm_order_by'), groupBy, read)
    .filter((g) => having.every((h) => satisfies(h, g.rows, read)));
  res.json({
    result: groups.map((g) => ({
      stats: computeStats(request, g.rows, read),
      groupby_fields: groupBy.map((field, i) => {
        const shown = displayValueAt(state.store, table, g.rows[0], field);
        if (display === 'all') return { field, value: g.key[i], display_value: shown };
        return { field, value: display === 'true' ? shown : g.key[i] };
      }),
    })),
  });
}

/**
 * The Aggregate API, mounted at `/api/now`: `GET /stats/{table}` and `/v1/stats/{table}` with
 * `sysparm_count`, `sysparm_{avg,min,max,sum}_fields`, `sysparm_group_by`, `sysparm_having`,
 * `sysparm_order_by`, `sysparm_display_value` (group-by values) and `sysparm_query` or name-value pairs.
 */
export function statsRoutes(state: SimulatorState): express.Router {
  const router = express.Router();
  router.get(['/stats/:table', '/:version/stats/:table'], (req, res) => stats(state, req, res));
  return router;
}
