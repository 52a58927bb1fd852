import { decrypt, encrypt } from '../lib/encryption';
import type { ActionDefinition } from './action';
import { REDACTED } from './instance-secrets';

type Actions = Record<string, ActionDefinition>;
type Auth = ActionDefinition['auth'];

/**
 * Splits the actions into their definitions with an empty `auth` and one ciphertext of every action's
 * `auth` (bearer tokens and `whsec_` secrets), so that a stored instance never carries them in clear.
 */
export function sealActionSecrets(key: Buffer, actions: Actions | undefined): { actions?: Actions; secrets?: string } {
  if (!actions || Object.keys(actions).length === 0) return {};
  const open: Actions = {};
  const hidden: Record<string, Auth> = {};
  for (const [name, action] of Object.entries(actions)) {
    open[name] = { ...action, auth: {} };
    hidden[name] = action.auth;
  }
  return { actions: open, secrets: encrypt(key, JSON.stringify(hidden)) };
}

/** Puts the `auth` sealed by {@link sealActionSecrets} back. Throws on a wrong key or tampered data. */
export function openActionSecrets(key: Buffer, actions: Actions | undefined, secrets: string | undefined): Actions | undefined {
  if (!actions || secrets === undefined) return actions;
  const hidden = JSON.parse(decrypt(key, secrets)) as Record<string, Auth>;
  return Object.fromEntries(Object.entries(actions).map(([name, action]) => [name, { ...action, auth: hidden[name] ?? action.auth }]));
}

/** The actions as shown outside: every `auth` value replaced with `********`. */
export function redactActions(actions: Actions | undefined): Actions | undefined {
  if (!actions) return undefined;
  const redact = (auth: Auth): Auth => ({
    ...(auth.bearer_token !== undefined ? { bearer_token: REDACTED } : {}),
    ...(auth.secret !== undefined ? { secret: Array.isArray(auth.secret) ? auth.secret.map(() => REDACTED) : REDACTED } : {}),
  });
  return Object.fromEntries(Object.entries(actions).map(([name, action]) => [name, { ...action, auth: redact(action.auth) }]));
}
