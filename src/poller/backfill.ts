import type { Instance } from '../instances/instance';
import type { EnqueueResult } from '../ingest/change-enqueuer';
import type { RedisClient } from '../lib/redis-connections';
import type { ChangeJob } from '../queues/change-job';
import type { ServiceNowClient } from '../servicenow/servicenow-client';
import type { ListOptions } from '../servicenow/table-query';
import { BackfillCursorStore, type BackfillPosition } from './backfill-cursor';
import { listOptionsFor, resolvePollSpecs, type PollSpec } from './poll-spec';
import { rowToChange } from './row-to-change';

/** Progress of one resource, after each queued page. */
export interface BackfillProgress {
  resource: string;
  table: string;
  done: number;
  /** X-Total-Count at the start (undefined when ServiceNow sent none). */
  total?: number;
}

export interface BackfillDeps {
  instance: Instance;
  client: ServiceNowClient;
  enqueuer: { enqueue(change: ChangeJob): Promise<EnqueueResult> };
  /** Where the resumable cursors live. */
  redis: RedisClient;
  prefix: string;
  /** Changes at or after this instant (in the watermark field of each resource). */
  since: Date;
  /** Rows per request. Default 500. */
  pageSize?: number;
  onProgress?(progress: BackfillProgress): void;
}

/** What a backfill did, per resource. */
export interface BackfillSummary {
  instanceId: string;
  resources: Array<{ resource: string; table: string; rows: number; queued: number; duplicates: number; resumed: boolean }>;
}

/** The sweep query: the resource's filter from `since`, keyset on sys_id (stable while rows change). */
function sweepOptions(spec: PollSpec, since: Date, afterSysId: string | undefined, limit: number): ListOptions {
  const options = listOptionsFor(spec, since);
  const filter = (options.query ?? '').split('^').filter((p) => p !== '' && !p.startsWith('ORDERBY'));
  if (afterSysId) filter.push(`sys_id>${afterSysId}`);
  filter.push('ORDERBYsys_id');
  return { ...options, query: filter.join('^'), limit, offset: 0, suppressPaginationHeader: true, noCount: afterSysId !== undefined };
}

async function sweep(spec: PollSpec, deps: BackfillDeps, cursors: BackfillCursorStore): Promise<BackfillSummary['resources'][number]> {
  const { instance } = deps;
  const saved = await cursors.load(instance.id, spec.key, deps.since);
  const position: BackfillPosition = saved ?? { since: deps.since.toISOString(), done: 0 };
  const outcome = { resource: spec.key, table: spec.changeTable, rows: 0, queued: 0, duplicates: 0, resumed: saved !== undefined };
  const limit = deps.pageSize ?? 500;
  while (!position.complete) {
    const page = await deps.client.listRecords(spec.table, sweepOptions(spec, deps.since, position.afterSysId, limit));
    if (position.total === undefined && page.total !== undefined) position.total = page.total;
    const changes = page.rows.map((r) => rowToChange(instance.id, spec, r, 'backfill')).filter((c): c is ChangeJob => c !== undefined);
    const results = await Promise.all(changes.map((c) => deps.enqueuer.enqueue(c)));
    const duplicates = results.filter((r) => r.duplicate).length;
    outcome.rows += page.rows.length;
    outcome.queued += results.length - duplicates;
    outcome.duplicates += duplicates;
    position.done += page.rows.length;
    const last = page.rows[page.rows.length - 1] as Record<string, unknown> | undefined;
    // ACLs may shorten a page, so only an empty one ends the sweep.
    if (!last || typeof last.sys_id !== 'string') position.complete = true;
    else position.afterSysId = last.sys_id;
    await cursors.save(instance.id, spec.key, position);
    deps.onProgress?.({ resource: spec.key, table: spec.changeTable, done: position.done, total: position.total });
  }
  return outcome;
}

/**
 * Polls history into changes, resource by resource (deletions included where enabled), with the
 * same change jobs and dedupe as live polling (`source: 'backfill'`). The sweep is a keyset over
 * sys_id — stable while records change — and its cursor is saved after every page, so running it
 * again with the same `since` resumes; a finished backfill clears its cursors.
 */
export async function runBackfill(deps: BackfillDeps): Promise<BackfillSummary> {
  const cursors = new BackfillCursorStore(deps.redis, deps.prefix);
  const summary: BackfillSummary = { instanceId: deps.instance.id, resources: [] };
  for (const spec of resolvePollSpecs(deps.instance)) summary.resources.push(await sweep(spec, deps, cursors));
  await cursors.clear(deps.instance.id);
  return summary;
}
