import type { RequestHandler } from 'express';
import { html, type SafeHtml } from '../http/html-template';
import type { EventStatus } from '../event-log/event-entry';

/** Where the event log's pages live (the cookie the dashboard login sets is scoped to `/ops`). */
export const EVENT_LOG_PATH = '/ops/events';
/** The pages' script and stylesheet (public: they hold nothing but code). */
export const EVENT_LOG_ASSETS = { script: '/ops/assets/event-log.js', style: '/ops/assets/event-log.css' };

/** The pages run only their own script and stylesheet: nothing inline, nothing from elsewhere. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Replaces helmet's CSP with the pages' own (helmet's `upgrade-insecure-requests` would break a plain-HTTP sandbox). */
export const eventLogCsp: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** A status as a coloured badge. */
export function statusBadge(status: EventStatus | string): SafeHtml {
  return html`<span class="badge s-${status}">${status.replace('_', ' ')}</span>`;
}

/** An epoch-ms or RFC 3339 time as the pages show it: UTC, to the millisecond. */
export function shownTime(at: number | string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** A whole page of the ops area: header with its links, then `main`. */
export function opsPage(title: string, main: SafeHtml): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="${EVENT_LOG_ASSETS.style}"><script src="${EVENT_LOG_ASSETS.script}" defer></script></head>
<body><header><span class="brand">snowgate</span><nav><a href="${EVENT_LOG_PATH}">Event log</a><a href="/ops/queues">Queues</a><a href="/openapi.json">API</a></nav></header>
<main>${main}</main></body></html>`.text;
}
