import type { Instance, PollerResource } from '../instances/instance';
import type { ListOptions } from '../servicenow/table-query';
import { GLIDE_DATE_FORMAT, normalizeTimeZone } from './date-format';
import { defaultPollerResources } from './default-resources';
import { elementDefaultResources } from './hub-resources';
import { parseResourceUrl } from './resource-url';
import { expandPlaceholders, hasPlaceholder, placeholdersHaveSeconds } from './url-template';

/** What a polled row stands for: a record that changes, an immutable entry, or a deletion (sys_audit_delete). */
export type PollKind = 'record' | 'immutable' | 'audit-delete';

/** Tables whose rows never change once written: polled by creation time, every row an insert. */
export const IMMUTABLE_TABLES: readonly string[] = ['sys_journal_field', 'sys_attachment'];

/** One resource ready to poll: where to read, how to read the watermark, what the rows become. */
export interface PollSpec {
  /** Watermark / cursor key: the resource name, or `{name}#deletes` for its sys_audit_delete companion. */
  key: string;
  /** The configured resource name (`cases`). */
  resource: string;
  /** The table queried. */
  table: string;
  /** The table of the emitted changes (for deletions: the table the record was deleted from). */
  changeTable: string;
  /** Query parameters, placeholders still unexpanded. */
  params: ReadonlyArray<[string, string]>;
  idField: string;
  /** The field whose value moves the watermark. */
  watermarkField: string;
  /** How that field and the `${date}` placeholders are written: Java-style pattern and IANA zone. */
  dateFormat: string;
  timeZone: string;
  kind: PollKind;
  /** `sysparm_limit` of the configured URL, if any. */
  pageSize?: number;
  /** The template narrows by the watermark to the second, so a query may restart at the last timestamp seen. */
  keyset: boolean;
  /** Extra look-back of each poll (Cloud Elements' `pollDelay`), on top of the poller's overlap. */
  pollDelayMs?: number;
  /** Cloud Elements' rule, for hub resources: a record whose created and updated dates agree is CREATED. */
  createdCheck?: { created: DateField; updated: DateField; toleranceMs: number };
}

/** Where a date of a row is, and how it is written. */
export interface DateField {
  field: string;
  format: string;
  timeZone: string;
}

function deletesSpec(resource: string, table: string): PollSpec {
  const query = `tablename=${table}^sys_created_on>=\${gmtDate:${GLIDE_DATE_FORMAT}}^ORDERBYsys_created_on`;
  return {
    key: `${resource}#deletes`, resource, table: 'sys_audit_delete', changeTable: table,
    params: [['sysparm_query', query], ['sysparm_fields', 'sys_id,tablename,documentkey,display_value,sys_created_on,sys_created_by,sys_mod_count']],
    idField: 'documentkey', watermarkField: 'sys_created_on', dateFormat: GLIDE_DATE_FORMAT, timeZone: 'UTC', kind: 'audit-delete', keyset: true,
  };
}

/** Turns one configured resource into its poll specs (the resource, plus its deletions when `deletes`). */
export function specsFor(name: string, resource: PollerResource, pullRecordBy: 'created' | 'updated'): PollSpec[] {
  const parsed = parseResourceUrl(resource.url);
  const table = resource.table ?? parsed.table;
  const dc = resource.datesConfiguration ?? {};
  const byCreated = pullRecordBy === 'created' || IMMUTABLE_TABLES.includes(table);
  const created: DateField = { field: dc.createdDateField ?? 'sys_created_on', format: dc.createdDateFormat ?? GLIDE_DATE_FORMAT, timeZone: normalizeTimeZone(dc.createdDateTimezone) };
  const updated: DateField = { field: dc.updatedDateField ?? 'sys_updated_on', format: dc.updatedDateFormat ?? GLIDE_DATE_FORMAT, timeZone: normalizeTimeZone(dc.updatedDateTimezone) };
  const watermark = byCreated ? created : updated;
  const template = parsed.params.map(([, v]) => v).join('&');
  const limit = resource.pageSize ?? Number(parsed.params.find(([k]) => k === 'sysparm_limit')?.[1]);
  const spec: PollSpec = {
    key: name, resource: name, table, changeTable: table, params: parsed.params,
    // a hub resource's idField names the objectId of its notifications; its changes are still by sys_id
    idField: parsed.hub ? 'sys_id' : resource.idField ?? 'sys_id',
    watermarkField: watermark.field, dateFormat: watermark.format, timeZone: watermark.timeZone,
    kind: IMMUTABLE_TABLES.includes(table) ? 'immutable' : 'record',
    pageSize: Number.isInteger(limit) && limit > 0 ? limit : undefined,
    keyset: false,
    ...(resource.pollDelay ? { pollDelayMs: resource.pollDelay * 1000 } : {}),
    ...(parsed.hub ? { createdCheck: { created, updated, toleranceMs: (resource.createdCheckTolerance ?? 0) * 1000 } } : {}),
  };
  spec.keyset = keysetCapable(spec, template);
  return resource.deletes ? [spec, deletesSpec(name, table)] : [spec];
}

/**
 * Whether a query may be restarted at the last row seen: the watermark placeholder resolves to the
 * second, the query is one AND-list (no `^NQ`), it does not exclude the watermark's own second (`field>`,
 * as Cloud Elements' defaults write it), and it sorts by the watermark field first (or not at all).
 */
function keysetCapable(spec: PollSpec, template: string): boolean {
  const query = spec.params.find(([k]) => k === 'sysparm_query')?.[1] ?? '';
  const firstOrder = /(?:^|\^)(ORDERBY(?:DESC)?[A-Za-z0-9_.]+)/.exec(query)?.[1];
  const strictlyAfter = query.split('^').some((c) => c.startsWith(`${spec.watermarkField}>`) && !c.startsWith(`${spec.watermarkField}>=`));
  return hasPlaceholder(template) && placeholdersHaveSeconds(template, { format: spec.dateFormat }) && !query.includes('^NQ') && !strictlyAfter
    && (firstOrder === undefined || firstOrder === `ORDERBY${spec.watermarkField}`);
}

/**
 * Every poll spec of an instance: its `event.poller.configuration`, or the capability defaults when
 * it has none. Throws 400 (`invalid_poller_url`, `invalid_time_zone`, …) on a bad resource.
 */
export function resolvePollSpecs(instance: Instance): PollSpec[] {
  return Object.entries(pollerResourcesOf(instance)).flatMap(([name, r]) => specsFor(name, r, instance.pullRecordBy));
}

/**
 * The resources an instance polls: its `event.poller.configuration`, else the defaults — Cloud Elements'
 * element defaults for a Cloud Elements body (one with `element`), the capability defaults otherwise.
 */
export function pollerResourcesOf(instance: Pick<Instance, 'poller' | 'element' | 'capabilities' | 'pullRecordBy'>): Readonly<Record<string, PollerResource>> {
  const configured = instance.poller.resources;
  if (Object.keys(configured).length > 0) return configured;
  return instance.element ? elementDefaultResources() : defaultPollerResources(instance.capabilities, instance.pullRecordBy);
}

function withOrdering(query: string, spec: PollSpec): string {
  const parts = query === '' ? [] : [query];
  if (!query.includes('ORDERBY')) parts.push(`ORDERBY${spec.watermarkField}`);
  // A tie-breaker, so that offset pages over rows of one second stay in one order.
  if (!query.includes('ORDERBYsys_id') && !query.includes('ORDERBYDESC')) parts.push('ORDERBYsys_id');
  return parts.join('^');
}

/** Adds a condition before the first ORDERBY part of an encoded query. */
function addCondition(query: string, condition: string): string {
  const at = query.search(/(^|\^)ORDERBY/);
  if (at < 0) return query === '' ? condition : `${query}^${condition}`;
  return at === 0 ? `${condition}^${query}` : `${query.slice(0, at)}^${condition}${query.slice(at)}`;
}

/**
 * The list options of one request: placeholders expanded from `watermark`, ordering and plain
 * references ensured; with `afterSysId`, only rows whose sys_id sorts after it (keyset within one second).
 */
export function listOptionsFor(spec: PollSpec, watermark: Date, afterSysId?: string): ListOptions {
  const options: ListOptions = { excludeReferenceLink: true };
  const pairs: string[] = [];
  let query = '';
  for (const [key, raw] of spec.params) {
    const value = expandPlaceholders(raw, watermark, { format: spec.dateFormat, timeZone: spec.timeZone });
    if (key === 'sysparm_query') query = value;
    else if (key === 'sysparm_fields') options.fields = value;
    else if (key === 'sysparm_display_value') options.displayValue = value === 'all' ? 'all' : value === 'true';
    else if (key === 'sysparm_exclude_reference_link') options.excludeReferenceLink = value !== 'false';
    else if (key === 'sysparm_view') options.view = value as ListOptions['view'];
    else if (!key.startsWith('sysparm_')) pairs.push(`${key}=${value}`);
  }
  if (typeof options.fields === 'string') {
    const dates = spec.createdCheck ? [spec.createdCheck.created.field, spec.createdCheck.updated.field] : [];
    const needed = [spec.idField, spec.watermarkField, 'sys_id', 'sys_mod_count', 'sys_updated_on', 'sys_created_on', ...dates];
    options.fields = [...new Set([...options.fields.split(',').map((f) => f.trim()).filter(Boolean), ...needed])].join(',');
  }
  const filter = [...pairs, query].filter(Boolean).join('^');
  const ordered = withOrdering(filter, spec);
  options.query = afterSysId ? addCondition(ordered, `sys_id>${afterSysId}`) : ordered;
  return options;
}
