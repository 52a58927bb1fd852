/** A record as ServiceNow returns it: string values, or reference objects (`{value, link, display_value}`). */
export type ServiceNowRecord = Record<string, unknown>;

/** Read options shared by single-record and list GETs. */
export interface RecordReadOptions {
  /** `sysparm_fields`: a list or a comma-separated string. */
  fields?: readonly string[] | string;
  /** `sysparm_display_value`: false (default), true, or 'all'. */
  displayValue?: boolean | 'all';
  /** `sysparm_exclude_reference_link`. */
  excludeReferenceLink?: boolean;
  /** `sysparm_view`. */
  view?: 'desktop' | 'mobile' | 'both';
}

/** Options of a list GET. */
export interface ListOptions extends RecordReadOptions {
  /** `sysparm_query`, an encoded query (`active=true^ORDERBYsys_updated_on`). */
  query?: string;
  /** `sysparm_limit`: the page size (ServiceNow's default is 10,000). */
  limit?: number;
  /** `sysparm_offset`. Default 0. */
  offset?: number;
  /** `sysparm_no_count`: skip the count (X-Total-Count may then be missing). */
  noCount?: boolean;
  /** `sysparm_suppress_pagination_header`: no Link header. */
  suppressPaginationHeader?: boolean;
}

/** One page of a list GET. */
export interface ListPage<T = ServiceNowRecord> {
  rows: T[];
  /** `X-Total-Count`: rows matching the query (not the page size); undefined when not sent. */
  total?: number;
  /** The `Link rel="next"` URL, when ServiceNow sent one. */
  nextUrl?: string;
  /** Whether a Link header came at all (if it did, a missing `next` means this is the last page). */
  linked: boolean;
  /** The offset and limit this page was asked for. */
  offset: number;
  limit?: number;
}

/** The sysparm_* parameters for read options. */
export function readParams(o: RecordReadOptions = {}): Record<string, string | undefined> {
  return {
    sysparm_fields: o.fields === undefined ? undefined : typeof o.fields === 'string' ? o.fields : o.fields.join(','),
    sysparm_display_value: o.displayValue === undefined ? undefined : String(o.displayValue),
    sysparm_exclude_reference_link: o.excludeReferenceLink === undefined ? undefined : String(o.excludeReferenceLink),
    sysparm_view: o.view,
  };
}

/** The sysparm_* parameters for a list GET. */
export function listParams(o: ListOptions = {}): Record<string, string | undefined> {
  return {
    ...readParams(o),
    sysparm_query: o.query,
    sysparm_limit: o.limit === undefined ? undefined : String(o.limit),
    sysparm_offset: o.offset === undefined ? undefined : String(o.offset),
    sysparm_no_count: o.noCount === undefined ? undefined : String(o.noCount),
    sysparm_suppress_pagination_header: o.suppressPaginationHeader === undefined ? undefined : String(o.suppressPaginationHeader),
  };
}
