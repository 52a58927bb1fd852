import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { WriteMetrics } from './write-metrics';

/** A queue whose job counts the metrics read on each scrape (a BullMQ Queue fits). */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

/** Each subscriber's circuit breaker: its state and how many deliveries it holds. */
export type BreakerSource = () => Promise<ReadonlyArray<{ instanceId: string; state: 'closed' | 'half_open' | 'open'; heldEvents: number }>>;

const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** Seconds until the refresh token of each instance expires (omit instances without one). */
export type RefreshTokenExpirySource = () => Promise<ReadonlyArray<{ instanceId: string; seconds: number }>> | ReadonlyArray<{ instanceId: string; seconds: number }>;

/** Options of {@link Metrics}. */
export interface MetricsOptions {
  /** Queues whose depth per state is read on each scrape. */
  queues?: () => readonly CountableQueue[];
  refreshTokenExpiry?: RefreshTokenExpirySource;
  /** Longest a scrape waits for queue counts or token expiries. Default 1000 ms. */
  collectTimeoutMs?: number;
  /** Also collect Node's default process metrics (prefixed `snowgate_`). Default true. */
  defaultMetrics?: boolean;
}

/** Job states reported by `snowgate_queue_jobs`. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const WORK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const E2E_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Collectors {
  queues(gauge: Gauge<'queue' | 'state'>): Promise<void>;
  expiry(gauge: Gauge<'instance_id'>): Promise<void>;
  breakers(gauge: Gauge<'instance_id'>, figure: 'state' | 'held'): Promise<void>;
}

function createInstruments(registry: Registry, collect: Collectors) {
  const registers = [registry];
  return {
    webhooks: new Counter({ name: 'snowgate_webhooks_received_total', help: 'Webhooks received, by instance, table and outcome', labelNames: ['instance_id', 'table', 'outcome'], registers }),
    ingest: new Histogram({ name: 'snowgate_ingest_duration_seconds', help: 'Time from request to answer on the webhook door', labelNames: ['outcome'], buckets: LATENCY_BUCKETS, registers }),
    queueJobs: new Gauge({
      name: 'snowgate_queue_jobs', help: 'Jobs per queue and state, read on scrape', labelNames: ['queue', 'state'], registers,
      async collect() {
        await collect.queues(this);
      },
    }),
    jobs: new Histogram({ name: 'snowgate_job_duration_seconds', help: 'Job processing time', labelNames: ['queue', 'name', 'outcome'], buckets: WORK_BUCKETS, registers }),
    apiCalls: new Counter({ name: 'snowgate_servicenow_api_calls_total', help: 'ServiceNow API calls, by API and HTTP status', labelNames: ['instance_id', 'api', 'status'], registers }),
    apiDuration: new Histogram({ name: 'snowgate_servicenow_api_duration_seconds', help: 'ServiceNow API call time', labelNames: ['api'], buckets: WORK_BUCKETS, registers }),
    refreshes: new Counter({ name: 'snowgate_token_refreshes_total', help: 'OAuth token refreshes, by outcome', labelNames: ['instance_id', 'outcome'], registers }),
    expiry: new Gauge({
      name: 'snowgate_refresh_token_expiry_seconds', help: 'Seconds until the refresh token expires', labelNames: ['instance_id'], registers,
      async collect() {
        await collect.expiry(this);
      },
    }),
    deliveries: new Counter({ name: 'snowgate_deliveries_total', help: 'Delivery attempts to subscribers, by outcome', labelNames: ['instance_id', 'outcome'], registers }),
    deliveryDuration: new Histogram({ name: 'snowgate_delivery_duration_seconds', help: 'Time of one delivery attempt', labelNames: ['outcome'], buckets: WORK_BUCKETS, registers }),
    endToEnd: new Histogram({ name: 'snowgate_end_to_end_seconds', help: 'From sys_updated_on to delivery', labelNames: ['instance_id', 'type'], buckets: E2E_BUCKETS, registers }),
    pollerRecords: new Counter({ name: 'snowgate_poller_records_total', help: 'Records found by the poller', labelNames: ['instance_id', 'resource'], registers }),
    deadLetters: new Counter({ name: 'snowgate_dead_letters_total', help: 'Events dead-lettered, by reason', labelNames: ['instance_id', 'reason'], registers }),
    eventLogErrors: new Counter({ name: 'snowgate_event_log_write_errors_total', help: 'Stages the event log could not record (Redis away or refusing); the stage itself went on', registers }),
    breakerTransitions: new Counter({ name: 'snowgate_subscriber_breaker_transitions_total', help: "Subscriber circuit breaker transitions seen by this process (to: opened, reopened, closed)", labelNames: ['instance_id', 'to'], registers }),
    breakerState: new Gauge({
      name: 'snowgate_subscriber_breaker_state', help: 'Subscriber circuit breaker state, read on scrape: 0 closed, 1 half-open (probing), 2 open', labelNames: ['instance_id'], registers,
      async collect() {
        await collect.breakers(this, 'state');
      },
    }),
    heldEvents: new Gauge({
      name: 'snowgate_subscriber_held_events', help: "Deliveries held by the subscriber's open circuit breaker, read on scrape", labelNames: ['instance_id'], registers,
      async collect() {
        await collect.breakers(this, 'held');
      },
    }),
  };
}

type Instruments = ReturnType<typeof createInstruments>;

/**
 * Every snowgate metric, on a registry of its own (never prom-client's global one). The ServiceNow
 * instance is the label `instance_id`: Prometheus reserves `instance` for the scrape target and
 * would rename ours to `exported_instance`.
 *
 * Other code calls the small typed methods below and never touches prom-client.
 */
export class Metrics {
  readonly registry = new Registry();
  /** The write direction's metrics (writes received, attempts, dead letters, echoes). */
  readonly writes = new WriteMetrics(this.registry);
  private readonly timeoutMs: number;
  private queues: () => readonly CountableQueue[];
  private refreshTokenExpiry?: RefreshTokenExpirySource;
  private breakerSource?: BreakerSource;
  private readonly c: Instruments;

  constructor(options: MetricsOptions = {}) {
    this.timeoutMs = options.collectTimeoutMs ?? 1000;
    this.queues = options.queues ?? (() => []);
    this.refreshTokenExpiry = options.refreshTokenExpiry;
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'snowgate_' });
    this.c = createInstruments(this.registry, {
      queues: (gauge) => this.collectQueues(gauge),
      expiry: (gauge) => this.collectExpiry(gauge),
      breakers: (gauge, figure) => this.collectBreakers(gauge, figure),
    });
  }

  /** Sets the queues read on scrape (e.g. once the worker's queues exist). */
  setQueues(queues: () => readonly CountableQueue[]): void {
    this.queues = queues;
  }

  /** Sets the callback that reports seconds until each refresh token expires. */
  setRefreshTokenExpirySource(source: RefreshTokenExpirySource): void {
    this.refreshTokenExpiry = source;
  }

  /** Sets the callback that reads every subscriber's breaker on scrape. */
  setBreakerSource(source: BreakerSource): void {
    this.breakerSource = source;
  }

  /** A subscriber's breaker changed state (seen by this process). */
  breakerTransition(instance: string, to: string): void {
    this.c.breakerTransitions.inc({ instance_id: instance, to });
  }

  /** A webhook answered: outcome `accepted`, `duplicate`, or the error code (`invalid_signature`, …). */
  webhookReceived(instance: string, table: string, outcome: string, seconds?: number): void {
    this.c.webhooks.inc({ instance_id: instance, table, outcome });
    if (seconds !== undefined) this.c.ingest.observe({ outcome }, seconds);
  }

  /** A job of `queue` finished: outcome `completed` or `failed`. */
  jobFinished(queue: string, name: string, outcome: string, seconds: number): void {
    this.c.jobs.observe({ queue, name, outcome }, seconds);
  }

  /** One ServiceNow call: api `table` / `case` / `attachment` / `oauth`…, status the HTTP status or `network`. */
  apiCall(instance: string, api: string, status: number | string, seconds?: number): void {
    this.c.apiCalls.inc({ instance_id: instance, api, status: String(status) });
    if (seconds !== undefined) this.c.apiDuration.observe({ api }, seconds);
  }

  /** A token refresh: outcome `ok` or `failed` (or a finer reason). */
  tokenRefresh(instance: string, outcome: string): void {
    this.c.refreshes.inc({ instance_id: instance, outcome });
  }

  /** One delivery attempt: outcome `delivered`, `retryable`, `gone`, `permanent`. */
  delivery(instance: string, outcome: string, seconds?: number): void {
    this.c.deliveries.inc({ instance_id: instance, outcome });
    if (seconds !== undefined) this.c.deliveryDuration.observe({ outcome }, seconds);
  }

  /** An event reached its subscriber: records the time since the record's `sys_updated_on` (UTC `yyyy-MM-dd HH:mm:ss`, RFC 3339 or Date). */
  endToEnd(instance: string, type: string, sysUpdatedOn: string | Date, now = Date.now()): void {
    const text = typeof sysUpdatedOn === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(sysUpdatedOn) ? `${sysUpdatedOn.replace(' ', 'T')}Z` : sysUpdatedOn;
    const at = new Date(text).getTime();
    if (Number.isFinite(at)) this.c.endToEnd.observe({ instance_id: instance, type }, Math.max(0, (now - at) / 1000));
  }

  /** The poller found `count` records of one resource. */
  pollerRecords(instance: string, resource: string, count = 1): void {
    this.c.pollerRecords.inc({ instance_id: instance, resource }, count);
  }

  /** An event was dead-lettered. */
  deadLettered(instance: string, reason: string): void {
    this.c.deadLetters.inc({ instance_id: instance, reason });
  }

  /** A stage could not be written to the event log (it was dropped; what it recorded went on). */
  eventLogError(): void {
    this.c.eventLogErrors.inc();
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Each queue's depth per state, summed over the partitions (each has a queue of that name). */
  private async collectQueues(gauge: Gauge<'queue' | 'state'>): Promise<void> {
    gauge.reset();
    const read = await Promise.all(
      this.queues().map(async (queue) => ({ name: queue.name, counts: await withTimeout(queue.getJobCounts(...QUEUE_STATES), this.timeoutMs).catch(() => undefined) })),
    );
    for (const name of new Set(read.map((r) => r.name))) {
      const all = read.filter((r) => r.name === name).map((r) => r.counts);
      // Redis (or one partition's master) is away: leave this queue out of the scrape rather than report a part of it.
      if (all.some((counts) => counts === undefined)) continue;
      for (const state of QUEUE_STATES) gauge.set({ queue: name, state }, all.reduce((sum, counts) => sum + (counts![state] ?? 0), 0));
    }
  }

  private async collectBreakers(gauge: Gauge<'instance_id'>, figure: 'state' | 'held'): Promise<void> {
    gauge.reset();
    if (!this.breakerSource) return;
    try {
      for (const b of await withTimeout(this.breakerSource(), this.timeoutMs)) {
        gauge.set({ instance_id: b.instanceId }, figure === 'state' ? BREAKER_STATE_VALUE[b.state] : b.heldEvents);
      }
    } catch {
      // Redis is away: no figure rather than a stale one.
    }
  }

  private async collectExpiry(gauge: Gauge<'instance_id'>): Promise<void> {
    gauge.reset();
    if (!this.refreshTokenExpiry) return;
    try {
      for (const { instanceId, seconds } of await withTimeout(Promise.resolve(this.refreshTokenExpiry()), this.timeoutMs)) {
        gauge.set({ instance_id: instanceId }, seconds);
      }
    } catch {
      // No figure is better than a wrong one.
    }
  }
}
