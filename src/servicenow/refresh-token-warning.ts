import type { Logger } from '../lib/logger';

const DAY_MS = 86_400_000;

/**
 * Warns when an instance's refresh token expires within `withinDays` (ServiceNow cannot renew it:
 * only a new authorization helps). At most one warning per instance per day per process.
 */
export class RefreshTokenWarning {
  private readonly warnedAt = new Map<string, number>();

  constructor(private readonly logger: Logger, private readonly withinDays: number) {}

  check(instanceId: string, expiresAt: number | undefined, now = Date.now()): void {
    if (!expiresAt || expiresAt - now > this.withinDays * DAY_MS) return;
    if (now - (this.warnedAt.get(instanceId) ?? 0) < DAY_MS) return;
    this.warnedAt.set(instanceId, now);
    this.logger.warn('ServiceNow refresh token expires soon; reauthorize the instance', {
      instanceId,
      expiresAt: new Date(expiresAt).toISOString(),
      daysLeft: Math.max(0, Math.floor((expiresAt - now) / DAY_MS)),
    });
  }

  /** Forget an instance (it was just reauthorized). */
  forget(instanceId: string): void {
    this.warnedAt.delete(instanceId);
  }
}
