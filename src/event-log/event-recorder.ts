import type { RedisClient } from '../lib/redis-connections';
import type { RedisScript } from '../lib/redis-script';
import type { EventStatus, TimelineEntry } from './event-entry';
import { EventLogKeys, normalTerm } from './event-log-keys';
import { recordScript } from './record-script';

const DAY_MS = 86_400_000;

/** How the log keeps events. */
export interface EventRecorderOptions {
  /** Redis key prefix (the base prefix, see EventLogKeys). */
  prefix: string;
  /** How long an event is kept after it was received (SNOWGATE_EVENT_LOG_DAYS). */
  days: number;
  /** Most events kept per instance (SNOWGATE_EVENT_LOG_MAX); the oldest go first. */
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

/** Most stages in one script call: a call runs alone in Redis, so it must stay short (well under 1 ms). */
const MAX_BATCH = 50;
/** The script's arguments before the texts (see record-script.ts). */
const FIXED_ARGS = 10;

/**
 * The write side of the event log: stages report to it and it never answers back. What is reported within
 * `flushMs` (or 50 stages) is sent as one script call, without waiting: recording costs the accept and delivery
 * paths no round trip and little CPU (a busy process sends one call for many events), and a failed write — Redis
 * away, its memory full — is counted and dropped: it can never fail or delay a webhook, a delivery or a write.
 */
export class EventRecorder {
  readonly keys: EventLogKeys;
  private readonly script: RedisScript;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private pending: ScriptOp[] = [];
  private texts: string[] = [];
  private timer?: NodeJS.Timeout;
  private failures = 0;

  constructor(redis: RedisClient, private readonly options: EventRecorderOptions) {
    this.keys = new EventLogKeys(options.prefix);
    this.script = recordScript(redis);
    this.ttlMs = options.days * DAY_MS;
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
    try {
      const built = typeof write === 'function' ? write() : write;
      if (!built) return;
      this.pending.push(this.opOf(built));
    } catch (err) {
      this.fail(err as Error, 1);
      return;
    }
    if (this.pending.length >= MAX_BATCH) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.flushMs ?? 25);
      this.timer.unref();
    }
  }

  /** Sends what waits now (at shutdown, and in tests); still without waiting for the answer. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ops = this.pending;
    const texts = this.texts;
    if (ops.length === 0) return;
    this.pending = [];
    this.texts = [];
    const p = this.keys.prefixes;
    this.script(this.keys.all(), String(this.now()), String(this.ttlMs), String(this.options.maxPerInstance), String(this.maxEntries), p.meta, p.body, p.line, p.instance, p.term, JSON.stringify(ops), ...texts)
      .catch((err: Error) => this.fail(err, ops.length));
  }

  private opOf(w: LogWrite): ScriptOp {
    const op: ScriptOp = { i: w.id, n: w.instanceId, m: w.mode, r: w.receivedAt };
    if (w.status) op.s = w.status;
    if (w.reason) op.e = w.reason;
    if (w.entry) op.t = this.text(JSON.stringify(w.entry));
    if (w.body) op.b = this.text(w.body);
    if (w.count) op.c = w.count;
    if (w.job) op.j = w.job;
    const fields = Object.entries(w.fields ?? {}).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [k, String(v)]));
    if (fields.length) op.f = fields;
    const terms = [...new Set((w.terms ?? []).map(normalTerm).filter((t): t is string => t !== undefined))];
    if (terms.length) op.q = terms;
    return op;
  }

  /** Queues a text as an argument of this turn's call; its position among the script's ARGV (1-based). */
  private text(value: string): number {
    this.texts.push(value);
    return FIXED_ARGS + this.texts.length;
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
