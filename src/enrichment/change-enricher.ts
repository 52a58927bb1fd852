import { CORE_TABLES } from '../instances/instance';
import type { Instance } from '../instances/instance';
import type { ChangeJob } from '../queues/change-job';
import { enrichAttachment } from './attachment-enricher';
import { enrichCase } from './case-enricher';
import type { EnrichmentApi } from './enrichment-api';
import type { Enricher, EnrichmentContext } from './enrichment-context';
import type { EnrichmentTrace } from './enrichment-trace';
import { tracedContext } from './traced-context';
import { enrichJournal } from './journal-enricher';
import { deletedData, enrichRecord } from './record-enricher';
import { RecordReader } from './record-reader';
import type { StateCache } from './state-cache';
import { SummaryCache } from './summary-cache';

const ENRICHERS: Record<string, Enricher> = {
  sn_customerservice_case: enrichCase,
  sys_journal_field: enrichJournal,
  sys_attachment: enrichAttachment,
};

/** Whether a table's records change over time (journal entries and attachments never do). */
export const isMutableTable = (table: string): boolean => table !== CORE_TABLES[1] && table !== CORE_TABLES[2];

export interface ChangeEnricherOptions {
  /** The ServiceNow API of an instance (one client per instance, reused). */
  apiFor: (instance: Instance) => EnrichmentApi;
  stateCache: StateCache;
  attachmentMaxBytes?: number;
  onQuery?: (instance: Instance, table: string, size: number) => void;
}

/**
 * Turns a change into its event data. For records that change, the newest enriched state is shared
 * through {@link StateCache}: a change whose version is already covered costs no API call, and a state
 * is only ever replaced by a newer one, so no event carries an older state than one delivered before it.
 * Deletes read nothing.
 */
export class ChangeEnricher {
  private readonly contexts = new Map<string, { instance: Instance; ctx: EnrichmentContext }>();

  constructor(private readonly options: ChangeEnricherOptions) {}

  /** The change's event data; what it took (ServiceNow calls, cache hits) is reported to `trace`. */
  async enrich(change: ChangeJob, instance: Instance, trace?: EnrichmentTrace): Promise<object> {
    const ctx = trace ? tracedContext(this.context(instance), trace) : this.context(instance);
    if (change.operation === 'delete') {
      if (change.table === 'sys_attachment') return (await enrichAttachmentDeleted(change, ctx)).data as object;
      return deletedData(change);
    }
    const enricher = ENRICHERS[change.table] ?? enrichRecord;
    if (!isMutableTable(change.table)) return (await enricher(change, ctx)).data as object;

    const { stateCache } = this.options;
    const wanted = Number(change.sysModCount);
    const cached = await stateCache.get<object>(instance.id, change.table, change.sysId);
    trace?.cache('state', cached !== undefined && cached.modCount >= wanted);
    const state = cached && cached.modCount >= wanted
      ? cached
      : await stateCache.putIfNewer(instance.id, change.table, change.sysId, await enricher(change, ctx).then((e) => ({ modCount: e.modCount, data: e.data as object })));
    return { ...state.data, operation: change.operation };
  }

  private context(instance: Instance): EnrichmentContext {
    const known = this.contexts.get(instance.id);
    if (known && known.instance === instance) return known.ctx;
    const api = this.options.apiFor(instance);
    const reader = new RecordReader(api, { onQuery: (table, size) => this.options.onQuery?.(instance, table, size) });
    const ctx: EnrichmentContext = {
      instance,
      api,
      reader,
      summaries: new SummaryCache(reader),
      attachmentMaxBytes: this.options.attachmentMaxBytes ?? 25 * 1024 * 1024,
    };
    this.contexts.set(instance.id, { instance, ctx });
    return ctx;
  }
}

/** A deleted attachment: what the webhook carried, no read, no hash. */
async function enrichAttachmentDeleted(change: ChangeJob, ctx: EnrichmentContext) {
  return enrichAttachment(change, { ...ctx, api: { ...ctx.api, attachmentMetadata: async () => undefined } });
}
