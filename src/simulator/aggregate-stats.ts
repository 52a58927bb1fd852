import { compareValues } from './query-operators';
import type { GlideRecord } from './record-store';

/** The aggregate functions of `sysparm_<fn>_fields` and `sysparm_having`. */
export const AGGREGATES = ['avg', 'min', 'max', 'sum'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** What to compute for one set of rows. */
export interface StatsRequest {
  count: boolean;
  fields: Partial<Record<Aggregate, string[]>>;
}

/** `{"count": "3", "avg": {"priority": "2.3333"}, …}`: every value a string, as the Aggregate API answers. */
export type Stats = { count?: string } & Partial<Record<Aggregate, Record<string, string>>>;

const NUMBER = /^-?\d+(\.\d+)?$/;

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}

/** One aggregate of one column over `rows`; "" when no row has a value. Averages have four decimals. */
export function aggregate(fn: Aggregate | 'count', rows: readonly GlideRecord[], read: (r: GlideRecord) => string): string {
  if (fn === 'count') return String(rows.length);
  const values = rows.map(read).filter((v) => v !== '');
  if (values.length === 0) return '';
  if (fn === 'min' || fn === 'max') {
    const sorted = [...values].sort(compareValues);
    return fn === 'min' ? sorted[0] : sorted[sorted.length - 1];
  }
  const numbers = values.filter((v) => NUMBER.test(v)).map(Number);
  const sum = numbers.reduce((a, b) => a + b, 0);
  return fn === 'sum' ? format(sum) : (sum / Math.max(numbers.length, 1)).toFixed(4);
}

/** The stats object of one group of rows. */
export function computeStats(request: StatsRequest, rows: readonly GlideRecord[], read: (r: GlideRecord, field: string) => string): Stats {
  const stats: Stats = {};
  if (request.count) stats.count = String(rows.length);
  for (const fn of AGGREGATES) {
    const fields = request.fields[fn];
    if (!fields?.length) continue;
    stats[fn] = Object.fromEntries(fields.map((f) => [f, aggregate(fn, rows, (r) => read(r, f))]));
  }
  return stats;
}

/** One `sysparm_having` clause: `aggregate^field^operator^value` (e.g. `count^priority^>^3`). */
export interface HavingClause {
  fn: Aggregate | 'count';
  field: string;
  operator: string;
  value: string;
}

/** Reads `sysparm_having` (comma-separated clauses); malformed clauses are dropped. */
export function parseHaving(raw: string | null): HavingClause[] {
  if (!raw) return [];
  return raw.split(',').flatMap((clause) => {
    const [fn, field, operator, value] = clause.split('^');
    const name = (fn ?? '').toLowerCase();
    if (!(name === 'count' || (AGGREGATES as readonly string[]).includes(name)) || !field || !/^(=|!=|>|>=|<|<=)$/.test(operator ?? '') || value === undefined) return [];
    return [{ fn: name as HavingClause['fn'], field, operator, value }];
  });
}

/** Whether a group's aggregate satisfies a having clause. */
export function satisfies(clause: HavingClause, rows: readonly GlideRecord[], read: (r: GlideRecord, field: string) => string): boolean {
  const d = compareValues(aggregate(clause.fn, rows, (r) => read(r, clause.field)), clause.value);
  switch (clause.operator) {
    case '=': return d === 0;
    case '!=': return d !== 0;
    case '>': return d > 0;
    case '>=': return d >= 0;
    case '<': return d < 0;
    default: return d <= 0;
  }
}
