import { decodeOrKeep } from '../lib/decode-uri';
import { AppError } from '../lib/errors';
import { ceqlToEncodedQuery } from './ceql-query';
import { HELPDESK_HUB, HUB_RESOURCE_COLUMNS, HUB_RESOURCE_TABLES } from './hub-resources';

/** A Cloud Elements hub URL, translated: the table, the Table API parameters, and what it was. */
export interface HubUrl {
  /** The resource as written (`accounts`, `incidents`, or a table name). */
  resource: string;
  table: string;
  /** The CEQL `where` as written (decoded), '' when there is none. */
  where: string;
  /** `sysparm_query` and friends; placeholders still unexpanded. */
  params: Array<[string, string]>;
}

const FIELD = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

function invalid(message: string): AppError {
  return new AppError('invalid_poller_url', message, 400);
}

/** Splits a query string on `&` outside 'quoted' CEQL strings (a value may hold `&`). */
function splitQuery(query: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < query.length; i++) {
    if (query[i] === "'") quoted = !quoted;
    else if (query[i] === '&' && !quoted) {
      parts.push(query.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(query.slice(start));
  return parts.filter((p) => p !== '');
}

/** Poller URLs are usually written unencoded; a value with no CEQL punctuation but `%xx` escapes was encoded. */
function decodeValue(value: string): string {
  return /['\s<>=`]/.test(value) || !/%[0-9A-Fa-f]{2}/.test(value) ? value : decodeOrKeep(value);
}

function fieldList(text: string, name: string): string[] {
  const fields = text.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of fields) if (!FIELD.test(f)) throw invalid(`${name}: "${f}" is not a ServiceNow field name`);
  return fields;
}

/** `orderBy=a asc, b desc` → `ORDERBYa^ORDERBYDESCb`. */
function orderBy(text: string): string {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [field, direction = 'asc', ...rest] = part.split(/\s+/);
      if (rest.length > 0 || !/^(asc|desc)$/i.test(direction)) throw invalid(`orderBy: "${part}" must be "field asc" or "field desc"`);
      fieldList(field, 'orderBy');
      return direction.toLowerCase() === 'desc' ? `ORDERBYDESC${field}` : `ORDERBY${field}`;
    })
    .join('^');
}

/**
 * Translates a Cloud Elements poller URL `/hubs/helpdesk/{resource}?where=<CEQL>[&orderBy=…][&fields=…][&pageSize=…]`
 * into a Table API read: incidents → incident, accounts → core_company, contacts and agents → sys_user, any
 * other name → the table of that name; `where` → `sysparm_query`, `orderBy` → ORDERBY, `fields` →
 * `sysparm_fields`, `pageSize` → `sysparm_limit`. Throws 400 `invalid_poller_url` / `invalid_ceql` naming what
 * cannot be translated.
 */
export function parseHubUrl(path: string, query: string): HubUrl {
  const m = /^\/hubs\/([^/]+)\/([^/]+)\/?$/.exec(path);
  if (!m) {
    const child = /^\/hubs\/[^/]+\/[^/]+\/.+/.test(path);
    throw invalid(child ? `Poller URL "${path}": a child resource cannot be polled; poll its table (/hubs/${HELPDESK_HUB}/{table})` : `Poller URL "${path}" is not a hub resource (/hubs/${HELPDESK_HUB}/{resource})`);
  }
  const [, hub, resource] = m;
  if (hub !== HELPDESK_HUB) throw invalid(`Poller URL "${path}": the ServiceNow elements' hub is "${HELPDESK_HUB}", not "${hub}"`);
  const named = HUB_RESOURCE_TABLES[resource];
  if (!named && !/^[a-z0-9_]+$/.test(resource)) throw invalid(`Poller URL "${path}": "${resource}" is neither a helpdesk resource (${Object.keys(HUB_RESOURCE_TABLES).join(', ')}) nor a table name`);
  let where = '';
  let order = '';
  const params: Array<[string, string]> = [];
  for (const part of splitQuery(query)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = decodeValue(eq < 0 ? '' : part.slice(eq + 1));
    if (key === 'where') where = value;
    else if (key === 'orderBy') order = orderBy(value);
    else if (key === 'fields') params.push(['sysparm_fields', fieldList(value, 'fields').join(',')]);
    else if (key === 'pageSize') {
      if (!/^[1-9][0-9]{0,4}$/.test(value) || Number(value) > 10_000) throw invalid(`pageSize "${value}" must be a whole number from 1 to 10000`);
      params.push(['sysparm_limit', value]);
    } else throw invalid(`Poller URL parameter "${key}" is not supported (where, orderBy, fields, pageSize)`);
  }
  const filter = ceqlToEncodedQuery(where, { columns: named ? HUB_RESOURCE_COLUMNS : {} });
  const sysparmQuery = [filter, order].filter(Boolean).join('^');
  return { resource, table: named ?? resource, where, params: [...(sysparmQuery ? [['sysparm_query', sysparmQuery] as [string, string]] : []), ...params] };
}
