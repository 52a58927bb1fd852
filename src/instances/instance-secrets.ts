import { decrypt, encrypt } from '../lib/encryption';
import { redactUrl, urlCarriesCredentials } from '../lib/url-credentials';

/** Configuration keys whose values are secrets: encrypted at rest, redacted on the way out. */
export const SECRET_CONFIGURATION_KEYS = [
  'oauth.api.secret',
  'password',
  'webhook.secret',
  'webhook.bearer_token',
  'writes.bearer_token',
  'event.notification.signature.key',
] as const;

/** What a secret value looks like in every response. */
export const REDACTED = '********';

/** True when a configuration key holds a secret. */
export function isSecretKey(key: string): boolean {
  return (SECRET_CONFIGURATION_KEYS as readonly string[]).includes(key);
}

/** True when a configuration value is secret: the value of a secret key, or a URL carrying credentials (`https://user:pw@…`, `?access_token=…`). */
export function isSecretValue(key: string, value: unknown): boolean {
  return isSecretKey(key) || urlCarriesCredentials(value);
}

/**
 * Splits a configuration into its public part and one ciphertext holding every secret value
 * (`undefined` when there is none), so that a stored definition never carries a secret in clear.
 * A URL carrying credentials is sealed whole; the public part keeps it redacted, for whoever reads Redis.
 */
export function sealSecrets(
  key: Buffer,
  configuration: Record<string, unknown>,
): { configuration: Record<string, unknown>; secrets?: string } {
  const open: Record<string, unknown> = {};
  const hidden: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(configuration)) {
    if (!isSecretValue(k, v)) open[k] = v;
    else {
      hidden[k] = v;
      if (!isSecretKey(k)) open[k] = redactUrl(v as string);
    }
  }
  return Object.keys(hidden).length === 0 ? { configuration: open } : { configuration: open, secrets: encrypt(key, JSON.stringify(hidden)) };
}

/** Puts the secrets sealed by {@link sealSecrets} back into a configuration. Throws on a wrong key or tampered data. */
export function openSecrets(key: Buffer, configuration: Record<string, unknown>, secrets: string | undefined): Record<string, unknown> {
  if (secrets === undefined) return { ...configuration };
  return { ...configuration, ...(JSON.parse(decrypt(key, secrets)) as Record<string, unknown>) };
}
