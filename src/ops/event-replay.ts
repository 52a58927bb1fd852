import type { ReplayResult } from '../queues/delivery-replayer';
import type { PartitionedDeliveries } from '../queues/partitioned-deliveries';
import type { DeadLetterEntry } from '../events/delivery-record';
import { matchesFilter, type OpsFilter } from './ops-filter';

/**
 * Dead-lettered events, listed and replayed. The ops routes take this interface so that they do not
 * depend on how delivery keeps its dead letters; {@link deliveryReplay} adapts the DeliveryProducer.
 */
export interface EventReplay {
  /** Dead letters matching the filter (instance, CloudEvent type, dead-lettered time), newest first. */
  list(filter: OpsFilter): Promise<unknown[]>;
  /** Replays one event by event id or delivery job id. Throws AppError 404 / 409. */
  replay(id: string): Promise<ReplayResult>;
  /** Replays every dead letter matching the filter. */
  replayBulk(filter: OpsFilter): Promise<unknown[]>;
}

/** {@link EventReplay} over every partition's dead-letter queue and replayer; each replay is told to `onReplayed` (the event log). */
export function deliveryReplay(deliveries: PartitionedDeliveries, onReplayed: (result: ReplayResult) => void = () => undefined): EventReplay {
  return {
    async list(filter) {
      const found: DeadLetterEntry[] = [];
      for (const producer of deliveries.all) {
        let taken = 0;
        for await (const entry of producer.deadLetters.all()) {
          if (taken >= filter.limit) break;
          if (!matchesFilter(filter, entry.instanceId, String(entry.event.type), entry.deadLetteredAt)) continue;
          found.push(entry);
          taken += 1;
        }
      }
      return found.sort((a, b) => b.deadLetteredAt - a.deadLetteredAt).slice(0, filter.limit).map((entry) => ({
        eventId: String(entry.event.id),
        instanceId: entry.instanceId,
        type: entry.event.type,
        subject: entry.event.subject,
        reason: entry.reason,
        message: entry.message,
        attempts: entry.attempts.length,
        deliveryJobId: entry.deliveryJobId,
        deadLetteredAt: new Date(entry.deadLetteredAt).toISOString(),
      }));
    },
    replay: async (id) => {
      const result = await deliveries.replay(id);
      onReplayed(result);
      return result;
    },
    replayBulk: async (filter) => {
      const results = await deliveries.replayMany({ instanceId: filter.instanceId, type: filter.type, from: filter.from, to: filter.to, limit: filter.limit });
      results.forEach(onReplayed);
      return results;
    },
  };
}
