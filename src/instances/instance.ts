import type { Action, ActionDefinition } from './action';

/** The tables every instance accepts webhooks for. */
export const CORE_TABLES = ['sn_customerservice_case', 'sys_journal_field', 'sys_attachment'] as const;
export type CoreTable = (typeof CORE_TABLES)[number];

/** The body an operator writes (config file or admin API), Cloud Elements element-instance shaped. */
export interface InstanceDefinition {
  id?: string;
  /** Cloud Elements: the element the body was written for. */
  element?: { key?: string; id?: number | string };
  name: string;
  tags?: string[];
  configuration: Record<string, unknown>;
  /** Writes into ServiceNow triggered by posted events, by action name. */
  actions?: Record<string, ActionDefinition>;
}

export type AuthenticationType = 'oauth2' | 'oauth2_client_credentials' | 'basic';

/** One configured poller resource, as in `event.poller.configuration` (Cloud Elements' fields and snowgate's). */
export interface PollerResource {
  url: string;
  idField?: string;
  table?: string;
  deletes?: boolean;
  /** Rows per request (`sysparm_limit`). */
  pageSize?: number;
  /** Seconds behind the last poll each poll starts from (at least the poller's own overlap). */
  pollDelay?: number;
  /** Seconds within which created and updated dates count as equal: the record was CREATED. */
  createdCheckTolerance?: number;
  /** Accepted for Cloud Elements; snowgate always drops records not changed since they were delivered. */
  filterByUpdatedDate?: boolean;
  filterByCurrentDate?: boolean;
  datesConfiguration?: {
    updatedDateField?: string;
    updatedDateFormat?: string;
    updatedDateTimezone?: string;
    createdDateField?: string;
    createdDateFormat?: string;
    createdDateTimezone?: string;
  };
}

/** Something an operator should know about an accepted definition (an ignored key, a missing subscriber…). */
export interface InstanceWarning {
  /** JSON pointer into the definition, e.g. `/configuration/filter.response.nulls`. */
  path: string;
  message: string;
}

/** How events reach the subscriber: CloudEvents with Standard Webhooks, or Cloud Elements' notification body. */
export type NotificationFormat = 'cloudevents' | 'cloud-elements';

/** One ServiceNow connection, parsed and defaulted from its definition. Immutable. */
export interface Instance {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  /** `https://acme.service-now.com`, no trailing slash. */
  readonly instanceUrl: string;
  /** `servicenow.allow_private_targets`: the instance URL (and its OAuth endpoints) may be on a loopback or private address. Default false. */
  readonly allowPrivateInstanceUrl: boolean;
  readonly auth: {
    readonly type: AuthenticationType;
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly callbackUrl?: string;
    readonly username?: string;
    readonly password?: string;
  };
  /** The Cloud Elements element the body was written for (`servicenow`, `servicenowoauth`), if it named one. */
  readonly element?: string;
  readonly capabilities: readonly string[];
  readonly pullRecordBy: 'created' | 'updated';
  readonly webhook: {
    /** `whsec_…` secrets; the first is current, the rest are still accepted during rotation. */
    readonly secrets: readonly string[];
    readonly bearerToken?: string;
    readonly rateLimitPerSecond: number;
    /** Tables accepted at `/webhooks/{id}/{table}`. */
    readonly tables: readonly string[];
  };
  readonly events: {
    readonly enabled: boolean;
    readonly callbackUrl?: string;
    readonly signatureKey?: string;
    readonly allowPrivateTargets: boolean;
    readonly format: NotificationFormat;
    /** Suppress the events of changes snowgate itself wrote (echo control). */
    readonly skipOwnWrites: boolean;
    /** `event.notification.retry_schedule` in ms; undefined: the deployment's (SNOWGATE_DELIVERY_SCHEDULE). */
    readonly retryDelaysMs?: readonly number[];
  };
  /** Writes into ServiceNow: who may post direct writes, and how many may be in flight at once. */
  readonly writes: {
    readonly bearerToken?: string;
    readonly maxConcurrency: number;
  };
  readonly actions: ReadonlyMap<string, Action>;
  readonly vendor: { readonly webhooks: boolean; readonly polling: boolean };
  readonly poller: {
    readonly refreshIntervalMs: number;
    readonly resources: Readonly<Record<string, PollerResource>>;
  };
  /** The definition it was parsed from (secrets included: redact before showing it). */
  readonly definition: InstanceDefinition;
  /** What was accepted but ignored or is missing (shown in the 201 answer, `GET /instances/{id}`, and logged for the config file). */
  readonly warnings: readonly InstanceWarning[];
}
