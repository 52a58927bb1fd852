import { decodeOrKeep } from '../lib/decode-uri';
import { AppError } from '../lib/errors';
import { parseHubUrl, type HubUrl } from './hub-url';

/** A poller URL taken apart: the table and its (still unexpanded) query parameters, in order. */
export interface ParsedResourceUrl {
  table: string;
  params: Array<[string, string]>;
  /** Set when the URL was a Cloud Elements hub URL: what it was translated from. */
  hub?: HubUrl;
}

/**
 * Parses a poller URL: a Table API list path `/api/now/table/{table}?sysparm_query=…` (also `/api/now/v2/table/…`
 * or an absolute URL; `+` stays a plus, as ServiceNow queries are written unencoded in configurations), or a
 * Cloud Elements hub URL `/hubs/helpdesk/{resource}?where=<CEQL>`, translated (see parseHubUrl).
 * Throws 400 `invalid_poller_url` (or `invalid_ceql`).
 */
export function parseResourceUrl(url: string): ParsedResourceUrl {
  const withoutOrigin = url.trim().replace(/^https?:\/\/[^/]+/i, '');
  const q = withoutOrigin.indexOf('?');
  const path = q < 0 ? withoutOrigin : withoutOrigin.slice(0, q);
  const query = q < 0 ? '' : withoutOrigin.slice(q + 1);
  if (path.startsWith('/hubs/')) {
    const hub = parseHubUrl(path, query);
    return { table: hub.table, params: hub.params, hub };
  }
  const m = /^\/api\/now\/(?:v[12]\/)?table\/([A-Za-z0-9_]+)\/?$/.exec(path);
  if (!m) {
    throw new AppError('invalid_poller_url', `Poller URL "${path}" is neither a Table API list path (/api/now/table/{table}?sysparm_query=…) nor a Cloud Elements hub URL (/hubs/helpdesk/{resource}?where=…)`, 400);
  }
  const params: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    params.push(eq < 0 ? [decodeOrKeep(part), ''] : [decodeOrKeep(part.slice(0, eq)), decodeOrKeep(part.slice(eq + 1))]);
  }
  return { table: m[1], params };
}
