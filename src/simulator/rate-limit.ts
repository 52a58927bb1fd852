import type { NextFunction, Request, Response } from 'express';
import { stableSysId } from './glide-values';
import { rateLimitBody } from './sn-errors';
import type { SimulatorState } from './simulator-state';
import { bump } from './simulator-stats';

/** sys_id of the simulated "all users" rule in sys_rate_limit_rules. */
export const RATE_LIMIT_RULE_ID = stableSysId('sys_rate_limit_rules:all-users');

const HOUR_MS = 3_600_000;

function apiLabel(path: string): string {
  if (path.startsWith('/api/sn_customerservice/')) return 'Case API';
  if (path.startsWith('/api/now/attachment')) return 'Attachment API';
  return 'Table API';
}

/**
 * The `rateLimitPerHour` rule: per user, per clock hour. A matched request carries
 * X-RateLimit-Limit / -Reset (unix seconds of the next reset) / -Rule; past the limit, 429 with
 * Retry-After (seconds) and ServiceNow's body. Runs after authentication (counts are per user).
 */
export function rateLimitRule(state: SimulatorState) {
  const counts = new Map<string, number>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const limit = state.knobs.rateLimitPerHour;
    if (limit === null || limit === undefined) return next();
    const now = state.clock.now().getTime();
    const windowStart = Math.floor(now / HOUR_MS) * HOUR_MS;
    const reset = Math.floor((windowStart + HOUR_MS) / 1000);
    const key = `${String(res.locals.user)}|${windowStart}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    res.set({ 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Reset': String(reset), 'X-RateLimit-Rule': RATE_LIMIT_RULE_ID });
    if (count <= limit) return next();
    bump(state.stats.faults, 'rateLimited');
    res.status(429).set('Retry-After', String(Math.max(1, reset - Math.floor(now / 1000)))).json(rateLimitBody(limit, apiLabel(req.originalUrl)));
  };
}
