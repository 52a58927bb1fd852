import type { Request, Response } from 'express';
import type { AppError } from '../lib/errors';

/** Text made safe to place in HTML (element content and quoted attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A small, script-free HTML page; `body` is HTML the caller has escaped. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;margin:3em auto;max-width:40em;line-height:1.5}code{background:#f3f3f3;padding:0 .2em}</style>' +
    `</head><body>${body}</body></html>`;
}

/** True when the client is a browser asking for a page rather than an API client asking for JSON. */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

/** Answers an error as a page for a person in a browser: the status and code stay those of the JSON error. */
export function sendErrorPage(res: Response, error: AppError, title: string, body: string): void {
  for (const [k, v] of Object.entries(error.options.headers ?? {})) res.setHeader(k, v);
  res.locals.errorCode = error.code;
  res.status(error.httpStatus).type('html').send(htmlPage(title, body));
}
