import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';

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
    const of = partitionOf(queue);
    if (!of) return new BullMQAdapter(queue, { allowRetries: true });
    const [prefix, displayName] = of.old ? [`old-p${of.partition}-`, `${queue.name}, old partition ${of.partition}`] : [`p${of.partition}-`, `${queue.name}, partition ${of.partition}`];
    return new BullMQAdapter(queue, { allowRetries: true, prefix, displayName });
  };
  createBullBoard({
    queues: queues.map(adapterOf),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'snowgate' } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}
