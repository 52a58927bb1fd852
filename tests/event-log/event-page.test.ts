import type { EventSummary } from '../../src/event-log/event-entry';
import { mergePages, type PartitionPage } from '../../src/event-log/event-page';

const found = (...places: Array<[number, string]>): PartitionPage['found'] => places.map(([at, id]) => ({ event: { id } as EventSummary, at: { at, id } }));
const ids = (page: { events: EventSummary[] }) => page.events.map((e) => e.id);

describe('mergePages (the partitions of the event log, merged newest first)', () => {
  it('when every partition reached its end, then the page is all their events newest first (ties by id, descending), without a cursor', () => {
    const page = mergePages([{ found: found([30, 'a'], [10, 'b']), scanned: 2 }, { found: found([20, 'c'], [10, 'd']), scanned: 3 }], 10);
    expect(ids(page)).toEqual(['a', 'c', 'd', 'b']);
    expect(page.next).toBeUndefined();
    expect(page.scanned).toBe(5);
  });

  it('when more than the limit was found, then the page ends at the limit and the cursor is its last event', () => {
    const page = mergePages([{ found: found([30, 'a'], [25, 'b']), next: { at: 25, id: 'b' }, scanned: 2 }, { found: found([28, 'c'], [5, 'd']), scanned: 2 }], 2);
    expect(ids(page)).toEqual(['a', 'c']);
    expect(page.next).toEqual({ at: 28, id: 'c' });
  });

  it('when a partition stopped early (its scan budget spent), then the page ends where it stopped, so that none of its older events is skipped', () => {
    const page = mergePages([{ found: found([30, 'a']), next: { at: 20, id: 'x' }, scanned: 2500 }, { found: found([25, 'b'], [10, 'c']), scanned: 2 }], 10);
    expect(ids(page)).toEqual(['a', 'b']);
    expect(page.next).toEqual({ at: 20, id: 'x' });
  });
});
