import type { EnrichmentApi } from './enrichment-api';
import type { EnrichmentContext } from './enrichment-context';
import { failedStatus, type EnrichmentTrace } from './enrichment-trace';

/** Times one direct API call and reports it to the trace. */
async function traced<T>(trace: EnrichmentTrace, api: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await work();
    trace.call({ api, status: 200, ms: Date.now() - started });
    return result;
  } catch (err) {
    trace.call({ api, status: failedStatus(err), ms: Date.now() - started, error: (err as Error).message });
    throw err;
  }
}

/**
 * The context of one change's enrichment, reporting to its trace: reads go through the instance's shared
 * reader and summary cache (their batching and caching unchanged) with the trace attached, and direct API
 * calls are timed.
 */
export function tracedContext(ctx: EnrichmentContext, trace: EnrichmentTrace): EnrichmentContext {
  const api: EnrichmentApi = {
    queryTable: (table, options) => traced(trace, 'table', () => ctx.api.queryTable(table, options)),
    attachmentMetadata: (sysId) => traced(trace, 'attachment', () => ctx.api.attachmentMetadata(sysId)),
    attachmentContent: (sysId, maxBytes) => traced(trace, 'attachment_file', () => ctx.api.attachmentContent(sysId, maxBytes)),
  };
  return {
    ...ctx,
    api,
    reader: { read: (table, sysId) => ctx.reader.read(table, sysId, trace) },
    summaries: { get: (table, sysId) => ctx.summaries.get(table, sysId, trace), forget: (table, sysId) => ctx.summaries.forget(table, sysId) },
  };
}
