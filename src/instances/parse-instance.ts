import { AppError } from '../lib/errors';
import { parseDurationList } from '../lib/durations';
import { compileSchema } from '../lib/schemas';
import { urlCarriesCredentials } from '../lib/url-credentials';
import { checkPollerResources } from '../poller/poller-check';
import { SERVICENOW_ELEMENTS } from './cloud-elements-keys';
import {
  CORE_TABLES, type AuthenticationType, type Instance, type InstanceDefinition, type InstanceWarning, type NotificationFormat, type PollerResource,
} from './instance';
import { normalizeDefinition } from './normalize-definition';
import { parseActions } from './parse-actions';

const validateDefinition = compileSchema<InstanceDefinition>('instance.schema.json');

/** Lower-case slug of a name: `Acme Prod!` → `acme-prod`. */
export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'instance';
}

function minutesToMs(value: unknown, fallbackMinutes: number): number {
  const minutes = value === undefined ? fallbackMinutes : Number(value);
  return Math.max(1000, Math.round(minutes * 60_000));
}

function invalid(key: string, message: string): AppError {
  const path = `/configuration/${key}`;
  return new AppError('invalid_instance', `configuration.${key} ${message}`, 400, { details: [{ path, message }] });
}

/** The Cloud Elements element a body names (by key or id), or undefined; 400 for one that is not a ServiceNow element. */
function elementOf(def: InstanceDefinition): (typeof SERVICENOW_ELEMENTS)[string] | undefined {
  if (!def.element) return undefined;
  const named = String(def.element.key ?? def.element.id ?? '');
  const element = SERVICENOW_ELEMENTS[named.toLowerCase()];
  if (!element) {
    throw new AppError('invalid_instance', `element "${named}" is not a Cloud Elements ServiceNow element (servicenow or servicenowoauth)`, 400, {
      details: [{ path: '/element', message: 'must be servicenow or servicenowoauth' }],
    });
  }
  return element;
}

/** The authentication: as configured, else the element's, else what the credentials given imply. */
function authenticationOf(c: Record<string, unknown>, element: ReturnType<typeof elementOf>, warnings: InstanceWarning[]): AuthenticationType {
  const configured = c['authentication.type'] as AuthenticationType | undefined;
  if (configured && element && (configured === 'basic') !== (element.auth === 'basic')) {
    warnings.push({ path: '/configuration/authentication.type', message: `${configured} is used, although element ${element.key} authenticates with ${element.auth}` });
  }
  return configured ?? element?.auth ?? (!c['oauth.api.key'] && c.username ? 'basic' : 'oauth2');
}

/** A whsec_ key is a Standard Webhooks key; any other key only makes sense with Cloud Elements' format. */
function checkSignatureKey(c: Record<string, unknown>): void {
  const key = c['event.notification.signature.key'];
  if (typeof key === 'string' && !key.startsWith('whsec_') && c['event.notification.format'] !== 'cloud-elements') {
    throw invalid('event.notification.signature.key', 'must be a whsec_ key for event.notification.format cloudevents (Standard Webhooks); to keep a Cloud Elements key, set event.notification.format to cloud-elements');
  }
}

function subscriberWarnings(enabled: boolean, callbackUrl: unknown, signatureKey: unknown): InstanceWarning[] {
  if (!enabled) return [];
  const kept = 'its events are kept as dead letters (reason no_subscriber), to be replayed once it is set';
  return [
    ...(callbackUrl ? [] : [{ path: '/configuration/event.notification.callback.url', message: `not set while notifications are enabled: ${kept}` }]),
    ...(signatureKey ? [] : [{ path: '/configuration/event.notification.signature.key', message: `not set while notifications are enabled: events are never sent unsigned; ${kept}` }]),
  ];
}

/**
 * Validates an instance definition — a snowgate body or a Cloud Elements element-instance body as their
 * docs write it (see normalizeDefinition) — against schemas/instance.schema.json and returns the parsed
 * instance with its warnings. A body naming an `element` gets that element's defaults (its authentication,
 * notifications off, polling every 15 minutes, its default poller resources). Throws AppError
 * `invalid_instance` (400) with the failing paths.
 */
export function parseInstance(definition: unknown): Instance {
  const normalized = normalizeDefinition(definition);
  const configuration = (normalized.value as { configuration?: unknown } | undefined)?.configuration;
  if (configuration && typeof configuration === 'object') checkSignatureKey(configuration as Record<string, unknown>);
  const result = validateDefinition(normalized.value);
  if (!result.ok) {
    throw new AppError('invalid_instance', 'The instance definition is not valid', 400, { details: result.errors });
  }
  const def = result.value;
  const warnings = [...normalized.warnings];
  const c = def.configuration as Record<string, unknown>;
  const get = <T>(key: string): T | undefined => c[key] as T | undefined;
  const element = elementOf(def);
  const subdomain = get<string>('servicenow.subdomain');
  const instanceUrl = (get<string>('servicenow.instance_url') ?? `https://${subdomain?.toLowerCase()}.service-now.com`).replace(/\/+$/, '');
  const secret = get<string | string[]>('webhook.secret');
  const vendorType = (get<string>('event.vendor.type') ?? (element ? 'polling' : 'webhooks')).split(',');
  const extraTables = get<string[]>('webhook.tables') ?? [];
  const authType = authenticationOf(c, element, warnings);
  if (authType === 'basic' && (!get('username') || !get('password'))) throw invalid(get('username') ? 'password' : 'username', `is required for authentication.type ${authType}`);
  if (authType !== 'basic' && (!get('oauth.api.key') || !get('oauth.api.secret'))) {
    throw invalid(get('oauth.api.key') ? 'oauth.api.secret' : 'oauth.api.key', `is required for authentication.type ${authType}`);
  }
  if (urlCarriesCredentials(instanceUrl)) {
    throw invalid('servicenow.instance_url', 'must not carry credentials (a user, a password or a secret query parameter): use username / password or oauth.api.key / oauth.api.secret');
  }
  if (!secret && !get('webhook.bearer_token') && vendorType.includes('webhooks')) throw invalid('webhook.secret', 'is required to receive webhooks (event.vendor.type webhooks)');
  const raw = (definition ?? {}) as InstanceDefinition & { providerData?: unknown };
  if (raw.providerData !== undefined) {
    // POST /instances exchanges the code and hands the rest over without it; here it is a config file or a basic body
    const why = authType === 'oauth2' ? 'a code is exchanged only when POST /instances creates the instance; authorize at GET /instances/{id}/oauth/authorize' : `authentication.type ${authType} takes no authorization code`;
    warnings.push({ path: '/providerData', message: `ignored: ${why}` });
  }
  const enabled = get<boolean>('event.notification.enabled') ?? !element;
  warnings.push(...subscriberWarnings(enabled, get('event.notification.callback.url'), get('event.notification.signature.key')));
  const pullRecordBy = get<'created' | 'updated'>('pull.record.by') ?? 'updated';
  const resources = Object.freeze({ ...(get<Record<string, PollerResource>>('event.poller.configuration') ?? {}) });
  const capabilities = Object.freeze(get<string[]>('capabilities') ?? ['helpdesk']);
  const poller = Object.freeze({ refreshIntervalMs: minutesToMs(get('event.poller.refresh_interval'), element ? 15 : 5), resources });
  warnings.push(...checkPollerResources(resources, pullRecordBy)); // the defaults are known to translate
  const { providerData: _code, ...stored } = raw;

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
    ...(element ? { element: element.key } : {}),
    capabilities,
    pullRecordBy,
    webhook: Object.freeze({
      secrets: Object.freeze(secret === undefined ? [] : Array.isArray(secret) ? [...secret] : [secret]),
      bearerToken: get<string>('webhook.bearer_token'),
      rateLimitPerSecond: get<number>('webhook.rate_limit_per_second') ?? 1000,
      tables: Object.freeze([...new Set([...CORE_TABLES, ...extraTables])]),
    }),
    events: Object.freeze({
      enabled,
      callbackUrl: get<string>('event.notification.callback.url'),
      signatureKey: get<string>('event.notification.signature.key'),
      allowPrivateTargets: get<boolean>('event.notification.allow_private_targets') ?? false,
      format: get<NotificationFormat>('event.notification.format') ?? 'cloudevents',
      skipOwnWrites: get<boolean>('event.notification.skip_own_writes') ?? false,
      ...(c['event.notification.retry_schedule'] !== undefined ? { retryDelaysMs: Object.freeze(parseDurationList(get<string | string[]>('event.notification.retry_schedule')!)!) } : {}),
    }),
    writes: Object.freeze({ bearerToken: get<string>('writes.bearer_token'), maxConcurrency: get<number>('writes.max_concurrency') ?? 10 }),
    actions: parseActions(def.actions),
    vendor: Object.freeze({ webhooks: vendorType.includes('webhooks'), polling: vendorType.includes('polling') }),
    poller,
    definition: stored as InstanceDefinition,
    warnings: Object.freeze(warnings),
  });
}
