import crypto from 'node:crypto';
import calculateSlot from 'cluster-key-slot';

/** Redis Cluster's hash slots. */
const SLOTS = 16384;

/** The most partitions a deployment may have (SNOWGATE_PARTITIONS). */
export const MAX_PARTITIONS = 64;

/** Where the `{hash tag}` of a prefix sits, if it has a non-empty one (Redis hashes only that part of a key). */
function hashTagOf(prefix: string): { open: number; close: number } | undefined {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1 ? { open, close } : undefined;
}

/**
 * The key prefix of partition `p` of `count`. One partition: the base prefix itself (today's keys). Several:
 * the base's hash tag with `-n{count}p{p}` (and `-{k}` where needed) appended, chosen so that its slot lies
 * well inside the p-th of `count` equal slot ranges — the ranges `redis-cli --cluster create` gives equal
 * masters — so that N partitions on N masters (or a multiple) put the same share on each. A prefix without
 * a hash tag (single Redis only) just gets the suffix.
 */
export function partitionPrefix(base: string, p: number, count: number): string {
  if (count === 1) return base;
  const tag = hashTagOf(base);
  if (!tag) return `${base}-n${count}p${p}`;
  const inner = base.slice(tag.open + 1, tag.close);
  const width = SLOTS / count;
  const [low, high] = [p * width + width / 8, (p + 1) * width - width / 8];
  for (let k = 0; ; k++) {
    const candidate = `${inner}-n${count}p${p}${k ? `-${k}` : ''}`;
    const slot = calculateSlot(candidate);
    if (slot >= low && slot < high) return `${base.slice(0, tag.open + 1)}${candidate}${base.slice(tag.close)}`;
  }
}

/** A stable 32-bit hash of a routing key (the same in every process and version). */
function hash32(key: string): number {
  return crypto.createHash('sha1').update(key).digest().readUInt32BE(0);
}

/**
 * How one deployment's keys are laid out in Redis: the base prefix (a hash tag such as `{snowgate}`) holds
 * the control data every process shares — instances, tokens, poller state, subscriber breakers and statuses,
 * write slots, the partition record — and N partitions each hold, under their own hash tag, the queues
 * (intake, ingest, deliver, dead-letter, write, write-dead-letter), change claims, record lanes, the state
 * cache, echo records and replay counters of the records routed to them. A record's changes always go to
 * one partition (by instance, table and sys_id), so its order and deduplication stay inside one slot.
 * With one partition (the default), partition 0 is the base prefix: the keys are exactly those of before.
 */
export class PartitionLayout {
  readonly prefixes: readonly string[];

  constructor(readonly base: string, readonly count = 1) {
    if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) throw new RangeError(`partitions must be 1 to ${MAX_PARTITIONS}, got ${count}`);
    this.prefixes = Array.from({ length: count }, (_, p) => partitionPrefix(base, p, count));
  }

  /** The partitions' indexes, 0 … count − 1. */
  get indexes(): number[] {
    return this.prefixes.map((_, p) => p);
  }

  prefix(p: number): string {
    const prefix = this.prefixes[p];
    if (prefix === undefined) throw new RangeError(`no partition ${p} of ${this.count}`);
    return prefix;
  }

  /** The partition of a record: where its changes, lane, claims and cached state live. */
  ofRecord(instanceId: string, table: string, sysId: string): number {
    return this.ofKey(`${instanceId}|${table}|${sysId}`);
  }

  /** The partition of any other routing key (a write's idempotency key, a journal entry's parent). */
  ofKey(key: string): number {
    return this.count === 1 ? 0 : hash32(key) % this.count;
  }

  /** The partition whose prefix this is, if any. */
  indexOf(prefix: string): number | undefined {
    const p = this.prefixes.indexOf(prefix);
    return p < 0 ? undefined : p;
  }
}
