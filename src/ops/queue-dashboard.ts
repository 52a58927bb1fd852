import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { QUEUE_NAMES } from '../queues/queue-names';

/** Where the dashboard lives. */
export const DASHBOARD_PATH = '/ops/queues';

/**
 * Bull Board's UI only needs its own scripts, but it styles with inline `style` attributes and a
 * `<style>` element, and loads IBM Plex from Google Fonts; this policy allows exactly that.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' data: https://fonts.gstatic.com",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Replaces helmet's app-wide CSP with {@link DASHBOARD_CSP} for the dashboard's pages. */
export const dashboardCsp: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  next();
};

/** What each snowgate queue holds, shown under its name. */
const DESCRIPTIONS: Record<string, string> = {
  [QUEUE_NAMES.intake]: 'Groups of changes accepted while the api was saturated; the workers fan them out into ingest.',
  [QUEUE_NAMES.ingest]: 'Accepted changes (webhook, poll, backfill) waiting for enrichment.',
  [QUEUE_NAMES.deliver]: 'Events waiting for delivery, retries and deliveries held by a subscriber\'s circuit breaker.',
  [QUEUE_NAMES.deadLetter]: 'Events whose delivery was given up. No worker by design: they wait here for an operator — find and replay them in the event log (/ops/events).',
  [QUEUE_NAMES.write]: 'Writes into ServiceNow (actions and direct writes).',
  [QUEUE_NAMES.writeDeadLetter]: 'Writes given up. No worker by design: they wait here for an operator — find and replay them in the event log (/ops/events).',
  [QUEUE_NAMES.poll]: 'Poller ticks, one scheduler per polling instance.',
};

/** Queues no worker consumes, by design: they hold what an operator judges and replays. */
const PARKING_QUEUES = new Set<string>([QUEUE_NAMES.deadLetter, QUEUE_NAMES.writeDeadLetter]);

/**
 * A dead-letter queue as the board shows it: its workers are reported as unknown rather than none, so the board
 * does not flag it "No workers" — having none is the point (its description says so).
 */
class ParkingQueueAdapter extends BullMQAdapter {
  override async getWorkers(): Promise<null> {
    return null;
  }
}

/** Which partition a queue is of: its index, and `old` for a partition of the count before the last change while it is drained. */
export interface QueuePartition {
  partition: number;
  old?: true;
}

/**
 * The Bull Board UI and its API for the given queues, as an Express handler to mount at {@link DASHBOARD_PATH}.
 * A partition's queue is listed as `p{n}-{name}` ("ingest, partition 1"; `old-p{n}-…` for an old partition), since
 * each partition has one of each.
 */
export function createQueueDashboard(queues: readonly Queue[], partitionOf: (queue: Queue) => QueuePartition | undefined = () => undefined, basePath = DASHBOARD_PATH): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  const adapterOf = (queue: Queue) => {
    const Adapter = PARKING_QUEUES.has(queue.name) ? ParkingQueueAdapter : BullMQAdapter;
    const common = { allowRetries: true, description: DESCRIPTIONS[queue.name] ?? '' };
    const of = partitionOf(queue);
    if (!of) return new Adapter(queue, common);
    const [prefix, displayName] = of.old ? [`old-p${of.partition}-`, `${queue.name}, old partition ${of.partition}`] : [`p${of.partition}-`, `${queue.name}, partition ${of.partition}`];
    return new Adapter(queue, { ...common, prefix, displayName });
  };
  createBullBoard({
    queues: queues.map(adapterOf),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'snowgate', miscLinks: [{ text: 'Event log', url: '/ops/events' }] } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}
