import { AppError } from '../lib/errors';
import { ignoredConfigurationKey, ignoredTopLevelKey, REPLACED_CONFIGURATION } from './cloud-elements-keys';
import type { InstanceWarning } from './instance';
import { REDACTED } from './instance-secrets';
import { didYouMean, KEY_TYPES, KNOWN_KEYS } from './known-keys';

/** Longest `event.poller.configuration` written as a JSON string. */
export const MAX_POLLER_CONFIGURATION_CHARS = 256 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const pointer = (...parts: string[]) => `/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** Collects what is wrong and what is ignored while a body is read. */
class Findings {
  readonly unknown: Array<{ path: string; message: string }> = [];
  readonly warnings: InstanceWarning[] = [];

  unknownKey(path: string, key: string, known: readonly string[]): void {
    if (this.unknown.length >= 20) return;
    const guess = didYouMean(key, known);
    this.unknown.push({ path, message: guess ? `unknown key "${key}"; did you mean "${guess}"?` : `unknown key "${key}"` });
  }

  throwIfUnknown(): void {
    if (this.unknown.length === 0) return;
    const [first] = this.unknown;
    const more = this.unknown.length > 1 ? ` (and ${this.unknown.length - 1} more)` : '';
    throw new AppError('invalid_instance', `${first.path}: ${first.message}${more}`, 400, { details: this.unknown });
  }
}

function invalid(path: string, message: string): AppError {
  return new AppError('invalid_instance', `${path} ${message}`, 400, { details: [{ path, message }] });
}

/** `"true"` / `"15"` → `true` / `15` where the schema takes a boolean or a number (Cloud Elements sends both). */
function coerce(value: unknown, types: readonly string[] | undefined): unknown {
  if (typeof value !== 'string' || !types) return value;
  if (types.includes('boolean') && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if ((types.includes('number') || types.includes('integer')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function pollerConfiguration(value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  if (value.length > MAX_POLLER_CONFIGURATION_CHARS) throw invalid(path, `is longer than ${MAX_POLLER_CONFIGURATION_CHARS} characters`);
  try {
    return JSON.parse(value);
  } catch (err) {
    throw invalid(path, `is a string but not JSON: ${(err as Error).message}`);
  }
}

function resource(name: string, value: unknown, findings: Findings): unknown {
  if (!isObject(value)) return value;
  const base = pointer('configuration', 'event.poller.configuration', name);
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (!KNOWN_KEYS.pollerResource.includes(key)) findings.unknownKey(`${base}/${key}`, key, KNOWN_KEYS.pollerResource);
    else if (v !== null) out[key] = coerce(v, KEY_TYPES.pollerResource[key]);
  }
  if (isObject(out.datesConfiguration)) {
    for (const key of Object.keys(out.datesConfiguration)) {
      if (!KNOWN_KEYS.datesConfiguration.includes(key)) findings.unknownKey(`${base}/datesConfiguration/${key}`, key, KNOWN_KEYS.datesConfiguration);
    }
  }
  return out;
}

/** The instance URL a `servicenow.subdomain` stands for: a subdomain, a host name or a full URL (Cloud Elements took all three). */
function subdomainUrl(subdomain: string): string {
  const text = subdomain.trim().replace(/\/+$/, '');
  if (/^https?:\/\//i.test(text)) return text;
  return text.includes('.') ? `https://${text}` : `https://${text.toLowerCase()}.service-now.com`;
}

/**
 * A subdomain written as a URL or host becomes `servicenow.instance_url`. When both keys are given and
 * disagree, the instance URL — the more precise of the two — is used, and a warning says so.
 */
function subdomainAsUrl(out: Json, findings: Findings): void {
  const subdomain = out['servicenow.subdomain'];
  if (typeof subdomain !== 'string') return;
  const fromSubdomain = subdomainUrl(subdomain);
  const given = out['servicenow.instance_url'];
  if (typeof given === 'string' && given.replace(/\/+$/, '').toLowerCase() !== fromSubdomain.toLowerCase()) {
    findings.warnings.push({ path: pointer('configuration', 'servicenow.subdomain'), message: `ignored: servicenow.instance_url (${given}) is used, not ${fromSubdomain}` });
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(subdomain.trim())) {
    delete out['servicenow.subdomain'];
    out['servicenow.instance_url'] ??= fromSubdomain;
  }
}

function configuration(value: unknown, findings: Findings): unknown {
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const path = pointer('configuration', key);
    if (REPLACED_CONFIGURATION[key]) throw invalid(path, REPLACED_CONFIGURATION[key]);
    const ignored = ignoredConfigurationKey(key);
    if (ignored) findings.warnings.push({ path, message: `ignored: ${ignored}` });
    else if (!KNOWN_KEYS.configuration.includes(key)) findings.unknownKey(path, key, KNOWN_KEYS.configuration);
    else if (v === REDACTED) throw invalid(path, `is the masked value "${REDACTED}" of a Cloud Elements answer: give the real value`);
    else if (v !== null && v !== '') out[key] = key === 'event.poller.configuration' ? pollerConfiguration(v, path) : coerce(v, KEY_TYPES.configuration[key]);
  }
  if (isObject(out['event.poller.configuration'])) {
    const resources = out['event.poller.configuration'];
    out['event.poller.configuration'] = Object.fromEntries(Object.entries(resources).map(([name, r]) => [name, resource(name, r, findings)]));
  }
  subdomainAsUrl(out, findings);
  if (typeof out['event.vendor.type'] === 'string') {
    out['event.vendor.type'] = out['event.vendor.type'].split(',').map((t) => t.trim().replace(/^webhook$/, 'webhooks')).join(',');
  }
  return out;
}

/**
 * Reads an instance body as Cloud Elements wrote it into the shape the schema checks: values coerced
 * (`"true"` → true, `"15"` → 15), `event.poller.configuration` parsed from a JSON string, empty and null values
 * dropped ("" is "not set"), a `servicenow.subdomain` that is a URL or host used as the instance URL, `webhook`
 * read as `webhooks`, `providerData` set aside (the caller exchanges its code). Cloud Elements keys that mean
 * nothing here are dropped into `warnings`; an unknown key is 400 `invalid_instance` with "did you mean …".
 */
export function normalizeDefinition(body: unknown): { value: unknown; warnings: InstanceWarning[] } {
  if (!isObject(body)) return { value: body, warnings: [] };
  const findings = new Findings();
  const out: Json = {};
  for (const [key, v] of Object.entries(body)) {
    const ignored = ignoredTopLevelKey(key) ?? (key === 'id' && typeof v === 'number' ? 'a Cloud Elements instance id (a number); the id here comes from the name' : undefined);
    if (ignored) findings.warnings.push({ path: pointer(key), message: `ignored: ${ignored}` });
    else if (!KNOWN_KEYS.topLevel.includes(key)) findings.unknownKey(pointer(key), key, KNOWN_KEYS.topLevel);
    else if (key === 'configuration') out.configuration = configuration(v, findings);
    else if (key !== 'providerData') out[key] = v;
  }
  findings.throwIfUnknown();
  return { value: out, warnings: findings.warnings };
}
