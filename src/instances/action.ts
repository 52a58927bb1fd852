import type { BodyTemplate, TextTemplate } from '../writes/action-template';

/** One condition on a field of the posted event (`field` is a path: `data.requester.email`, `data.groups.[0].name`). */
export interface ActionCondition {
  field: string;
  equals?: string | number | boolean;
  not_equals?: string | number | boolean;
  in?: Array<string | number | boolean>;
  not_in?: Array<string | number | boolean>;
  exists?: boolean;
}

/** An action as written in an instance's `actions` map (config file or admin API). */
export interface ActionDefinition {
  table: string;
  operation: 'insert' | 'update';
  /** Handlebars template of the record to update (`operation: update`), or `number`. */
  sys_id?: string;
  number?: string;
  /** Handlebars template of the fields, a JSON object once rendered (a string, or an object whose strings are templates). */
  body: string | Record<string, unknown>;
  /** The event is written only when `field` has one of these values (e.g. `event_type`). */
  triggers?: { field: string; in: Array<string | number | boolean> };
  /** Every condition must hold. */
  filter?: ActionCondition[];
  /** Template of the idempotency key; default the signed `webhook-id`, else the SHA-256 of the raw body. */
  idempotency_key?: string;
  /** Send `sysparm_input_display_value=true` (choice labels and reference display values are resolved by ServiceNow). */
  input_display_value?: boolean;
  /** Who may post to the action: a bearer token and/or Standard Webhooks secrets (`whsec_…`, current first). */
  auth: { bearer_token?: string; secret?: string | string[] };
}

/** An action parsed and compiled: what the action door and the writer use. Immutable. */
export interface Action {
  readonly name: string;
  readonly table: string;
  readonly operation: 'insert' | 'update';
  readonly sysId?: TextTemplate;
  readonly number?: TextTemplate;
  readonly body: BodyTemplate;
  readonly conditions: readonly ActionCondition[];
  readonly idempotencyKey?: TextTemplate;
  readonly inputDisplayValue: boolean;
  readonly auth: { readonly bearerToken?: string; readonly secrets: readonly string[] };
}
