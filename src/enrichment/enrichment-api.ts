/** A row as the Table API returns it with `sysparm_display_value=all`: each field `{value, display_value, link?}` or a string. */
export type ServiceNowRow = Record<string, unknown>;

/**
 * What enrichment needs from ServiceNow for one instance. The ServiceNow client satisfies it through a
 * thin adapter; tests satisfy it with the simulator behind the real client.
 */
export interface EnrichmentApi {
  /** One page of a Table API query (sysparm_query, sysparm_fields, display values as asked). */
  queryTable(table: string, options: { query: string; fields?: string[]; displayValue: 'all' | 'false'; limit: number }): Promise<ServiceNowRow[]>;
  /** Attachment metadata, or undefined when it no longer exists. */
  attachmentMetadata(sysId: string): Promise<ServiceNowRow | undefined>;
  /** The attachment's bytes as a stream, stopping (and flagging truncated) past maxBytes. */
  attachmentContent(sysId: string, maxBytes: number): Promise<AsyncIterable<Uint8Array>>;
}
