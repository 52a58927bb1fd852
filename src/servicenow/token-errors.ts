import { AppError } from '../lib/errors';

/**
 * The instance's refresh token is dead (or its client credentials were rejected): an operator must
 * reauthorize. Thrown without any request to ServiceNow once the state is recorded. Retryable: the
 * condition clears as soon as the instance is reauthorized.
 */
export function reauthorizationRequired(instanceId: string, reason: string): AppError {
  return new AppError('reauthorization_required', `Instance ${instanceId} needs reauthorization: ${reason}`, 409, { retryable: true });
}

/** An `oauth2` instance that nobody has authorized yet. */
export function notAuthorized(instanceId: string): AppError {
  return new AppError(
    'not_authorized',
    `Instance ${instanceId} is not authorized yet: open GET /instances/${instanceId}/oauth/authorize`,
    409,
    { retryable: true },
  );
}

/** A token request failed for a reason that may pass (network, 5xx, HTML instead of JSON). */
export function tokenRefreshFailed(instanceId: string, reason: string, cause?: unknown): AppError {
  return new AppError('token_refresh_failed', `Could not get a token for instance ${instanceId}: ${reason}`, 503, { retryable: true, cause });
}
