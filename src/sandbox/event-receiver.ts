import express, { type Request, type Response, type Router } from 'express';
import { HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { escapeHtml } from '../http/html-page';
import { AppError } from '../lib/errors';

/** One event the sandbox receiver accepted. */
export interface ReceivedEvent {
  /** Epoch ms of arrival. */
  receivedAt: number;
  webhookId: string;
  /** The CloudEvent as JSON (specversion, id, type, source, subject, time, data, extensions). */
  event: Record<string, unknown>;
}

/** The last `capacity` received events, in memory, newest first. */
export class ReceivedEventStore {
  private readonly items: ReceivedEvent[] = [];

  /** @param capacity how many events are kept (default 200). */
  constructor(private readonly capacity = 200) {}

  add(item: ReceivedEvent): void {
    this.items.unshift(item);
    if (this.items.length > this.capacity) this.items.length = this.capacity;
  }

  /** Newest first. */
  list(): ReceivedEvent[] {
    return [...this.items];
  }

  clear(): void {
    this.items.length = 0;
  }
}

/** What the receiver needs. */
export interface EventReceiverDeps {
  /** The `whsec_…` key deliveries are signed with (a function to follow rotation). */
  signatureKey: string | (() => string);
  store: ReceivedEventStore;
  /** Path prefix of the routes (default `/sandbox`: the router is mounted at the app's root). */
  basePath?: string;
  /** Largest body accepted. Default 1 MiB. */
  limit?: string;
  /**
   * The event log's view of these events (`/ops/events?instance=sandbox`): a browser asking for the page is sent
   * there — every attempt, searchable, refreshing. Without it, a plain table of what arrived.
   */
  eventLogUrl?: string;
}

function fail(res: Response, error: AppError): void {
  res.status(error.httpStatus).json(error.toBody());
}

function renderHtml(items: ReceivedEvent[]): string {
  const rows = items
    .map(({ receivedAt, event }) => {
      const cells = [new Date(receivedAt).toISOString(), event.type, event.subject, event.id, JSON.stringify(event.data ?? null, null, 2)];
      return `<tr>${cells.map((c, i) => `<td>${i === 4 ? `<pre>${escapeHtml(String(c))}</pre>` : escapeHtml(String(c ?? ''))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>snowgate sandbox — delivered events</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}pre{margin:0;max-height:12em;overflow:auto;font-size:.85em}</style></head>
<body><h1>Delivered events</h1><p>${items.length} event(s), newest first. Reload to refresh.</p>
<table><thead><tr><th>received</th><th>type</th><th>subject</th><th>id</th><th>data</th></tr></thead><tbody>
${rows || '<tr><td colspan="5">Nothing delivered yet.</td></tr>'}
</tbody></table></body></html>`;
}

/**
 * The sandbox's built-in subscriber: `POST {basePath}/receiver` verifies the Standard Webhooks signature
 * on the raw body (401 `invalid_signature`), parses the CloudEvent (400 `invalid_cloudevent`), stores it
 * and answers 204; `GET {basePath}/events` lists what arrived, newest first, as JSON, or for a browser redirects to
 * the event log's preset view (a plain table without one).
 */
export function createEventReceiverRoutes(deps: EventReceiverDeps): Router {
  const router = express.Router();
  const base = deps.basePath ?? '/sandbox';
  const key = typeof deps.signatureKey === 'function' ? deps.signatureKey : () => deps.signatureKey as string;

  router.post(`${base}/receiver`, express.raw({ type: () => true, limit: deps.limit ?? '1mb' }), (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
    try {
      new Webhook(key()).verify(body, headers, { jsonParse: false });
    } catch {
      return fail(res, new AppError('invalid_signature', 'The webhook signature is missing, stale or wrong', 401));
    }
    let event: Record<string, unknown>;
    try {
      const parsed = HTTP.toEvent<Record<string, unknown>>({ headers, body });
      if (Array.isArray(parsed)) throw new Error('batches are not accepted');
      event = { ...parsed };
    } catch (err) {
      return fail(res, new AppError('invalid_cloudevent', `The body is not a CloudEvent: ${(err as Error).message}`, 400));
    }
    deps.store.add({ receivedAt: Date.now(), webhookId: headers['webhook-id'], event });
    res.status(204).end();
  });

  router.get(`${base}/events`, (req: Request, res: Response) => {
    const items = deps.store.list();
    if (req.accepts(['json', 'html']) !== 'html') res.json(items);
    else if (deps.eventLogUrl) res.redirect(303, deps.eventLogUrl);
    else res.type('html').send(renderHtml(items));
  });

  return router;
}
