/**
 * Every Redis key of the event log, built here and nowhere else. They live under the base prefix (the
 * deployment's hash tag, e.g. `{snowgate}`), beside other control data and apart from any partition's queues:
 * the log is read across instances and partitions (newest first, by number), and the trimming script touches
 * an instance's index and the events it drops in one call, which needs them in one cluster slot.
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
