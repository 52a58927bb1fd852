import type { ActionDefinition } from './action';
import { redactActions } from './action-secrets';
import type { Instance } from './instance';
import { redactUrl, urlCarriesCredentials } from '../lib/url-credentials';
import { isSecretKey, REDACTED } from './instance-secrets';

/** Where an instance comes from: the read-only config file, or the admin API (kept in Redis). */
export type InstanceSource = 'config' | 'api';

/** How an instance is shown outside: every secret replaced with `********`. */
export interface InstanceView {
  id: string;
  name: string;
  tags: string[];
  configuration: Record<string, unknown>;
  /** The actions, each `auth` value replaced with `********`. */
  actions?: Record<string, ActionDefinition>;
  /** `{table: url}` — the URLs ServiceNow posts to. */
  webhookUrls: Record<string, string>;
  source: InstanceSource;
}

/** `{table: "{publicUrl}/webhooks/{id}/{table}"}` for every table the instance accepts. */
export function webhookUrls(instance: Instance, publicUrl: string): Record<string, string> {
  const base = publicUrl.replace(/\/+$/, '');
  return Object.fromEntries(
    instance.webhook.tables.map((table) => [table, `${base}/webhooks/${encodeURIComponent(instance.id)}/${encodeURIComponent(table)}`]),
  );
}

/** How one configuration value is shown: a secret as `********` (each element, for a rotation array), a URL without its credentials. */
export function redactValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (isSecretKey(key)) return Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
  return urlCarriesCredentials(value) ? redactUrl(value as string) : value;
}

/** Replaces secret values with `********` and credentials inside URLs likewise (see {@link redactValue}). */
export function redactConfiguration(configuration: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configuration)) out[key] = redactValue(key, value);
  return out;
}

/** The outward view of an instance; never carries a secret. */
export function redactInstance(instance: Instance, source: InstanceSource, publicUrl: string): InstanceView {
  return {
    id: instance.id,
    name: instance.name,
    tags: [...instance.tags],
    configuration: redactConfiguration(instance.definition.configuration),
    ...(instance.definition.actions ? { actions: redactActions(instance.definition.actions) } : {}),
    webhookUrls: webhookUrls(instance, publicUrl),
    source,
  };
}
