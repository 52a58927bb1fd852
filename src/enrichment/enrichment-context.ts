import type { Instance } from '../instances/instance';
import type { ChangeJob } from '../queues/change-job';
import type { EnrichmentApi } from './enrichment-api';
import type { RecordReader } from './record-reader';
import type { SummaryCache } from './summary-cache';

/** Everything an enricher may use for one instance. */
export interface EnrichmentContext {
  instance: Instance;
  api: EnrichmentApi;
  reader: Pick<RecordReader, 'read'>;
  summaries: Pick<SummaryCache, 'get' | 'forget'>;
  /** Largest attachment whose bytes are hashed (default 25 MiB). */
  attachmentMaxBytes: number;
}

/** The enriched data of one change, with the modification count of the state it reflects. */
export interface Enriched<T = unknown> {
  data: T;
  modCount: number;
}

/** Turns one change into its event data, reading ServiceNow as little as it can. */
export type Enricher = (change: ChangeJob, ctx: EnrichmentContext) => Promise<Enriched>;
