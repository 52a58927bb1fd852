import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { EventLog } from '../event-log/event-log';
import { encodeCursor, parseEventQuery } from '../event-log/event-query';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { dashboardLogin, opsSignInPage } from '../ops/dashboard-login';
import { renderEventDetail } from '../ops/event-detail-page';
import { renderEventList } from '../ops/event-list-page';
import { EVENT_LOG_ASSETS, EVENT_LOG_PATH, eventLogCsp } from '../ops/event-log-layout';
import { EVENT_LOG_SCRIPT } from '../ops/event-log-script';
import { EVENT_LOG_CSS } from '../ops/event-log-style';
import type { LoggedReplay } from '../ops/logged-replay';
import { requireAdmin } from './admin-auth';
import { escapeHtml, sendErrorPage, wantsHtml } from './html-page';

/** A browser asking for an event the log does not hold gets a page that says so, with the way back. */
const notLoggedPage: ErrorRequestHandler = (err, req, res, next) => {
  if (!(err instanceof AppError) || err.httpStatus !== 404 || !wantsHtml(req)) return next(err);
  sendErrorPage(res, err, 'snowgate: not in the event log', `<h1>Not in the event log</h1><p>${escapeHtml(err.message)}.</p><p><a href="${EVENT_LOG_PATH}">All events</a></p>`);
};

/** What the event log's routes need. */
export interface EventLogRoutesDeps {
  adminToken: string;
  /** Absent when the log is off (SNOWGATE_EVENT_LOG_MAX=0): the routes then answer 501. */
  eventLog?: EventLog;
  /** Replay from the log (present with the log). */
  replay?: LoggedReplay;
  /** The instance ids, for the list's filter. */
  instances: () => string[];
  logger: Logger;
}

const queryOf = (req: Request) => Object.fromEntries(Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));

/**
 * The event log, behind the admin token: `GET /ops/api/events` (filters, newest first, cursor paging),
 * `GET /ops/api/events/{id}` (the full timeline), `POST /ops/api/events/{id}/replay`, and the pages
 * `/ops/events` and `/ops/events/{id}` (a browser signs in once with `?token=`, like the dashboard), with
 * their script and stylesheet.
 */
export function createEventLogRoutes(deps: EventLogRoutesDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken);
  const pageGate = [dashboardLogin(deps.adminToken), admin, eventLogCsp];
  const log = (): EventLog => {
    if (!deps.eventLog) throw new AppError('event_log_off', 'The event log is off (SNOWGATE_EVENT_LOG_MAX=0)', 501);
    return deps.eventLog;
  };
  const found = async (id: string) => {
    const detail = await log().store.get(id);
    if (!detail) throw new AppError('event_not_found', `No event or write ${id} in the event log (never seen, or older than its retention)`, 404);
    return detail;
  };

  router.get(EVENT_LOG_ASSETS.script, (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'no-cache').send(EVENT_LOG_SCRIPT);
  });
  router.get(EVENT_LOG_ASSETS.style, (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'no-cache').send(EVENT_LOG_CSS);
  });

  router.get('/ops/api/events', admin, async (req, res) => {
    const page = await log().store.list(parseEventQuery(req.query));
    res.json({ events: page.events, next: page.next ? encodeCursor(page.next) : null, scanned: page.scanned });
  });

  router.get('/ops/api/events/:id', admin, async (req, res) => {
    res.json(await found(String(req.params.id)));
  });

  router.post('/ops/api/events/:id/replay', admin, async (req, res) => {
    log();
    const result = await deps.replay!(String(req.params.id));
    deps.logger.info('replayed from the event log', { id: result.id, kind: result.kind, jobId: result.jobId });
    res.json(result);
  });

  router.get(EVENT_LOG_PATH, ...pageGate, async (req: Request, res: Response) => {
    const query = parseEventQuery(req.query);
    const page = await log().store.list(query);
    res.type('html').send(renderEventList({ page, query, raw: queryOf(req), instances: deps.instances() }));
  });

  router.get(`${EVENT_LOG_PATH}/:id`, ...pageGate, async (req, res) => {
    res.type('html').send(renderEventDetail(await found(String(req.params.id))));
  });

  router.use([EVENT_LOG_PATH, '/ops/api/events'], opsSignInPage('the event log', 'Open the event log'));
  router.use(EVENT_LOG_PATH, notLoggedPage);
  return router;
}
