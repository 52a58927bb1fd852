/** The tables every instance accepts webhooks for. */
export const CORE_TABLES = ['sn_customerservice_case', 'sys_journal_field', 'sys_attachment'] as const;
export type CoreTable = (typeof CORE_TABLES)[number];

/** The body an operator writes (config file or admin API), Cloud Elements element-instance shaped. */
export interface InstanceDefinition {
  id?: string;
  name: string;
  tags?: string[];
  configuration: Record<string, unknown>;
}

export type AuthenticationType = 'oauth2' | 'oauth2_client_credentials' | 'basic';

/** One configured poller resource, as in `event.poller.configuration`. */
export interface PollerResource {
  url: string;
  idField?: string;
  table?: string;
  deletes?: boolean;
  datesConfiguration?: {
    updatedDateField?: string;
    updatedDateFormat?: string;
    updatedDateTimezone?: string;
    createdDateField?: string;
    createdDateFormat?: string;
    createdDateTimezone?: string;
  };
}

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
    /** `event.notification.retry_schedule` in ms; undefined: the deployment's (SNOWGATE_DELIVERY_SCHEDULE). */
    readonly retryDelaysMs?: readonly number[];
  };
  readonly vendor: { readonly webhooks: boolean; readonly polling: boolean };
  readonly poller: {
    readonly refreshIntervalMs: number;
    readonly resources: Readonly<Record<string, PollerResource>>;
  };
  /** The definition it was parsed from (secrets included: redact before showing it). */
  readonly definition: InstanceDefinition;
}
