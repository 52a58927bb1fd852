import { html } from '../http/html-template';
import { EVENT_STATUSES, type EventSummary } from '../event-log/event-entry';
import { encodeCursor, type EventQuery } from '../event-log/event-query';
import type { EventPage } from '../event-log/event-store';
import { EVENT_LOG_PATH, opsPage, shownTime, statusBadge } from './event-log-layout';

/** Event types offered in the filter (any other can be typed). */
const KNOWN_TYPES = [
  'com.servicenow.case.created', 'com.servicenow.case.updated', 'com.servicenow.case.deleted', 'com.servicenow.comment.created',
  'com.servicenow.work_note.created', 'com.servicenow.attachment.created', 'com.servicenow.attachment.deleted', 'write.insert', 'write.update',
];

/** What the list page shows. */
export interface EventListView {
  page: EventPage;
  query: EventQuery;
  /** The query string as given, for the filter fields and the next page's link. */
  raw: Record<string, string>;
  instances: string[];
}

function row(e: EventSummary) {
  const link = `${EVENT_LOG_PATH}/${encodeURIComponent(e.id)}`;
  return html`<tr class="event"><td class="mono">${shownTime(e.receivedAt)}</td><td>${statusBadge(e.status)}${e.reason ? html` <span class="muted">${e.reason}</span>` : ''}</td>
<td>${e.instanceId}</td><td><a href="${link}">${e.type || e.table}</a></td><td><a href="${link}">${e.number ?? ''}</a></td>
<td>${e.title ?? ''}</td><td class="mono">${e.sysId ?? ''}</td><td>${e.attempts}${e.duplicates ? html` <span class="muted">(+${e.duplicates} dup)</span>` : ''}</td><td>${e.source}</td><td class="mono"><a href="${link}">${e.id}</a></td></tr>`;
}

function filters(view: EventListView) {
  const v = (key: string) => view.raw[key] ?? '';
  const option = (value: string, selected: string, label = value) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="${EVENT_LOG_PATH}">
<label>Search<input type="search" name="q" value="${v('q')}" placeholder="CS0001234, a sys_id or an event id" autofocus></label>
<label>Instance<select name="instance">${option('', v('instance'), 'any')}${view.instances.map((i) => option(i, v('instance')))}</select></label>
<label>Status<select name="status">${option('', v('status'), 'any')}${EVENT_STATUSES.map((s) => option(s, v('status'), s.replace('_', ' ')))}</select></label>
<label>Type<input name="type" value="${v('type')}" list="event-types" placeholder="any"></label>
<label>Table<input name="table" value="${v('table')}" placeholder="any"></label>
<label>Received from (UTC)<input type="datetime-local" name="from" value="${v('from')}"></label>
<label>to<input type="datetime-local" name="to" value="${v('to')}"></label>
<button class="primary" type="submit">Filter</button><a href="${EVENT_LOG_PATH}">Clear</a>
<label class="inline"><input type="checkbox" id="auto-refresh" checked> auto-refresh</label>
<datalist id="event-types">${KNOWN_TYPES.map((t) => html`<option value="${t}">`)}</datalist></form>`;
}

/** The list page: filters, the events newest first (linked to their pages), and a link to older ones. */
export function renderEventList(view: EventListView): string {
  const { page } = view;
  const next = page.next ? `?${new URLSearchParams({ ...view.raw, cursor: encodeCursor(page.next) }).toString()}` : undefined;
  const body = page.events.length
    ? page.events.map(row)
    : html`<tr><td colspan="10" class="muted">No event matches${view.query.q ? html` “${view.query.q}”` : ''}${page.next ? ' in this stretch: look further back' : ''}.</td></tr>`;
  return opsPage('snowgate — event log', html`<h1>Event log</h1>${filters(view)}
<table id="events"><thead><tr><th>received</th><th>status</th><th>instance</th><th>type</th><th>number</th><th>about</th><th>sys_id</th><th>attempts</th><th>source</th><th>id</th></tr></thead>
<tbody>${body}</tbody></table>
<div class="pager">${view.raw.cursor ? html`<a href="${EVENT_LOG_PATH}">Newest</a>` : ''}${next ? html`<a href="${next}">Older →</a>` : ''}<span class="muted">${page.scanned} looked at</span></div>`);
}
