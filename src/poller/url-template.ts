import { AppError } from '../lib/errors';
import { formatDate, GLIDE_DATE_FORMAT, hasSecondPrecision } from './date-format';

/** `${gmtDate:FORMAT}` (the watermark in GMT) or `${date:FORMAT}` (in the resource's zone); FORMAT optional. */
const PLACEHOLDER = /\$\{(gmtDate|date)(?::([^}]*))?\}/g;

/** How `${date}` placeholders are written when the template does not say. */
export interface PlaceholderDefaults {
  /** Java-style pattern for a placeholder without one. Default `yyyy-MM-dd HH:mm:ss`. */
  format?: string;
  /** IANA zone of `${date:…}`. Default GMT. */
  timeZone?: string;
}

/** Replaces every date placeholder of `text` with `watermark`, formatted as each asks. */
export function expandPlaceholders(text: string, watermark: Date, defaults: PlaceholderDefaults = {}): string {
  return text.replace(PLACEHOLDER, (_m, kind: string, format: string | undefined) =>
    formatDate(watermark, format || defaults.format || GLIDE_DATE_FORMAT, kind === 'gmtDate' ? 'GMT' : defaults.timeZone),
  );
}

/** Whether the template holds a date placeholder at all (else every poll reads the same rows). */
export function hasPlaceholder(text: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(text);
}

/** Whether every placeholder resolves to the second, so that restarting a query at a timestamp is exact. */
export function placeholdersHaveSeconds(text: string, defaults: PlaceholderDefaults = {}): boolean {
  const formats = [...text.matchAll(PLACEHOLDER)].map((m) => m[2] || defaults.format || GLIDE_DATE_FORMAT);
  return formats.length > 0 && formats.every(hasSecondPrecision);
}

/** A poller URL taken apart: the table and its (still unexpanded) query parameters, in order. */
export interface ParsedResourceUrl {
  table: string;
  params: Array<[string, string]>;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A raw `%` (e.g. `LIKE50%`) is not an escape: keep the text as written.
    return text;
  }
}

/**
 * Parses `/api/now/table/{table}?sysparm_query=…` (also `/api/now/v2/table/…` or an absolute URL).
 * `+` stays a plus (ServiceNow queries are written unencoded in configurations). Throws 400 `invalid_poller_url`.
 */
export function parseResourceUrl(url: string): ParsedResourceUrl {
  const withoutOrigin = url.trim().replace(/^https?:\/\/[^/]+/i, '');
  const q = withoutOrigin.indexOf('?');
  const path = q < 0 ? withoutOrigin : withoutOrigin.slice(0, q);
  const m = /^\/api\/now\/(?:v[12]\/)?table\/([A-Za-z0-9_]+)\/?$/.exec(path);
  if (!m) {
    throw new AppError('invalid_poller_url', `Poller URL "${path}" is not a Table API list path (/api/now/table/{table}?sysparm_query=…)`, 400);
  }
  const params: Array<[string, string]> = [];
  for (const part of q < 0 ? [] : withoutOrigin.slice(q + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    params.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return { table: m[1], params };
}
