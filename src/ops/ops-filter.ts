import { AppError } from '../lib/errors';

/** Which failed jobs or dead-lettered events an ops request means. Times are epoch ms, inclusive. */
export interface OpsFilter {
  queue?: string;
  instanceId?: string;
  /** Job name / CloudEvent type, e.g. `sn_customerservice_case` or `com.servicenow.case.updated`. */
  type?: string;
  from?: number;
  to?: number;
  /** Most items; default 100, at most 1000. */
  limit: number;
}

function text(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw bad(key, 'must be a string');
  return value;
}

function bad(key: string, message: string): AppError {
  return new AppError('invalid_filter', `${key} ${message}`, 400, { details: [{ path: `/${key}`, message }] });
}

/** An ISO 8601 date-time or epoch milliseconds. */
function time(source: Record<string, unknown>, key: string): number | undefined {
  const raw = source[key];
  if (raw === undefined || raw === '') return undefined;
  const ms = typeof raw === 'number' || /^\d+$/.test(String(raw)) ? Number(raw) : Date.parse(String(raw));
  if (!Number.isFinite(ms)) throw bad(key, 'must be an ISO 8601 date-time or epoch milliseconds');
  return ms;
}

/**
 * Reads `queue`, `instance`, `type`, `from`, `to`, `limit` from a query string or JSON body.
 * Throws AppError 400 `invalid_filter`.
 */
export function parseOpsFilter(source: unknown): OpsFilter {
  const s = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  const rawLimit = s.limit === undefined || s.limit === '' ? 100 : Number(s.limit);
  if (!Number.isInteger(rawLimit) || rawLimit < 1 || rawLimit > 1000) throw bad('limit', 'must be an integer from 1 to 1000');
  const filter: OpsFilter = {
    queue: text(s, 'queue'),
    instanceId: text(s, 'instance'),
    type: text(s, 'type'),
    from: time(s, 'from'),
    to: time(s, 'to'),
    limit: rawLimit,
  };
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) throw bad('from', 'must not be after to');
  return filter;
}

/** True when the filter narrows anything (bulk actions refuse an empty filter unless `all` is set). */
export function isNarrowed(filter: OpsFilter): boolean {
  return [filter.queue, filter.instanceId, filter.type, filter.from, filter.to].some((v) => v !== undefined);
}

/** Whether one item (instance, type, time) falls within the filter. */
export function matchesFilter(filter: OpsFilter, instanceId: string | undefined, type: string | undefined, at: number): boolean {
  return (
    (!filter.instanceId || filter.instanceId === instanceId) &&
    (!filter.type || filter.type === type) &&
    (filter.from === undefined || at >= filter.from) &&
    (filter.to === undefined || at <= filter.to)
  );
}
