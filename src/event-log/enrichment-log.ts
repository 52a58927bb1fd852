import type { EnrichmentTrace, TracedCall } from '../enrichment/enrichment-trace';
import type { TimelineEntry } from './event-entry';

/** Most calls kept for one enrichment (an attachment hashed in many reads stays one entry's worth). */
const MAX_CALLS = 20;

/** What one change's enrichment took, collected as it happens and logged once it is done. */
export class EnrichmentLog implements EnrichmentTrace {
  private readonly started = Date.now();
  private readonly calls: TracedCall[] = [];
  private state?: 'hit' | 'miss';
  private summaryHits = 0;
  private summaryMisses = 0;

  call(call: TracedCall): void {
    if (this.calls.length < MAX_CALLS) this.calls.push(call);
  }

  cache(cache: 'state' | 'summary', hit: boolean): void {
    if (cache === 'state') this.state = hit ? 'hit' : 'miss';
    else if (hit) this.summaryHits += 1;
    else this.summaryMisses += 1;
  }

  /** The timeline entry of the enrichment, timed from this log's creation. */
  entry(now = Date.now()): Extract<TimelineEntry, { stage: 'enriched' }> {
    return { stage: 'enriched', at: now, ms: now - this.started, calls: this.calls, cache: { ...(this.state ? { state: this.state } : {}), summaryHits: this.summaryHits, summaryMisses: this.summaryMisses } };
  }
}
