import http from 'node:http';
import https from 'node:https';
import { Agent } from 'undici';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import { guardedLookup, vetLiteralHost } from '../lib/ssrf-guard';

/**
 * Connections to ServiceNow for instances that do not allow private targets: every host name is resolved and
 * vetted at connect time, so the instance URL (or a DNS answer changed later) cannot point the gateway's
 * ServiceNow client, with its tokens, at loopback, the cloud metadata endpoint or the internal network.
 * A pool of its own: a socket opened for an instance that allows private targets is never reused here.
 */
const VETTED = new Agent({ connect: { lookup: guardedLookup(false) } });

/**
 * The error for a refused instance URL. It says only that the target is not public, never whether anything
 * listens there: nothing was sent, so an admin cannot use test-connection to scan the internal network.
 * `refusal` is the guard's error (see isSsrfRefusal), kept as the cause.
 */
export function targetRefused(instance: Instance, refusal: unknown): AppError {
  return new AppError(
    'servicenow_target_refused',
    `The instance URL of ${instance.id} is not a public address; set servicenow.allow_private_targets to reach it`,
    502,
    { retryable: true, cause: refusal },
  );
}

/** `fetch` for one instance's ServiceNow calls: through the vetted pool unless `servicenow.allow_private_targets`. */
export function guardedFetch(instance: Instance, fetchImpl: typeof fetch = fetch): typeof fetch {
  if (instance.allowPrivateInstanceUrl) return fetchImpl;
  return (input, init) => {
    vetLiteralHost(new URL(input instanceof Request ? input.url : String(input)).hostname, false);
    return fetchImpl(input, { ...init, dispatcher: VETTED } as RequestInit);
  };
}

/**
 * The HTTP agent for a request to the instance's OAuth endpoints (simple-oauth2): undefined (Node's default)
 * when private targets are allowed, else a fresh one resolving through the SSRF guard. Throws the guard's
 * SsrfBlockedError at once for a non-public IP literal.
 */
export function oauthAgent(instance: Instance): http.Agent | undefined {
  if (instance.allowPrivateInstanceUrl) return undefined;
  const url = new URL(instance.instanceUrl);
  vetLiteralHost(url.hostname, false);
  return new (url.protocol === 'https:' ? https.Agent : http.Agent)({ lookup: guardedLookup(false) });
}
