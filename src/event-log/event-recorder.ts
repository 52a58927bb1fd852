import type { RedisClient } from '../lib/redis-connections';
import type { RedisScript } from '../lib/redis-script';
import type { PartitionLayout } from '../queues/partition-layout';
import type { EventStatus, TimelineEntry } from './event-entry';
import { normalTerm } from './event-log-keys';
import { EventLogPartitions } from './event-log-partitions';
import { recordScript } from './record-script';

const DAY_MS = 86_400_000;

/** How the log keeps events. */
export interface EventRecorderOptions {
  /** The deployment's partitions, or its base prefix alone (one partition); see EventLogPartitions. */
  layout: PartitionLayout | string;
  /** How long an event is kept after it was received (SNOWGATE_EVENT_LOG_DAYS). */
  days: number;
  /**
   * Most events kept per instance (SNOWGATE_EVENT_LOG_MAX); the oldest go first. With N partitions each keeps
   * ceil(max / N) of an instance's events: the bound holds for the instance in total, approximately.
   */
  maxPerInstance: number;
  /** Most timeline entries per event (default 200): the first and the latest are kept. */
  maxEntries?: number;
  /** Called when a write to the log failed (it is dropped): count it, log it at debug. */
  onError?: (err: Error) => void;
  /**
   * How long stages wait to be written together (default 25 ms): a busy process sends one call for many events,
   * a quiet one at most 40 calls a second (each is a round trip the process wakes up for).
   */
  flushMs?: number;
  now?: () => number;
}

/** What one stage reports: the event it belongs to, and what to set, append and index. */
export interface LogWrite {
  id: string;
  instanceId: string;
  /** See the record script: `new` (received), `stage` (anything later), `dup` (only if logged), `replay`. */
  mode: 'new' | 'stage' | 'dup' | 'replay';
  /** When the event was received: its place in the indexes. */
  receivedAt: number;
  status?: EventStatus;
  /** Why it is dead-lettered, skipped or failed (cleared by a status without one). */
  reason?: string;
  entry?: TimelineEntry;
  /** The body, stored once (a later body replaces it). */
  body?: string;
  /** A counter of the summary to increment. */
  count?: 'attempts' | 'duplicates';
  fields?: Record<string, string | number | undefined>;
  /** sys_ids and record numbers that find the event (see EventLogKeys.term). */
  terms?: ReadonlyArray<string | undefined>;
  /**
   * The job a stage belongs to. A replay names its new job: should a stage of that job have been written first
   * (the replay's own stage lost the race), the replay leaves the status that stage set.
   */
  job?: string;
}

/** One stage as the record script reads it (see record-script.ts); `t` and `b` are positions of the texts among its arguments. */
interface ScriptOp {
  i: string;
  n: string;
  m: LogWrite['mode'];
  r: number;
  s?: string;
  e?: string;
  t?: number;
  b?: number;
  c?: string;
  j?: string;
  f?: string[];
  q?: string[];
}

/** The stages of one partition waiting for this turn's call, and the texts they point to. */
interface PartitionBatch {
  ops: ScriptOp[];
  texts: string[];
}

/** Most stages in one script call (one partition's): a call runs alone in Redis, so it must stay short (well under 1 ms). */
const MAX_BATCH = 50;
/** The script's arguments before the texts (see record-script.ts). */
const FIXED_ARGS = 10;

/**
 * The write side of the event log: stages report to it and it never answers back. What is reported within
 * `flushMs` (or 50 stages) is sent as one script call, without waiting: recording costs the accept and delivery
 * paths no round trip and little CPU (a busy process sends one call for many events), and a failed write — Redis
 * away, its memory full — is counted and dropped: it can never fail or delay a webhook, a delivery or a write.
 * With several partitions, a turn's stages are grouped by their event's partition: one call per partition
 * (each routed, in a cluster, by that partition's global index), each failing or succeeding on its own.
 */
export class EventRecorder {
  readonly keys: EventLogPartitions;
  private readonly script: RedisScript;
  private readonly ttlMs: number;
  private readonly maxPerPartition: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private batches = new Map<number, PartitionBatch>();
  private timer?: NodeJS.Timeout;
  private failures = 0;

  constructor(redis: RedisClient, private readonly options: EventRecorderOptions) {
    this.keys = new EventLogPartitions(options.layout);
    this.script = recordScript(redis);
    this.ttlMs = options.days * DAY_MS;
    this.maxPerPartition = this.keys.perPartition(options.maxPerInstance);
    this.maxEntries = options.maxEntries ?? 200;
    this.now = options.now ?? Date.now;
  }

  /** Stages that could not be written since start (each failure also went to `onError`). */
  get failed(): number {
    return this.failures;
  }

  /**
   * Queues one stage for this turn's write. Given a function, builds the stage first, inside the same guard:
   * nothing a stage reports can throw into the path that reports it.
   */
  record(write: LogWrite | (() => LogWrite | undefined)): void {
    let full = false;
    try {
      const built = typeof write === 'function' ? write() : write;
      if (!built) return;
      const p = this.keys.of(built.id);
      let batch = this.batches.get(p);
      if (!batch) this.batches.set(p, (batch = { ops: [], texts: [] }));
      batch.ops.push(this.opOf(built, batch.texts));
      full = batch.ops.length >= MAX_BATCH;
    } catch (err) {
      this.fail(err as Error, 1);
      return;
    }
    if (full) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.flushMs ?? 25);
      this.timer.unref();
    }
  }

  /** Sends what waits now (at shutdown, and in tests); still without waiting for the answer. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = this.batches;
    if (batches.size === 0) return;
    this.batches = new Map();
    const now = String(this.now());
    for (const [p, { ops, texts }] of batches) {
      if (ops.length === 0) continue;
      const keys = this.keys.at(p);
      const k = keys.prefixes;
      const args = [now, String(this.ttlMs), String(this.maxPerPartition), String(this.maxEntries), k.meta, k.body, k.line, k.instance, k.term];
      try {
        this.script(keys.all(), ...args, JSON.stringify(ops), ...texts).catch((err: Error) => this.fail(err, ops.length));
      } catch (err) {
        this.fail(err as Error, ops.length);
      }
    }
  }

  private opOf(w: LogWrite, texts: string[]): ScriptOp {
    const op: ScriptOp = { i: w.id, n: w.instanceId, m: w.mode, r: w.receivedAt };
    if (w.status) op.s = w.status;
    if (w.reason) op.e = w.reason;
    if (w.entry) op.t = textAt(texts, JSON.stringify(w.entry));
    if (w.body) op.b = textAt(texts, w.body);
    if (w.count) op.c = w.count;
    if (w.job) op.j = w.job;
    const fields = Object.entries(w.fields ?? {}).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [k, String(v)]));
    if (fields.length) op.f = fields;
    const terms = [...new Set((w.terms ?? []).map(normalTerm).filter((t): t is string => t !== undefined))];
    if (terms.length) op.q = terms;
    return op;
  }

  private fail(err: Error, stages: number): void {
    this.failures += stages;
    try {
      this.options.onError?.(err);
    } catch {
      // reporting a failure of the log must not fail anything either
    }
  }
}

/** Queues a text as an argument of a partition's call; its position among the script's ARGV (1-based). */
function textAt(texts: string[], value: string): number {
  texts.push(value);
  return FIXED_ARGS + texts.length;
}
