/** The chaos run's figures: what the sender, the subscriber, the queues and the simulator saw, as one printed block. */
import type { EventSubscriber } from '../tests/helpers/event-subscriber';
import type { SendTally } from './chaos-load';

/** Job counts per queue name (waiting, active, delayed, failed, prioritized, …). */
export type QueueCounts = Record<string, Record<string, number>>;

/** The parts of `GET /__sim/stats` the report uses. */
export interface SimStats {
  faults?: Record<string, number>;
  tokenRequests?: Record<string, number>;
  apiRequests?: Record<string, number>;
}

export interface ReportInput {
  machine: string;
  chaos: string[];
  knobs: { errorRate: number; errorStatuses: number[]; accessTokenLifespanSec: number };
  stats: SimStats;
  tally: SendTally;
  subscriber: EventSubscriber;
  /** Event ids of the accepted webhooks. */
  accepted: Set<string>;
  counts?: QueueCounts;
  unexpected: string[];
  startedAt: number;
  sendSeconds: number;
  drainSeconds: number;
}

/** Deliveries the subscriber verified and answered 2xx, per event id (webhook-id = CloudEvent id). */
export function deliveries(subscriber: EventSubscriber): { ids: Map<string, number>; badSignatures: number } {
  const ids = new Map<string, number>();
  let badSignatures = 0;
  for (const d of subscriber.events) {
    if (!d.signatureValid) badSignatures += 1;
    else if (d.status >= 200 && d.status < 300) ids.set(d.headers['webhook-id'], (ids.get(d.headers['webhook-id']) ?? 0) + 1);
  }
  return { ids, badSignatures };
}

/** When repeated deliveries arrived, in 5-second buckets of the run ("45-50 s: 12"), to set beside the chaos events. */
function repeatsByTime(subscriber: EventSubscriber, since: number): string {
  const buckets = new Map<number, number>();
  for (const d of subscriber.events) {
    if (d.attempt < 2 || !d.signatureValid) continue;
    const bucket = Math.floor((d.receivedAt - since) / 5000) * 5;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  }
  return [...buckets].sort(([a], [b]) => a - b).map(([s, n]) => `${s}-${s + 5} s: ${n}`).join(', ') || 'none';
}

const fmt = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
const backlog = (c: Record<string, number>) => c.waiting + c.prioritized + c.active + c.delayed;

/** The printed block, and how many accepted changes were never delivered. */
export function formatReport(r: ReportInput): { text: string; lost: number } {
  const { ids, badSignatures } = deliveries(r.subscriber);
  const lost = [...r.accepted].filter((id) => !ids.has(id));
  const strangers = [...ids.keys()].filter((id) => !r.accepted.has(id));
  const duplicates = [...ids.values()].reduce((a, n) => a + n - 1, 0);
  const apiCalls = Object.values(r.stats.apiRequests ?? {}).reduce((a, n) => a + n, 0);
  const { tally, counts, knobs } = r;
  const lines = [
    '',
    '=== snowgate chaos run ===',
    `machine                 ${r.machine}`,
    `chaos                   ${r.chaos.join('; ')}`,
    `simulator               ${apiCalls} API calls, ${r.stats.faults?.error ?? 0} answered 5xx/429 (errorRate ${knobs.errorRate} over ${knobs.errorStatuses.join('/')}); access tokens live ${knobs.accessTokenLifespanSec} s, token requests ${JSON.stringify(r.stats.tokenRequests ?? {})}`,
    `sent                    ${tally.sent}`,
    `accepted                ${tally.accepted.size} (of which ${tally.acceptedOnRetryAsDuplicate} answered 200 duplicate on a retry)`,
    `not accepted            ${fmt(tally.rejected)}`,
    `sender retries          ${tally.retries} (${fmt(tally.retriesBy)})`,
    `delivered (distinct)    ${ids.size}`,
    `lost                    ${lost.length}${lost.length ? `  e.g. ${lost.slice(0, 5).join(', ')}` : ''}`,
    `duplicate deliveries    ${duplicates} (events delivered more than once: ${[...ids.values()].filter((n) => n > 1).length}; repeats by time of run: ${repeatsByTime(r.subscriber, r.startedAt)})`,
    `unexpected deliveries   ${strangers.length} (ids never accepted), bad signatures ${badSignatures}`,
    `dead-lettered           ${counts ? counts['dead-letter'].waiting : 'n/a'}; failed jobs: intake ${counts?.intake.failed ?? 'n/a'}, ingest ${counts?.ingest.failed ?? 'n/a'}, deliver ${counts?.deliver.failed ?? 'n/a'}`,
    `left in queues          ${counts ? `intake ${backlog(counts.intake)} (fanned out: ${counts.intake.completed >= 1000 ? '≥ 1000 (1000 kept)' : counts.intake.completed} jobs), ingest ${backlog(counts.ingest)}, deliver ${backlog(counts.deliver)}` : 'n/a'}`,
    `unexpected exits        ${r.unexpected.length ? r.unexpected.join('; ') : 'none'}`,
    `took                    ${((Date.now() - r.startedAt) / 1000).toFixed(0)} s (sending ${r.sendSeconds.toFixed(0)} s, then delivery wait ${r.drainSeconds.toFixed(0)} s)`,
    lost.length === 0 ? 'LOST 0 — every accepted change was delivered' : `LOST ${lost.length} — accepted changes that were never delivered`,
  ];
  return { text: lines.join('\n') + '\n', lost: lost.length };
}
