import { AppError } from '../lib/errors';
import { parseDurationList } from '../lib/durations';
import { compileSchema } from '../lib/schemas';
import { urlCarriesCredentials } from '../lib/url-credentials';
import { CORE_TABLES, type AuthenticationType, type Instance, type InstanceDefinition, type PollerResource } from './instance';

const validateDefinition = compileSchema<InstanceDefinition>('instance.schema.json');

/** Lower-case slug of a name: `Acme Prod!` → `acme-prod`. */
export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'instance';
}

function minutesToMs(value: unknown, fallbackMinutes: number): number {
  const minutes = value === undefined ? fallbackMinutes : Number(value);
  return Math.max(1000, Math.round(minutes * 60_000));
}

/**
 * Validates an instance definition against schemas/instance.schema.json and returns the parsed instance.
 * Throws AppError `invalid_instance` (400) with the failing paths.
 */
export function parseInstance(definition: unknown): Instance {
  const result = validateDefinition(definition);
  if (!result.ok) {
    throw new AppError('invalid_instance', 'The instance definition is not valid', 400, { details: result.errors });
  }
  const def = result.value;
  const c = def.configuration as Record<string, unknown>;
  const get = <T>(key: string): T | undefined => c[key] as T | undefined;
  const subdomain = get<string>('servicenow.subdomain');
  const instanceUrl = (get<string>('servicenow.instance_url') ?? `https://${subdomain}.service-now.com`).replace(/\/+$/, '');
  const secret = get<string | string[]>('webhook.secret');
  const vendorType = (get<string>('event.vendor.type') ?? 'webhooks').split(',');
  const extraTables = get<string[]>('webhook.tables') ?? [];
  const authType = get<AuthenticationType>('authentication.type') ?? 'oauth2';
  const missing = (key: string) =>
    new AppError('invalid_instance', `configuration.${key} is required for authentication.type ${authType}`, 400, {
      details: [{ path: `/configuration/${key}`, message: 'is required' }],
    });
  if (authType === 'basic' && (!get('username') || !get('password'))) throw missing(get('username') ? 'password' : 'username');
  if (authType !== 'basic' && (!get('oauth.api.key') || !get('oauth.api.secret'))) {
    throw missing(get('oauth.api.key') ? 'oauth.api.secret' : 'oauth.api.key');
  }
  if (!secret && !get('webhook.bearer_token')) throw missing('webhook.secret');
  if (urlCarriesCredentials(instanceUrl)) {
    throw new AppError('invalid_instance', 'configuration.servicenow.instance_url must not carry credentials: use username / password or oauth.api.key / oauth.api.secret', 400, {
      details: [{ path: '/configuration/servicenow.instance_url', message: 'must not carry a user, password or secret query parameter' }],
    });
  }

  return Object.freeze({
    id: def.id ?? slugify(def.name),
    name: def.name,
    tags: Object.freeze([...(def.tags ?? [])]),
    instanceUrl,
    allowPrivateInstanceUrl: get<boolean>('servicenow.allow_private_targets') ?? false,
    auth: Object.freeze({
      type: authType,
      clientId: get<string>('oauth.api.key'),
      clientSecret: get<string>('oauth.api.secret'),
      callbackUrl: get<string>('oauth.callback.url'),
      username: get<string>('username'),
      password: get<string>('password'),
    }),
    capabilities: Object.freeze(get<string[]>('capabilities') ?? ['helpdesk']),
    pullRecordBy: get<'created' | 'updated'>('pull.record.by') ?? 'updated',
    webhook: Object.freeze({
      secrets: Object.freeze(secret === undefined ? [] : Array.isArray(secret) ? [...secret] : [secret]),
      bearerToken: get<string>('webhook.bearer_token'),
      rateLimitPerSecond: get<number>('webhook.rate_limit_per_second') ?? 1000,
      tables: Object.freeze([...new Set([...CORE_TABLES, ...extraTables])]),
    }),
    events: Object.freeze({
      enabled: get<boolean>('event.notification.enabled') ?? true,
      callbackUrl: get<string>('event.notification.callback.url'),
      signatureKey: get<string>('event.notification.signature.key'),
      allowPrivateTargets: get<boolean>('event.notification.allow_private_targets') ?? false,
      ...(c['event.notification.retry_schedule'] !== undefined ? { retryDelaysMs: Object.freeze(parseDurationList(get<string | string[]>('event.notification.retry_schedule')!)!) } : {}),
    }),
    vendor: Object.freeze({ webhooks: vendorType.includes('webhooks'), polling: vendorType.includes('polling') }),
    poller: Object.freeze({
      refreshIntervalMs: minutesToMs(get('event.poller.refresh_interval'), 5),
      resources: Object.freeze({ ...(get<Record<string, PollerResource>>('event.poller.configuration') ?? {}) }),
    }),
    definition: def,
  });
}
