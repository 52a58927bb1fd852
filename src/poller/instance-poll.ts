import type { Instance } from '../instances/instance';
import type { Logger } from '../lib/logger';
import type { ServiceNowClient } from '../servicenow/servicenow-client';
import type { PollLock } from './poll-lock';
import { resolvePollSpecs } from './poll-spec';
import { pollResource, type ResourcePollDeps, type ResourcePollResult } from './resource-poller';

/** What polling one instance needs, besides the instance. */
export interface InstancePollDeps extends Omit<ResourcePollDeps, 'instanceId' | 'client' | 'initialWatermark'> {
  client: ServiceNowClient;
  lock: PollLock;
  logger: Logger;
  /** How far before "now" a resource that was never polled starts. Default 0. */
  initialLookbackMs?: number;
  /** Wait this long for a tick of the same instance to finish instead of skipping. Default 0. */
  waitForLockMs?: number;
}

/** The outcome of one tick of one instance. */
export interface InstancePollResult {
  instanceId: string;
  /** Set when nothing ran: another tick of this instance still holds the lock. */
  skipped?: 'locked';
  resources: ResourcePollResult[];
  errors: Array<{ resource: string; message: string }>;
}

/**
 * One tick of one instance: under the instance's lock (kept alive page by page), polls every resource
 * in turn. A failing resource is logged and reported; the others still run.
 */
export async function pollInstance(instance: Instance, deps: InstancePollDeps): Promise<InstancePollResult> {
  const result: InstancePollResult = { instanceId: instance.id, resources: [], errors: [] };
  const held = await deps.lock.acquire(instance.id, deps.waitForLockMs ?? 0);
  if (!held) return { ...result, skipped: 'locked' };
  try {
    const specs = resolvePollSpecs(instance);
    const lookback = deps.initialLookbackMs ?? 0;
    for (const spec of specs) {
      try {
        result.resources.push(
          await pollResource(spec, {
            ...deps,
            instanceId: instance.id,
            initialWatermark: () => new Date(Date.now() - lookback),
            onPage: async (info) => {
              await held.extend();
              await deps.onPage?.(info);
            },
          }),
        );
      } catch (err) {
        const message = (err as Error).message;
        result.errors.push({ resource: spec.key, message });
        deps.logger.warn('poll of a resource failed', { instanceId: instance.id, resource: spec.key, err: message });
      }
    }
  } finally {
    await held.release().catch(() => undefined);
  }
  return result;
}
