/** One system property (`sys_properties`) the scripts read. */
export interface SystemPropertySpec {
  name: string;
  /** `string`, `boolean`, or `password2` (stored encrypted, shown masked). */
  type: 'string' | 'boolean' | 'password2';
  /** The value to set; undefined for the secret, which the admin pastes (never generated into a file). */
  value?: string;
  description: string;
  /** Roles that may read / write the property (empty: platform default). */
  readRoles: string;
  writeRoles: string;
  /** Private properties are not captured in update sets when changed, so a secret never travels in one. */
  isPrivate: boolean;
}

/** The property names of one scope. */
export interface WebhookPropertyNames {
  url: { name: string };
  secret: { name: string };
  enabled: { name: string };
}

/**
 * The property names: `snowgate.webhook.*` in the global scope; in a scoped application they must start
 * with the scope (`x_acme_snowgate.webhook.*`), or the platform refuses them.
 */
export function webhookProperties(scope?: string): WebhookPropertyNames {
  const prefix = scope ? `${scope}.webhook` : 'snowgate.webhook';
  return { url: { name: `${prefix}.url` }, secret: { name: `${prefix}.secret` }, enabled: { name: `${prefix}.enabled` } };
}

/** The global scope's property names (`snowgate.webhook.*`). */
export const WEBHOOK_PROPERTIES: WebhookPropertyNames = webhookProperties();

/** `{publicUrl}/webhooks/{instanceId}`: the scripts append `/{table}`. */
export function webhookBaseUrl(publicUrl: string, instanceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/${encodeURIComponent(instanceId)}`;
}

/** The properties to create on the ServiceNow instance (in `scope`, default global), in the order the README lists them. */
export function systemPropertySpecs(baseUrl: string, instanceId: string, scope?: string): SystemPropertySpec[] {
  const names = webhookProperties(scope);
  return [
    {
      name: names.url.name,
      type: 'string',
      value: baseUrl,
      description: `snowgate: webhook base URL of gateway instance "${instanceId}"; the business rules append /<table>.`,
      readRoles: 'admin',
      writeRoles: 'admin',
      isPrivate: false,
    },
    {
      name: names.secret.name,
      type: 'password2',
      value: undefined,
      description: `snowgate: Standard Webhooks signing secret (whsec_...) of gateway instance "${instanceId}".`,
      readRoles: 'admin',
      writeRoles: 'admin',
      isPrivate: true,
    },
    {
      name: names.enabled.name,
      type: 'boolean',
      value: 'true',
      description: 'snowgate: set to false to stop every snowgate business rule from sending webhooks.',
      readRoles: 'admin',
      writeRoles: 'admin',
      isPrivate: false,
    },
  ];
}
