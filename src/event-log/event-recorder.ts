import type { RedisClient } from '../lib/redis-connections';
import type { RedisScript } from '../lib/redis-script';
import type { EventStatus, TimelineEntry } from './event-entry';
import { EventLogKeys } from './event-log-keys';
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
}

/**
 * The write side of the event log: stages report to it and it never answers back. Each report is one script
 * call sent without waiting (the connection pipelines what one event-loop turn sends), so recording costs the
 * accept and delivery paths no round trip, and a failed write — Redis away, a full memory — is counted and
 * dropped: it can never fail or delay a webhook, a delivery or a write.
 */
export class EventRecorder {
  readonly keys: EventLogKeys;
  private readonly script: RedisScript;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private failures = 0;

  constructor(redis: RedisClient, private readonly options: EventRecorderOptions) {
    this.keys = new EventLogKeys(options.prefix);
    this.script = recordScript(redis);
    this.ttlMs = options.days * DAY_MS;
    this.maxEntries = options.maxEntries ?? 200;
    this.now = options.now ?? Date.now;
  }

  /** Writes that failed since start (each also went to `onError`). */
  get failed(): number {
    return this.failures;
  }

  /**
   * Sends one stage to Redis without waiting for the answer. Given a function, builds the stage first, inside
   * the same guard: nothing a stage reports can throw into the path that reports it.
   */
  record(write: LogWrite | (() => LogWrite | undefined)): void {
    let args: string[];
    try {
      const built = typeof write === 'function' ? write() : write;
      if (!built) return;
      args = this.argsOf(built);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    this.script(...args).catch((err: Error) => this.fail(err));
  }

  private argsOf(w: LogWrite): string[] {
    const { keys } = this;
    const terms = [...new Set(w.terms ?? [])].map((t) => (t ? keys.term(t) : undefined)).filter((k): k is string => k !== undefined);
    const fields = Object.entries(w.fields ?? {}).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [k, String(v)]));
    const prefixes = keys.eventPrefixes;
    return [
      String(5 + terms.length),
      keys.meta(w.id), keys.body(w.id), keys.line(w.id), keys.instance(w.instanceId), keys.all(), ...terms,
      w.id, String(this.now()), String(this.ttlMs), String(this.options.maxPerInstance), w.mode, String(w.receivedAt),
      w.status ?? '', w.reason ?? '', w.entry ? JSON.stringify(w.entry) : '', w.body ?? '', w.count ?? '', String(this.maxEntries),
      prefixes.meta, prefixes.body, prefixes.line,
      ...fields,
    ];
  }

  private fail(err: Error): void {
    this.failures += 1;
    try {
      this.options.onError?.(err);
    } catch {
      // reporting a failure of the log must not fail anything either
    }
  }
}
