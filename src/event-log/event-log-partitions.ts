import { PartitionLayout } from '../queues/partition-layout';
import { EventLogKeys } from './event-log-keys';

/**
 * The partitions of the event log: the deployment's partitions (SNOWGATE_PARTITIONS), each a self-contained
 * log under its own prefix (see EventLogKeys). An event belongs to one partition, chosen by its id, and so do
 * its meta, body and timeline and its place in every index (instance, global, terms): each partition is
 * written with one script call and trimmed on its own, and N partitions spread the log's commands over N
 * masters. With one partition (the default), partition 0 is the base prefix: the keys of before.
 */
export class EventLogPartitions {
  readonly layout: PartitionLayout;
  /** Each partition's keys, by partition index. */
  readonly partitions: readonly EventLogKeys[];

  /** A layout, or a prefix alone (one partition with that prefix). */
  constructor(layout: PartitionLayout | string) {
    this.layout = typeof layout === 'string' ? new PartitionLayout(layout) : layout;
    this.partitions = this.layout.prefixes.map((prefix) => new EventLogKeys(prefix));
  }

  get count(): number {
    return this.partitions.length;
  }

  /** The partition of an event (a stable hash of its id over the count). */
  of(id: string): number {
    return this.layout.ofKey(id);
  }

  /** Partition `p`'s keys. */
  at(p: number): EventLogKeys {
    const keys = this.partitions[p];
    if (!keys) throw new RangeError(`no event-log partition ${p} of ${this.count}`);
    return keys;
  }

  /** The keys of the partition an event belongs to. */
  keysOf(id: string): EventLogKeys {
    return this.at(this.of(id));
  }

  meta(id: string): string {
    return this.keysOf(id).meta(id);
  }

  body(id: string): string {
    return this.keysOf(id).body(id);
  }

  line(id: string): string {
    return this.keysOf(id).line(id);
  }

  /**
   * What each partition keeps of one instance, so that the instance keeps about `maxPerInstance` in total
   * (ids spread evenly, so each partition holds about a `count`-th of its newest events): ceil(max / count).
   */
  perPartition(maxPerInstance: number): number {
    return Math.ceil(maxPerInstance / this.count);
  }
}
