import type { HealthCheck } from '../http/health-routes';
import { subscriberState } from '../events/subscriber-config';
import type { SnowgateParts } from '../main';
import { subscriberBreakers } from '../ops/subscriber-breakers';

/**
 * Readiness: Redis is critical (without it this process cannot do its job); each instance's token state and
 * subscriber (`ok`, `not_configured`, `off`), and each subscriber's circuit breaker, only report ok / degraded —
 * a ServiceNow or subscriber outage must not take the gateway out of a load balancer.
 */
export function healthChecks(parts: SnowgateParts): HealthCheck[] {
  const { producer, registry, tokens } = parts;
  const breakers = subscriberBreakers(parts.breaker, registry, parts.deliveries.queue);
  return [
    {
      name: 'redis',
      critical: true,
      run: async () => {
        await producer.ping();
        return { status: 'ok' };
      },
    },
    {
      name: 'instances',
      critical: false,
      run: async () => {
        const states = await Promise.all(
          registry.list().map(async (instance) => {
            const state = await tokens.getState(instance).catch((err: Error) => ({ status: 'error', reason: err.message }));
            const ok = state.status === 'ok' || (state.status === 'not_authorized' && instance.auth.type !== 'oauth2');
            const subscriber = subscriberState(instance);
            const status = ok && subscriber !== 'not_configured' ? 'ok' : 'degraded';
            return [instance.id, { status, auth: state.status, subscriber, ...(state.reason ? { reason: state.reason } : {}) }] as const;
          }),
        );
        return { status: states.every(([, s]) => s.status === 'ok') ? 'ok' : 'degraded', ...Object.fromEntries(states) };
      },
    },
    {
      name: 'subscribers',
      critical: false,
      run: async () => {
        const states = (await breakers.list()).map(({ instanceId, state, ...breaker }) => [instanceId, { status: state === 'closed' ? 'ok' : 'degraded', breaker: state, ...breaker }] as const);
        return { status: states.every(([, s]) => s.status === 'ok') ? 'ok' : 'degraded', ...Object.fromEntries(states) };
      },
    },
  ];
}
