import type { ServiceNowClient } from '../servicenow/servicenow-client';
import type { EnrichmentApi } from './enrichment-api';

/** Enrichment's view of one instance's ServiceNow client. */
export function enrichmentApiFor(client: ServiceNowClient): EnrichmentApi {
  return {
    queryTable: async (table, { query, fields, displayValue, limit }) =>
      (await client.listRecords(table, { query, fields, displayValue: displayValue === 'all' ? 'all' : false, limit, noCount: true, suppressPaginationHeader: true })).rows,
    attachmentMetadata: async (sysId) => {
      try {
        return (await client.getAttachmentMetadata(sysId)) as unknown as Record<string, unknown>;
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw err;
      }
    },
    attachmentContent: async (sysId, maxBytes) => (await client.streamAttachment(sysId, { maxBytes })).stream,
  };
}
