import { html, type SafeHtml } from '../http/html-template';
import type { ExchangeEntry, TimelineEntry } from '../event-log/event-entry';
import { shownTime } from './event-log-layout';

function headerTable(headers: Record<string, string> | undefined): SafeHtml {
  const rows = Object.entries(headers ?? {});
  if (rows.length === 0) return html`<p class="muted">none</p>`;
  return html`<table class="headers">${rows.map(([name, value]) => html`<tr><td>${name}</td><td>${value}</td></tr>`)}</table>`;
}

function exchangeHtml(x: ExchangeEntry, status: number | undefined): SafeHtml {
  return html`<div class="exchange"><h4>Request</h4><p class="mono">POST ${x.url}</p>${headerTable(x.requestHeaders)}
<h4>Response${status !== undefined ? html` ${status}` : ''}</h4>${x.responseHeaders ? headerTable(x.responseHeaders) : html`<p class="muted">no answer</p>`}
${x.responseBody ? html`<h4>Body (first 2 KB${x.responseTruncated ? ', cut' : ''})</h4><pre>${x.responseBody}</pre>` : ''}</div>`;
}

/** An attempt, numbered within the event (`nth`; a replay's job counts its own attempts from 1 again). */
function attemptHtml(e: Extract<TimelineEntry, { stage: 'attempt' }>, index: number, nth: number): SafeHtml {
  const how = [e.inline ? 'inline' : '', e.probe ? 'breaker probe' : '', e.jobId ? `job ${e.jobId}${e.attempt !== nth ? ` attempt ${e.attempt}` : ''}` : ''].filter(Boolean).join(', ');
  const summary = html`<b>attempt ${nth}</b> · ${e.status ?? e.outcome} · ${e.ms} ms${e.retryInMs !== undefined ? html` · retry in ${Math.round(e.retryInMs / 100) / 10} s` : ''}${how ? html` <span class="muted">(${how})</span>` : ''}`;
  const detail = html`${e.error ? html`<p>Error: <span class="mono">${e.error}</span></p>` : ''}${e.result ? html`<h4>ServiceNow's answer</h4><pre>${JSON.stringify(e.result, null, 2)}</pre>` : ''}${e.exchange ? exchangeHtml(e.exchange, e.status) : ''}`;
  return html`<details id="attempt-${index}"><summary>${summary}</summary>${detail}</details>`;
}

function enrichedHtml(e: Extract<TimelineEntry, { stage: 'enriched' }>): SafeHtml {
  const calls = e.calls.map((c) => html`<li class="mono">${c.api}${c.table ? ` ${c.table}` : ''} → ${c.status || 'no answer'} in ${c.ms} ms${c.records && c.records > 1 ? ` (batched read of ${c.records} records)` : ''}${c.error ? ` — ${c.error}` : ''}</li>`);
  const cache = [e.cache.state ? `state cache ${e.cache.state}` : '', e.cache.summaryHits || e.cache.summaryMisses ? `summaries: ${e.cache.summaryHits} cached, ${e.cache.summaryMisses} read` : ''].filter(Boolean).join(' · ');
  return html`<b>enriched</b> in ${e.ms} ms · ${e.calls.length} ServiceNow call${e.calls.length === 1 ? '' : 's'}${cache ? html` · ${cache}` : ''}${calls.length ? html`<ul>${calls}</ul>` : ''}`;
}

/** How the dot of an entry is coloured. */
function tone(e: TimelineEntry): string {
  if (e.stage === 'attempt') return e.outcome === 'delivered' || e.outcome === 'succeeded' || e.outcome === 'found' ? 'ok' : 'bad';
  if (e.stage === 'dead_lettered' || (e.stage === 'enrichment_failed' && !e.retrying)) return 'bad';
  if (e.stage === 'held' || e.stage === 'enrichment_failed' || e.stage === 'duplicate') return 'warn';
  return '';
}

function content(e: TimelineEntry, index: number, nth: number): SafeHtml {
  switch (e.stage) {
    case 'received':
      return html`<b>${e.source === 'replay' ? 'replayed' : 'received'}</b>${e.source !== 'replay' ? html` from ${e.source}` : ''}${e.action ? html` (action ${e.action})` : ''}${e.operation ? html` · ${e.operation}` : ''}${e.sysModCount ? html` · sys_mod_count ${e.sysModCount}` : ''}${e.requestId ? html` · request id <span class="mono">${e.requestId}</span>` : ''}${e.jobId ? html` · new job <span class="mono">${e.jobId}</span>` : ''}`;
    case 'duplicate':
      return html`<b>duplicate</b> seen again from ${e.source}${e.requestId ? html` · request id <span class="mono">${e.requestId}</span>` : ''}`;
    case 'enriched':
      return enrichedHtml(e);
    case 'enrichment_failed':
      return html`<b>enrichment failed</b> (attempt ${e.attempt}${e.retrying ? ', will retry' : ', given up'}): <span class="mono">${e.error}</span>`;
    case 'attempt':
      return attemptHtml(e, index, nth);
    case 'held':
      return html`<b>held</b> by the subscriber's open circuit breaker (looks again in ${Math.round(e.recheckInMs / 1000)} s unless a probe or a release wakes it)`;
    case 'dead_lettered':
      return html`<b>dead-lettered</b>: ${e.reason} — ${e.message}`;
    case 'skipped':
      return html`<b>skipped</b>: ${e.reason}${e.writeId ? html` (caused by write <span class="mono">${e.writeId}</span>)` : ''}`;
  }
}

/** The timeline, oldest first, each attempt expandable to its request and response. */
export function timelineHtml(entries: TimelineEntry[]): SafeHtml {
  let attempts = 0;
  return html`<ol class="timeline">${entries.map((e, i) => html`<li class="${tone(e)}"><time>${shownTime(e.at)}</time>${content(e, i, e.stage === 'attempt' ? ++attempts : attempts)}</li>`)}</ol>`;
}
