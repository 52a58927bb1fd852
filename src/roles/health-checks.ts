import type { HealthCheck } from '../http/health-routes';
import { subscriberState } from '../events/subscriber-config';
import type { SnowgateParts } from './snowgate-parts';
import type { PartitionQueues } from '../queues/partition-queues';
import { subscriberBreakers } from '../ops/subscriber-breakers';

/**
 * Whether this process can enqueue into one partition: a write routed to the partition's slot (so, with Redis
 * Cluster, to the master serving it — a PING would reach any node), then the replica acknowledgement the
 * accept paths wait for, when one is asked.
 */
async function partitionWritable(parts: SnowgateParts, p: PartitionQueues): Promise<void> {
  await parts.producer.set(`${p.prefix}:ready`, String(Date.now()), 'PX', 60_000);
  await p.ack();
}

/**
 * Readiness: Redis is critical — every partition must take a write (without it this process cannot do its job,
 * and one master down is enough to refuse the changes routed to it); each instance's token state and
 * subscriber (`ok`, `not_configured`, `off`), and each subscriber's circuit breaker, only report ok / degraded —
 * a ServiceNow or subscriber outage must not take the gateway out of a load balancer.
 */
export function healthChecks(parts: SnowgateParts): HealthCheck[] {
  const { registry, tokens } = parts;
  const breakers = subscriberBreakers(parts.breaker, registry, parts.deliveries.queue);
  return [
    {
      name: 'redis',
      critical: true,
      run: async () => {
        const results = await Promise.allSettled(parts.partitions.map((p) => partitionWritable(parts, p)));
        const failed = results.flatMap((r, p) => (r.status === 'rejected' ? [[String(p), (r.reason as Error).message] as const] : []));
        if (failed.length === 0) return { status: 'ok' };
        return { status: 'down', ...(parts.partitions.length > 1 ? { partitions: Object.fromEntries(failed) } : { error: failed[0]![1] }) };
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
