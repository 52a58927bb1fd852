import type { RedisClient } from '../lib/redis-connections';
import type { PartitionLayout } from '../queues/partition-layout';
import type { EventDetail, EventSummary, TimelineEntry } from './event-entry';
import { EventLogPartitions } from './event-log-partitions';
import { mergePages, type EventPage, type PartitionPage } from './event-page';
import { summaryOf } from './event-summary';
import type { EventCursor, EventQuery } from './event-query';

export type { EventPage } from './event-page';

const BATCH = 200;
/** Most events one page looks at (over all partitions) before it answers with what it found (and a cursor to go on). */
const SCAN_BUDGET = 5000;

/**
 * The read side of the event log: the list (newest first, filtered, paged by cursor) and one event with its
 * body and timeline. The list walks an index — the search term's, the instance's, or the global one — and
 * reads the summaries it meets; events whose keys expired meanwhile are skipped. An event is read in its
 * partition (by id); the list walks that index in every partition at once (separate calls: in a cluster they
 * are different slots) and merges the pages newest first (see mergePages).
 */
export class EventStore {
  readonly keys: EventLogPartitions;

  /** A layout, or the base prefix alone (one partition). */
  constructor(private readonly redis: RedisClient, layout: PartitionLayout | string) {
    this.keys = new EventLogPartitions(layout);
  }

  async get(id: string): Promise<EventDetail | undefined> {
    const [meta, body, line] = (await this.redis
      .pipeline()
      .hgetall(this.keys.meta(id))
      .get(this.keys.body(id))
      .lrange(this.keys.line(id), 0, -1)
      .exec())!.map(([err, value]) => {
      if (err) throw err;
      return value;
    }) as [Record<string, string>, string | null, string[]];
    const summary = summaryOf(id, meta);
    if (!summary) return undefined;
    const timeline = line.map((text) => JSON.parse(text) as TimelineEntry).sort((a, b) => a.at - b.at);
    return { ...summary, body: parseBody(body), timeline, droppedEntries: Number(meta.dropped ?? 0) };
  }

  async list(query: EventQuery): Promise<EventPage> {
    const direct = query.q ? await this.summary(query.q) : undefined;
    if (direct) return { events: matches(direct, query) ? [direct] : [], scanned: 1 };
    const indexes = this.keys.partitions.map((k) => (query.q ? k.term(query.q) : query.instanceId ? k.instance(query.instanceId) : k.all()));
    if (indexes.some((index) => index === undefined)) return { events: [], scanned: 0 };
    const budget = Math.ceil(SCAN_BUDGET / this.keys.count);
    return mergePages(await Promise.all(indexes.map((index) => this.walk(index!, query, budget))), query.limit);
  }

  /** One partition's index, newest first from the cursor: up to `limit` matching events, within `budget` looked at. */
  private async walk(index: string, query: EventQuery, budget: number): Promise<PartitionPage> {
    const max = Math.min(query.to ?? Infinity, query.cursor?.at ?? Infinity);
    const min = query.from ?? -Infinity;
    const found: PartitionPage['found'] = [];
    let scanned = 0;
    let last: EventCursor | undefined;
    for (let offset = 0; scanned < budget; offset += BATCH) {
      const raw = await this.redis.zrange(index, bound(max), bound(min), 'BYSCORE', 'REV', 'LIMIT', offset, BATCH, 'WITHSCORES');
      const members = pairs(raw).filter((m) => !query.cursor || m.at !== query.cursor.at || m.id < query.cursor.id);
      const summaries = await this.summaries(members.map((m) => m.id));
      for (const [i, member] of members.entries()) {
        scanned += 1;
        last = member;
        const summary = summaries[i];
        if (summary && matches(summary, query)) found.push({ event: summary, at: member });
        if (found.length === query.limit) return { found, next: member, scanned };
      }
      if (raw.length < BATCH * 2) return { found, scanned };
    }
    return { found, next: last, scanned };
  }

  /** One event's summary, without its body and timeline. */
  async summary(id: string): Promise<EventSummary | undefined> {
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(id)) return undefined;
    return summaryOf(id, await this.redis.hgetall(this.keys.meta(id)));
  }

  private async summaries(ids: string[]): Promise<Array<EventSummary | undefined>> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.meta(id));
    const results = (await pipeline.exec())!;
    return results.map(([err, meta], i) => {
      if (err) throw err;
      return summaryOf(ids[i], meta as Record<string, string>);
    });
  }
}

function bound(value: number): string {
  return value === Infinity ? '+inf' : value === -Infinity ? '-inf' : String(value);
}

function pairs(raw: string[]): EventCursor[] {
  const out: EventCursor[] = [];
  for (let i = 0; i < raw.length; i += 2) out.push({ id: raw[i], at: Number(raw[i + 1]) });
  return out;
}

function matches(e: EventSummary, q: EventQuery): boolean {
  return (
    (!q.instanceId || e.instanceId === q.instanceId) &&
    (!q.table || e.table === q.table) &&
    (!q.type || e.type === q.type) &&
    (!q.status || e.status === q.status) &&
    (!q.kind || e.kind === q.kind) &&
    (q.from === undefined || Date.parse(e.receivedAt) >= q.from) &&
    (q.to === undefined || Date.parse(e.receivedAt) <= q.to)
  );
}

function parseBody(body: string | null): unknown {
  if (body === null) return null;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
