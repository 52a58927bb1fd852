import type { Worker } from 'bullmq';
import type { Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import type { Shutdown } from '../lib/shutdown';
import type { PartitionMigration } from '../queues/partition-migration';
import type { PartitionedDeliveries } from '../queues/partitioned-deliveries';
import { QUEUE_NAMES } from '../queues/queue-names';
import { laneRecord, RecordLanes, type LaneTicket } from '../queues/record-lanes';

/** How often a worker looks whether the old partitions let the new ones go on. */
const WATCH_MS = 1000;

/**
 * The workers' side of a change of the partition count (see PartitionMigration). The old partitions are
 * consumed like the new ones; the new partitions' enrichment waits until nothing of the old count can still
 * reach an old lane (`open`), and until the old lanes are empty (`settled`) a record's events in a new
 * partition wait for its events in its old one (`laneBefore`).
 */
export class MigrationDrain {
  private open = false;
  private settled = false;
  private readonly gated: Worker[] = [];
  private readonly oldLanes: RecordLanes[];
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly migration: PartitionMigration, hotPath: RedisClient, deliveries: PartitionedDeliveries, private readonly logger: Logger) {
    this.oldLanes = migration.previous.prefixes.map((prefix, p) => new RecordLanes(hotPath, prefix, deliveries.previous[p]!.queue));
  }

  /** For the new partitions' lanes: whether the record's lane in its old partition is clear. */
  readonly laneBefore = async (ticket: LaneTicket, eventId: string): Promise<boolean> => {
    if (this.settled) return true;
    const record = laneRecord(ticket);
    if (!record) return true;
    const p = this.migration.previous.ofRecord(record.instanceId, record.table, record.sysId);
    const old = this.oldLanes[p]!;
    return old.isTurn(old.ticket(record.instanceId, record.table, record.sysId, String(ticket.seq), 'update'), eventId);
  };

  /** A new partition's ingest worker, started (`run`) once the old intake is drained. */
  gate(worker: Worker): void {
    if (this.open) void worker.run();
    else this.gated.push(worker);
  }

  /** Watches the old partitions until they let the new ones go on, then stops. */
  start(shutdown: Shutdown): void {
    const tick = async () => {
      try {
        if (!this.open && (await this.migration.intakeDrained())) {
          this.open = true;
          this.logger.info('partition change: the old partitions took no new change any more; the new partitions are enriched now', { from: this.migration.previous.count, to: this.migration.current.count });
          for (const worker of this.gated.splice(0)) void worker.run();
        }
        if (this.open && !this.settled && (await this.migration.unfinished([QUEUE_NAMES.deliver])) === 0) this.settled = true;
      } catch (err) {
        this.logger.debug('partition change watch failed', { err: (err as Error).message });
      }
      if (!this.settled && !this.stopped) this.timer = setTimeout(() => void tick(), WATCH_MS);
    };
    void tick();
    shutdown.add('partition change watch', () => {
      this.stopped = true;
      clearTimeout(this.timer);
    });
  }
}
