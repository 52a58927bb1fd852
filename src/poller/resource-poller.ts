import type { EnqueueResult } from '../ingest/change-enqueuer';
import type { ChangeJob, ChangeSource } from '../queues/change-job';
import { nextPage } from '../servicenow/paginate';
import type { ServiceNowClient } from '../servicenow/servicenow-client';
import type { ListOptions, ListPage, ServiceNowRecord } from '../servicenow/table-query';
import { listOptionsFor, type PollSpec } from './poll-spec';
import { rowTimestamp, rowToChange } from './row-to-change';
import type { WatermarkStore } from './watermark-store';

/** What one poll of one resource needs. */
export interface ResourcePollDeps {
  instanceId: string;
  client: ServiceNowClient;
  enqueuer: { enqueue(change: ChangeJob): Promise<EnqueueResult> };
  watermarks: WatermarkStore;
  /** Re-read this far behind the watermark (one-second timestamps, zone-rounded literals). */
  overlapMs: number;
  /** Rows per request unless the resource URL sets sysparm_limit. */
  pageSize: number;
  /** Requests per poll at most; the next poll continues from the stored watermark. */
  maxPages: number;
  /** Where a resource that was never polled starts. */
  initialWatermark(): Date;
  /** Called after each page was queued (keep a lock alive, count metrics). */
  onPage?(info: PageInfo): Promise<void> | void;
  source?: ChangeSource;
}

/** One page of a poll, after its changes were queued. */
export interface PageInfo {
  resource: string;
  rows: number;
  queued: number;
  duplicates: number;
}

/** The outcome of one poll of one resource. */
export interface ResourcePollResult {
  resource: string;
  pages: number;
  rows: number;
  queued: number;
  duplicates: number;
  /** The watermark stored at the end. */
  watermark: Date;
  /** The page cap was reached with rows left: the next poll goes on. */
  more: boolean;
}

const SECOND = 1000;

/** Where the next request starts: at a timestamp, after a sys_id within that second, at an offset. */
interface Cursor {
  from: number;
  afterSysId?: string;
  offset: number;
}

/**
 * Polls one resource from its watermark and queues a change per row. The watermark means "every row
 * older than this is queued"; it is stored only after a page's enqueues resolved.
 *
 * Keyset mode (a template narrowing to the second, sorted by the watermark field then sys_id): each
 * request is a fresh query restarting at the last row seen — `ts >= T` and, while inside one second,
 * `sys_id > L` — so rows updated during the poll never shift a page and none is skipped; a page cut
 * short by ACLs is continued by offset. Otherwise: offset paging by Link / X-Total-Count.
 * Rows of the overlap are seen again; the enqueuer's dedupe turns them into duplicates, not events.
 */
export async function pollResource(spec: PollSpec, deps: ResourcePollDeps): Promise<ResourcePollResult> {
  const { watermarks, instanceId } = deps;
  let stored = await watermarks.get(instanceId, spec.key);
  if (!stored) {
    stored = deps.initialWatermark();
    await watermarks.set(instanceId, spec.key, stored);
  }
  let watermark = stored.getTime();
  const result: ResourcePollResult = { resource: spec.key, pages: 0, rows: 0, queued: 0, duplicates: 0, watermark: stored, more: false };
  const limit = spec.pageSize ?? deps.pageSize;
  let cursor: Cursor | undefined = { from: watermark - Math.max(deps.overlapMs, spec.pollDelayMs ?? 0), offset: 0 };
  // Offset sweeps cannot resume mid-way, so they get a larger page budget than keyset polls.
  const maxPages = spec.keyset ? deps.maxPages : deps.maxPages * 20;
  let newest = -Infinity;

  while (cursor && result.pages < maxPages) {
    const request: ListOptions = { ...listOptionsFor(spec, new Date(cursor.from), cursor.afterSysId), limit, offset: cursor.offset };
    const page = await deps.client.listRecords(spec.table, request);
    result.pages += 1;
    const info = await queuePage(spec, deps, page.rows);
    result.rows += page.rows.length;
    result.queued += info.queued;
    result.duplicates += info.duplicates;
    newest = Math.max(newest, ...timestamps(spec, page.rows));

    const more = nextPage(page as ListPage<unknown>) !== undefined;
    const step: Step = spec.keyset ? keysetStep(spec, cursor, page, limit, more) : offsetStep(cursor, newest, limit, more);
    if (step.safe > watermark) {
      watermark = step.safe;
      await watermarks.set(instanceId, spec.key, new Date(watermark));
    }
    await deps.onPage?.({ resource: spec.key, rows: page.rows.length, ...info });
    cursor = step.next;
  }
  result.more = cursor !== undefined;
  result.watermark = new Date(watermark);
  return result;
}

async function queuePage(spec: PollSpec, deps: ResourcePollDeps, rows: ServiceNowRecord[]): Promise<{ queued: number; duplicates: number }> {
  const changes = rows.map((r) => rowToChange(deps.instanceId, spec, r, deps.source ?? 'poll')).filter((c): c is ChangeJob => c !== undefined);
  const results = await Promise.all(changes.map((c) => deps.enqueuer.enqueue(c)));
  const duplicates = results.filter((r) => r.duplicate).length;
  return { queued: results.length - duplicates, duplicates };
}

function timestamps(spec: PollSpec, rows: ServiceNowRecord[]): number[] {
  return rows.map((r) => rowTimestamp(spec, r as Record<string, string>)).filter((t): t is number => t !== undefined);
}

/** The watermark that is safe after a page, and where to go next (none: done). */
interface Step {
  safe: number;
  next?: Cursor;
}

function keysetStep(spec: PollSpec, cursor: Cursor, page: ListPage<ServiceNowRecord>, limit: number, more: boolean): Step {
  const times = timestamps(spec, page.rows);
  const last = page.rows[page.rows.length - 1] as Record<string, string> | undefined;
  const lastTs = last ? rowTimestamp(spec, last) : undefined;
  if (cursor.afterSysId !== undefined && (!more || times.some((t) => t > cursor.from))) {
    // The rows of second `from` are done; later rows were filtered by sys_id here: restart after that second.
    return { safe: cursor.from + SECOND, next: { from: cursor.from + SECOND, offset: 0 } };
  }
  if (!more) return { safe: Math.max(cursor.from, ...times) };
  // A page emptied by ACLs (or rows without a readable timestamp): continue by offset.
  if (!last || lastTs === undefined || !last.sys_id) return { safe: cursor.from, next: { ...cursor, offset: cursor.offset + limit } };
  // Every row older than the last one is queued; go on after it, inside its second.
  return { safe: lastTs, next: { from: lastTs, afterSysId: last.sys_id, offset: 0 } };
}

function offsetStep(cursor: Cursor, newest: number, limit: number, more: boolean): Step {
  // Without keyset the order is not known to follow the watermark: only a finished sweep moves it.
  if (!more) return { safe: Math.max(cursor.from, newest) };
  return { safe: cursor.from, next: { ...cursor, offset: cursor.offset + limit } };
}
