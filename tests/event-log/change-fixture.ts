import crypto from 'node:crypto';
import type { ChangeJob } from '../../src/queues/change-job';

/** Change `n` of a fresh case of instance `acme` (number `CS000100n`, sys_mod_count n), received now; `over` replaces fields. */
export function changeJob(n: number, over: Partial<ChangeJob> = {}): ChangeJob {
  return {
    eventId: crypto.randomUUID(),
    instanceId: 'acme',
    table: 'sn_customerservice_case',
    sysId: crypto.randomBytes(16).toString('hex'),
    operation: 'update',
    sysUpdatedOn: '2026-01-01 10:00:00',
    sysModCount: String(n),
    record: { number: `CS${String(1000 + n).padStart(7, '0')}`, short_description: `case ${n}` },
    source: 'webhook',
    receivedAt: Date.now(),
    ...over,
  };
}
