import type { DeliveryProducer } from '../queues/delivery-producer';
import type { ReplayResult } from '../queues/delivery-replayer';
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

/** {@link EventReplay} over the delivery part's DeliveryProducer (its dead-letter queue and replayer); each replay is told to `onReplayed` (the event log). */
export function deliveryReplay(producer: DeliveryProducer, onReplayed: (result: ReplayResult) => void = () => undefined): EventReplay {
  return {
    async list(filter) {
      const out: unknown[] = [];
      for await (const entry of producer.deadLetters.all()) {
        if (out.length >= filter.limit) break;
        if (!matchesFilter(filter, entry.instanceId, String(entry.event.type), entry.deadLetteredAt)) continue;
        out.push({
          eventId: String(entry.event.id),
          instanceId: entry.instanceId,
          type: entry.event.type,
          subject: entry.event.subject,
          reason: entry.reason,
          message: entry.message,
          attempts: entry.attempts.length,
          deliveryJobId: entry.deliveryJobId,
          deadLetteredAt: new Date(entry.deadLetteredAt).toISOString(),
        });
      }
      return out;
    },
    replay: async (id) => {
      const result = await producer.replay(id);
      onReplayed(result);
      return result;
    },
    replayBulk: async (filter) => {
      const results = await producer.replayMany({ instanceId: filter.instanceId, type: filter.type, from: filter.from, to: filter.to, limit: filter.limit });
      results.forEach(onReplayed);
      return results;
    },
  };
}
