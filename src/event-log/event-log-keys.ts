/**
 * Every Redis key of one partition of the event log, built here and nowhere else (EventLogPartitions picks the
 * partition). An event belongs to the partition of its id (`PartitionLayout.ofKey(id)`), and everything about it
 * lives under that partition's prefix (`PartitionLayout.prefix(p)`, its own hash tag): its meta, body and
 * timeline, and its place in the instance, global and term indexes. Each partition is thus a whole event log in
 * one cluster slot — the trimming script touches an instance's index and the events it drops in one call — and
 * N partitions spread the log's commands over N masters; reads merge the partitions (see EventStore). With one
 * partition (the default), its prefix is the base prefix (e.g. `{snowgate}`): the keys of before.
 *
 * While the partition count changes (see PartitionMigration), events logged under the old count stay under the
 * old prefixes, which the log no longer reads or writes: they are not listed or found any more, and age out by
 * their TTL (SNOWGATE_EVENT_LOG_DAYS) — every key of the log expires. The later stages of an event in flight
 * across the change go to its partition under the new count (kept there, not listed: its `received` is not).
 *
 * - `{p}:evlog:meta:{id}` hash: the summary (instance, table, sys_id, number, type, status, counts…), TTL
 * - `{p}:evlog:body:{id}` string: the CloudEvent as delivered (or a write's request), stored once, TTL
 * - `{p}:evlog:line:{id}` list: the timeline, one JSON entry per stage, TTL
 * - `{p}:evlog:instance:{instanceId}` sorted set: the instance's events by received time (trimmed by count and age)
 * - `{p}:evlog:all` sorted set: every event by received time (trimmed by age)
 * - `{p}:evlog:term:{term}` sorted set: the events a sys_id or a record number names (lower case), TTL
 */
export class EventLogKeys {
  private readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}:evlog:`;
  }

  /** The prefixes of the keys below, for the record script (it appends an id, an instance id or a normal term). */
  get prefixes(): { meta: string; body: string; line: string; instance: string; term: string } {
    return { meta: `${this.base}meta:`, body: `${this.base}body:`, line: `${this.base}line:`, instance: `${this.base}instance:`, term: `${this.base}term:` };
  }

  meta(id: string): string {
    return `${this.base}meta:${id}`;
  }

  body(id: string): string {
    return `${this.base}body:${id}`;
  }

  line(id: string): string {
    return `${this.base}line:${id}`;
  }

  instance(instanceId: string): string {
    return `${this.base}instance:${instanceId}`;
  }

  all(): string {
    return `${this.base}all`;
  }

  /** The index of a search term; undefined for a term that cannot be one (empty, or longer than 64). */
  term(term: string): string | undefined {
    const normal = normalTerm(term);
    return normal ? `${this.base}term:${normal}` : undefined;
  }
}

/** A search term as indexed: trimmed and lower case; undefined when empty or longer than 64 characters. */
export function normalTerm(term: string | undefined): string | undefined {
  const normal = term?.trim().toLowerCase();
  return normal && normal.length <= 64 ? normal : undefined;
}
