import { AppError } from '../lib/errors';
import { EVENT_STATUSES, type EventStatus } from './event-entry';

/** A place in the list: the received time and id of the last event a page showed. */
export interface EventCursor {
  at: number;
  id: string;
}

/** What `GET /ops/api/events` asks for. Times are epoch ms, inclusive, of when events were received. */
export interface EventQuery {
  instanceId?: string;
  table?: string;
  /** CloudEvent type (`com.servicenow.case.updated`) or `write.insert` / `write.update`. */
  type?: string;
  status?: EventStatus;
  kind?: 'event' | 'write';
  from?: number;
  to?: number;
  /** An event or write id, a sys_id or a record number (case-insensitive, whole). */
  q?: string;
  /** Events per page: default 50, at most 500. */
  limit: number;
  cursor?: EventCursor;
}

function bad(key: string, message: string): AppError {
  return new AppError('invalid_filter', `${key} ${message}`, 400, { details: [{ path: `/${key}`, message }] });
}

function text(source: Record<string, unknown>, key: string, max = 200): string | undefined {
  const value = source[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw bad(key, 'must be a string');
  if (value.length > max) throw bad(key, `must be at most ${max} characters`);
  return value.trim() || undefined;
}

/** An ISO 8601 date-time (a browser's `datetime-local` is read as UTC) or epoch milliseconds. */
function time(source: Record<string, unknown>, key: string): number | undefined {
  const raw = text(source, key);
  if (raw === undefined) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(raw) ? `${raw}Z` : raw);
  if (!Number.isFinite(ms)) throw bad(key, 'must be an ISO 8601 date-time or epoch milliseconds');
  return ms;
}

/** The opaque cursor a page hands out. */
export function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(`${cursor.at}_${cursor.id}`).toString('base64url');
}

function decodeCursor(raw: string | undefined): EventCursor | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+)_([A-Za-z0-9_-]+)$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!match) throw bad('cursor', 'is not a cursor this API handed out');
  return { at: Number(match[1]), id: match[2] };
}

/**
 * Reads `instance`, `table`, `type`, `status`, `kind`, `from`, `to`, `q`, `limit` and `cursor` from a query
 * string. Throws AppError 400 `invalid_filter` naming the parameter.
 */
export function parseEventQuery(source: unknown): EventQuery {
  const s = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  const limit = s.limit === undefined || s.limit === '' ? 50 : Number(s.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw bad('limit', 'must be an integer from 1 to 500');
  const status = text(s, 'status');
  if (status !== undefined && !EVENT_STATUSES.includes(status as EventStatus)) throw bad('status', `must be one of ${EVENT_STATUSES.join(', ')}`);
  const kind = text(s, 'kind');
  if (kind !== undefined && kind !== 'event' && kind !== 'write') throw bad('kind', 'must be event or write');
  const query: EventQuery = {
    instanceId: text(s, 'instance'),
    table: text(s, 'table'),
    type: text(s, 'type'),
    status: status as EventStatus | undefined,
    kind: kind as EventQuery['kind'],
    from: time(s, 'from'),
    to: time(s, 'to'),
    q: text(s, 'q', 100),
    limit,
    cursor: decodeCursor(text(s, 'cursor')),
  };
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw bad('from', 'must not be after to');
  return query;
}
