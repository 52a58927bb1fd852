import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../lib/redis-connections';
import type { PartitionLayout } from '../queues/partition-layout';
import { JOURNAL_INPUT_FIELDS } from '../servicenow/journal-fields';


/** What the ingest side knows of a change when it asks whose it is. */
export interface ChangeIdentity {
  instanceId: string;
  table: string;
  sysId: string;
  operation: string;
  sysModCount: string;
  record: Record<string, string>;
}

/** Options of {@link EchoRecords}. */
export interface EchoRecordsOptions {
  /** How long a write's echo is recognised (webhook retries, a later poll). Default 24 h. */
  ttlMs?: number;
  /** Longest a change waits for the answer of a write still in flight to its record. Default 3 s. */
  waitMs?: number;
  /** While the partition count changes: the old layout, whose echoes are still looked at as long as they may live. */
  previous?: { previous: PartitionLayout; carriesOver(): boolean };
}

type PrefixOf = (instanceId: string, table: string, sysId: string) => string;

const prefixesOf = (layout: PartitionLayout | string): PrefixOf =>
  typeof layout === 'string' ? () => layout : (instanceId, table, sysId) => layout.prefix(layout.ofRecord(instanceId, table, sysId));

const digest = (value: string) => crypto.createHash('sha256').update(value.trim()).digest('hex').slice(0, 32);

/**
 * Echo control: which changes coming back from ServiceNow snowgate itself wrote. After a write, its record
 * version — instance, table, sys_id and the sys_mod_count ServiceNow answered — maps to the write id; a
 * journal entry the write adds (its row's sys_id is never returned) maps by parent, element and a hash of
 * the text, recorded before the write is sent. While a write is in flight its record is marked, so a change
 * of that record that arrives before the write's answer waits for it (bounded) instead of being mistaken
 * for someone else's. Every key of a record — its versions, its in-flight mark and the journal entries added to
 * it — lives in the record's partition (a journal entry's change names its parent in `name` and `element_id`).
 */
export class EchoRecords {
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly prefixOf: PrefixOf;
  private readonly previous?: { prefixOf: PrefixOf; carriesOver(): boolean };

  /** `layout`: the deployment's partitions, or one key prefix for every record. */
  constructor(private readonly redis: RedisClient, layout: PartitionLayout | string, options: EchoRecordsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 3600 * 1000;
    this.waitMs = options.waitMs ?? 3000;
    this.prefixOf = prefixesOf(layout);
    const previous = options.previous;
    if (previous) this.previous = { prefixOf: prefixesOf(previous.previous), carriesOver: () => previous.carriesOver() };
  }

  private versionKey(instanceId: string, table: string, sysId: string, modCount: string, at = this.prefixOf): string {
    return `${at(instanceId, table, sysId)}:echo:v:${instanceId}|${table}|${sysId}|${modCount}`;
  }

  private inFlightKey(instanceId: string, table: string, sysId: string): string {
    return `${this.prefixOf(instanceId, table, sysId)}:echo:f:${instanceId}|${table}|${sysId}`;
  }

  private journalKey(instanceId: string, parentTable: string, parentSysId: string, element: string, value: string, at = this.prefixOf): string {
    return `${at(instanceId, parentTable, parentSysId)}:echo:j:${instanceId}|${parentSysId}|${element}|${digest(value)}`;
  }

  /** Before a write is sent: marks its record in flight (for `inFlightMs`) and records the journal entries it adds. */
  async expect(instanceId: string, table: string, sysId: string, fields: Record<string, unknown>, writeId: string, inFlightMs: number): Promise<void> {
    const pipeline = this.redis.pipeline();
    pipeline.set(this.inFlightKey(instanceId, table, sysId), writeId, 'PX', inFlightMs);
    for (const element of JOURNAL_INPUT_FIELDS) {
      const value = fields[element];
      if (typeof value === 'string' && value.trim() !== '') pipeline.set(this.journalKey(instanceId, table, sysId, element, value), writeId, 'PX', this.ttlMs);
    }
    await pipeline.exec();
  }

  /** After ServiceNow answered: the version it committed is this write's. */
  async record(instanceId: string, table: string, sysId: string, modCount: string | undefined, writeId: string): Promise<void> {
    const pipeline = this.redis.pipeline();
    if (modCount !== undefined && modCount !== '') pipeline.set(this.versionKey(instanceId, table, sysId, modCount), writeId, 'PX', this.ttlMs);
    pipeline.del(this.inFlightKey(instanceId, table, sysId));
    await pipeline.exec();
  }

  /** After a write failed: its record is no longer in flight. */
  async settle(instanceId: string, table: string, sysId: string): Promise<void> {
    await this.redis.del(this.inFlightKey(instanceId, table, sysId));
  }

  /** The write id that caused this change, if snowgate wrote it (while the partition count changes: also under the old count). */
  async writeOf(change: ChangeIdentity): Promise<string | undefined> {
    const { table, record } = change;
    if (change.operation === 'delete') return undefined;
    if (table === 'sys_journal_field' && (!record.name || !record.element_id || !record.element || record.value === undefined)) return undefined;
    const found = await this.writeIn(change);
    if (found || !this.previous?.carriesOver()) return found;
    return (await this.redis.get(this.ownerKey(change, this.previous.prefixOf))) ?? undefined;
  }

  /** The key naming the write of this change, under one layout: its journal entry's, or its record version's. */
  private ownerKey(change: ChangeIdentity, at: PrefixOf): string {
    const { instanceId, table, sysId, sysModCount, record } = change;
    if (table === 'sys_journal_field') return this.journalKey(instanceId, record.name!, record.element_id!, record.element!, record.value!, at);
    return this.versionKey(instanceId, table, sysId, sysModCount, at);
  }

  private async writeIn(change: ChangeIdentity): Promise<string | undefined> {
    const { instanceId, table, sysId, sysModCount } = change;
    if (table === 'sys_journal_field') return (await this.redis.get(this.ownerKey(change, this.prefixOf))) ?? undefined;
    const version = this.versionKey(instanceId, table, sysId, sysModCount);
    const [owner, inFlight] = await this.redis.mget(version, this.inFlightKey(instanceId, table, sysId));
    if (owner || !inFlight) return owner ?? undefined;
    const deadline = Date.now() + this.waitMs;
    for (let wait = 10; Date.now() < deadline; wait = Math.min(100, wait * 2)) {
      await sleep(wait);
      const [now, still] = await this.redis.mget(version, this.inFlightKey(instanceId, table, sysId));
      if (now || !still) return now ?? undefined;
    }
    return undefined;
  }
}
