/**
 * The event log pages' script, served from `/ops/assets/event-log.js` (the pages' CSP runs no inline script).
 * It refreshes the list (every 5 s while "auto-refresh" is ticked, on its first page) and an event that is not
 * final (every 2 s) by fetching the same page and swapping its content — the server escaped every text, and
 * parsed nodes are only moved, never evaluated; it asks before a replay and sends it, then follows the event
 * (the log records the replay a moment after it answers) until it is pending again or 30 s pass; it copies
 * the curl line.
 */
export const EVENT_LOG_SCRIPT = `(() => {
  'use strict';
  const $ = (selector, root = document) => root.querySelector(selector);

  async function refresh(selector) {
    const current = $(selector);
    if (!current) return;
    const res = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    if (!res.ok) return;
    const fresh = $(selector, new DOMParser().parseFromString(await res.text(), 'text/html'));
    if (!fresh) return;
    const open = new Set(Array.from(current.querySelectorAll('details[open][id]'), (d) => d.id));
    fresh.querySelectorAll('details[id]').forEach((d) => { if (open.has(d.id)) d.open = true; });
    current.replaceWith(document.adoptNode(fresh));
  }

  let following = 0;
  function due() {
    const list = $('#events');
    const auto = $('#auto-refresh');
    if (list && auto && auto.checked && !new URLSearchParams(location.search).has('cursor')) return '#events';
    const event = $('#event');
    if (!event) return undefined;
    if (event.dataset.final === 'false') { following = 0; return '#event'; }
    return Date.now() < following ? '#event' : undefined;
  }

  let last = 0;
  setInterval(() => {
    const target = due();
    const every = target === '#events' ? 5000 : 2000;
    if (!target || Date.now() - last < every) return;
    last = Date.now();
    refresh(target).catch(() => undefined);
  }, 500);

  document.addEventListener('click', async (e) => {
    const replay = e.target.closest('[data-replay]');
    if (replay) {
      if (!confirm(replay.dataset.confirm)) return;
      replay.disabled = true;
      const out = $('#replay-result');
      const res = await fetch(replay.dataset.replay, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' } });
      const body = await res.json().catch(() => ({}));
      if (out) out.textContent = res.ok ? 'Replayed as ' + body.jobId + ': a new delivery with the same event id.' : 'Replay refused: ' + ((body.error && body.error.message) || res.status);
      if (res.ok) { following = Date.now() + 30000; last = 0; }
      return;
    }
    const copy = e.target.closest('[data-copy]');
    if (copy) {
      const text = $(copy.dataset.copy).textContent;
      try { await navigator.clipboard.writeText(text); copy.textContent = 'Copied'; }
      catch { getSelection().selectAllChildren($(copy.dataset.copy)); copy.textContent = 'Selected: press Ctrl+C'; }
      setTimeout(() => { copy.textContent = 'Copy as curl'; }, 2000);
    }
  });
})();
`;
