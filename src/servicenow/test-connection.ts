import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import { redactUrl } from '../lib/url-credentials';
import { ServiceNowClient } from './servicenow-client';
import type { OnCall } from './request-executor';
import { ServiceNowError } from './servicenow-error';
import type { TokenManager } from './token-manager';

/** Why a connection test failed. */
export type ConnectionFailureReason =
  | 'token_expired'
  | 'unauthorized'
  | 'reauthorization_required'
  | 'not_authorized'
  | 'unreachable'
  | 'hibernating'
  | 'rate_limited'
  | 'server_error'
  /** The instance URL is not a public address and the instance does not allow private targets: nothing was sent. */
  | 'target_refused';

export type ConnectionTestResult =
  | { ok: true; latencyMs: number; instanceUrl: string; authType: Instance['auth']['type']; refreshTokenExpiresAt?: string; accessTokenExpiresAt?: string }
  | { ok: false; reason: ConnectionFailureReason; message: string; instanceUrl: string; authType: Instance['auth']['type']; status?: number };

/** What a connection test needs. */
export interface TestConnectionDeps {
  tokens: TokenManager;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  onCall?: OnCall;
  fetch?: typeof fetch;
}

/**
 * Checks that the instance answers an authenticated request: one cheap
 * `GET /api/now/table/sys_user?sysparm_limit=1` with no retries beyond the 401 → refresh rule.
 * Never throws for a ServiceNow-side problem: the result names the reason. A refused target (not public,
 * not allowed) is `target_refused` before any connection, so the answer says nothing about what listens there.
 */
export async function testConnection(instance: Instance, deps: TestConnectionDeps): Promise<ConnectionTestResult> {
  const base = { instanceUrl: redactUrl(instance.instanceUrl), authType: instance.auth.type };
  const client = new ServiceNowClient(instance, deps.tokens, {
    timeoutMs: deps.timeoutMs ?? 10_000,
    retry: { maxAttempts: 1 },
    onCall: deps.onCall,
    fetch: deps.fetch,
  });
  const started = Date.now();
  try {
    await client.listRecords('sys_user', { limit: 1, fields: 'sys_id', noCount: true });
    const state = await deps.tokens.getState(instance);
    return {
      ok: true,
      latencyMs: Date.now() - started,
      ...base,
      ...(state.refreshTokenExpiresAt ? { refreshTokenExpiresAt: state.refreshTokenExpiresAt } : {}),
      ...(state.accessTokenExpiresAt ? { accessTokenExpiresAt: state.accessTokenExpiresAt } : {}),
    };
  } catch (err) {
    const failure = await classify(instance, deps.tokens, err);
    return { ok: false, ...failure, ...base };
  }
}

async function classify(instance: Instance, tokens: TokenManager, err: unknown): Promise<{ reason: ConnectionFailureReason; message: string; status?: number }> {
  if (err instanceof ServiceNowError) {
    if (err.status === 401 || err.status === 403) return { reason: 'unauthorized', message: err.message, status: err.status };
    if (err.status === 429) return { reason: 'rate_limited', message: err.message, status: err.status };
    return { reason: 'server_error', message: err.message, status: err.status };
  }
  if (!(err instanceof AppError)) return { reason: 'server_error', message: err instanceof Error ? err.message : String(err) };
  switch (err.code) {
    case 'reauthorization_required': {
      if (instance.auth.type === 'oauth2_client_credentials') return { reason: 'unauthorized', message: err.message };
      const expiresAt = (await tokens.getState(instance)).refreshTokenExpiresAt;
      const expired = expiresAt !== undefined && Date.parse(expiresAt) <= Date.now();
      return { reason: expired ? 'token_expired' : 'reauthorization_required', message: err.message };
    }
    case 'not_authorized':
      return { reason: 'not_authorized', message: err.message };
    case 'servicenow_hibernating':
      return { reason: 'hibernating', message: err.message };
    case 'servicenow_target_refused':
      return { reason: 'target_refused', message: err.message };
    case 'servicenow_unreachable':
      return { reason: 'unreachable', message: err.message };
    case 'token_refresh_failed':
      return { reason: /unreachable|timed out/i.test(err.message) ? 'unreachable' : 'server_error', message: err.message };
    default:
      return { reason: 'server_error', message: err.message };
  }
}
