import { decrypt, encrypt } from '../lib/encryption';

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

/**
 * Splits a configuration into its public part and one ciphertext holding every secret value
 * (`undefined` when there is none), so that a stored definition never carries a secret in clear.
 */
export function sealSecrets(
  key: Buffer,
  configuration: Record<string, unknown>,
): { configuration: Record<string, unknown>; secrets?: string } {
  const open: Record<string, unknown> = {};
  const hidden: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(configuration)) (isSecretKey(k) ? hidden : open)[k] = v;
  return Object.keys(hidden).length === 0 ? { configuration: open } : { configuration: open, secrets: encrypt(key, JSON.stringify(hidden)) };
}

/** Puts the secrets sealed by {@link sealSecrets} back into a configuration. Throws on a wrong key or tampered data. */
export function openSecrets(key: Buffer, configuration: Record<string, unknown>, secrets: string | undefined): Record<string, unknown> {
  if (secrets === undefined) return { ...configuration };
  return { ...configuration, ...(JSON.parse(decrypt(key, secrets)) as Record<string, unknown>) };
}
