import type { EventSummary } from './event-entry';
import type { EventCursor } from './event-query';

/** One page of the list: newest first; `next` continues after its last event (absent: nothing older matches). */
export interface EventPage {
  events: EventSummary[];
  next?: EventCursor;
  /** How many logged events this page looked at. */
  scanned: number;
}

/** What one partition's walk of an index found: the matching events with their place in it, and where it stopped. */
export interface PartitionPage {
  found: Array<{ event: EventSummary; at: EventCursor }>;
  /** Where the walk stopped with more to look at (absent: it reached the end of the index or the range). */
  next?: EventCursor;
  scanned: number;
}

/** Whether `a` comes before `b` in the list (newer; at the same time, the greater id — the index's own order). */
function before(a: EventCursor, b: EventCursor): boolean {
  return a.at !== b.at ? a.at > b.at : a.id > b.id;
}

/**
 * One page from the partitions' pages, newest first. A partition that stopped early has looked at nothing
 * past its `next`: the page ends at the first such place (its `next`), so that no event is skipped; past
 * `limit` events, it ends at the last one shown. With one partition this is that partition's page.
 */
export function mergePages(pages: readonly PartitionPage[], limit: number): EventPage {
  const scanned = pages.reduce((sum, page) => sum + page.scanned, 0);
  let frontier: EventCursor | undefined;
  for (const page of pages) if (page.next && (!frontier || before(page.next, frontier))) frontier = page.next;
  const found = pages
    .flatMap((page) => page.found)
    .filter((f) => !frontier || !before(frontier, f.at))
    .sort((a, b) => (before(a.at, b.at) ? -1 : before(b.at, a.at) ? 1 : 0));
  if (found.length >= limit) return { events: found.slice(0, limit).map((f) => f.event), next: found[limit - 1]!.at, scanned };
  return { events: found.map((f) => f.event), ...(frontier ? { next: frontier } : {}), scanned };
}
