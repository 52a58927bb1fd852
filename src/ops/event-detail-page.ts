import { html } from '../http/html-template';
import { isFinal, type EventDetail } from '../event-log/event-entry';
import { deliveryCurl } from './delivery-curl';
import { EVENT_LOG_PATH, opsPage, shownTime, statusBadge } from './event-log-layout';
import { timelineHtml } from './event-timeline-html';

/** Whether the event can be replayed from where it stands (the replay itself decides, with 404 or 409). */
function replayable(e: EventDetail): boolean {
  return e.status === 'dead_lettered' || (e.kind === 'event' && e.status === 'delivered');
}

function facts(e: EventDetail) {
  const fact = (name: string, value: unknown) => (value === undefined || value === '' ? '' : html`<dt>${name}</dt><dd>${value}</dd>`);
  return html`<dl class="facts">${fact('id', html`<span class="mono">${e.id}</span>`)}${fact('instance', e.instanceId)}${fact('table', e.table)}${fact('number', e.number)}${fact('about', e.title)}
${fact('sys_id', e.sysId ? html`<span class="mono">${e.sysId}</span>` : undefined)}${fact('operation', e.operation)}${fact('source', e.source)}
${fact('received', shownTime(e.receivedAt))}${fact('last change', shownTime(e.updatedAt))}${fact('attempts', String(e.attempts))}
${fact('duplicates seen', e.duplicates ? String(e.duplicates) : undefined)}${fact('reason', e.reason)}
${fact('caused by write', e.writeId ? html`<a class="mono" href="${EVENT_LOG_PATH}/${encodeURIComponent(e.writeId)}">${e.writeId}</a>` : undefined)}
${fact('timeline', e.droppedEntries ? `${e.droppedEntries} older entries not kept` : undefined)}</dl>`;
}

/** The event page: its facts, the replay and copy-as-curl actions, the timeline, and the body pretty-printed. */
export function renderEventDetail(e: EventDetail): string {
  const curl = deliveryCurl(e);
  const what = e.kind === 'write' ? 'this write into ServiceNow (same write id: no second record)' : 'this event to its subscriber (same CloudEvent id and webhook-id)';
  const actions = html`<div class="actions">
<button type="button" class="primary" data-replay="/ops/api/events/${encodeURIComponent(e.id)}/replay" data-confirm="Replay ${what}?"${replayable(e) ? '' : html` disabled title="Only a dead-lettered or delivered event can be replayed"`}>Replay</button>
${curl ? html`<button type="button" data-copy="#curl">Copy as curl</button>` : ''}<span id="replay-result" class="muted"></span></div>`;
  const body = e.body === null ? html`<p class="muted">Not built yet (it is stored once enrichment is done).</p>` : html`<pre class="json">${typeof e.body === 'string' ? e.body : JSON.stringify(e.body, null, 2)}</pre>`;
  const heading = html`${e.kind === 'write' ? 'write ' : ''}${e.type || e.table}${e.number ? html` · ${e.number}` : ''}`;
  return opsPage(`snowgate — ${e.number ?? e.id}`, html`<p><a href="${EVENT_LOG_PATH}">← all events</a></p>${actions}
<section id="event" data-final="${isFinal(e.status) ? 'true' : 'false'}"><h1>${heading} ${statusBadge(e.status)}</h1>${facts(e)}
<h2>Timeline</h2>${timelineHtml(e.timeline)}
<h2>${e.kind === 'write' ? 'Request (secret-looking fields redacted)' : 'Body, as delivered'}</h2>${body}
${curl ? html`<h2>Delivery as curl</h2><pre id="curl" class="mono">${curl}</pre>` : ''}</section>`);
}
