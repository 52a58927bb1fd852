/**
 * One phase of the e2e benchmark's load: the same planned changes PATCHed into the simulator, whose webhooks
 * go to whatever relay (the gateway or the bare relay) delivers them to the subscriber; waits for every
 * committed change to arrive, then reports latencies and the CPU each measured process used per change.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { BenchDelivery } from './bench-subscriber';
import { cpuSeconds, percentile } from './bench-kit';

/** One planned change: when (ms from the start) and which case. */
export interface Slot {
  at: number;
  sysId: string;
}

/** How the benchmark names one change: the record and its sys_mod_count (an event's subject and sequence). */
export const changeKey = (sysId: string, modCount: string | number): string => `${sysId}/${Number(modCount)}`;

/** The simulator's admin credentials, as the sender and the benchmark's set-up calls send them. */
export const SIM_AUTH = 'Basic ' + Buffer.from('admin:admin').toString('base64');

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** PATCHes a case with node:http (lighter than fetch for the sender's thousands of calls); resolves with its new sys_mod_count. */
function patchCase(base: string, sysId: string, fields: Record<string, string>): Promise<number> {
  const body = JSON.stringify(fields);
  const url = new URL(`${base}/api/now/table/sn_customerservice_case/${sysId}`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: `${url.pathname}?sysparm_fields=sys_mod_count`, method: 'PATCH', agent, headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SIM_AUTH, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(Number((JSON.parse(Buffer.concat(chunks).toString()) as { result: { sys_mod_count: string } }).result.sys_mod_count));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What one phase measured. CPU figures are ms per change made in the measured window. */
export interface LoadResult {
  committedAt: Map<string, number>;
  /** The subscriber's deliveries when the wait ended. */
  deliveries: BenchDelivery[];
  /** Distinct event ids delivered. */
  delivered: number;
  latencies: number[];
  warmUp: number[];
  byWindow: number[][];
  failed: number;
  measuredChanges: number;
  sentSeconds: number;
  waitedMs: number;
  epoch: number;
  cpuMs: Record<string, number>;
  benchCpuMs: number;
}

/**
 * Sends `slots` (the first `warmupSeconds` are warm-up: their latencies and CPU are kept apart), waits up to
 * `waitMs` for every committed change to be delivered (by distinct id: at-least-once duplicates do not count),
 * and measures the CPU of `pids` over the measured window.
 */
export async function driveLoad(simUrl: string, slots: Slot[], warmupSeconds: number, deliveriesOf: () => BenchDelivery[], pids: Record<string, number>, waitMs = 150_000): Promise<LoadResult> {
  const cpuNow = () => ({ ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)])), bench: process.cpuUsage() }) as Record<string, number> & { bench: NodeJS.CpuUsage };
  let cpuBefore = cpuNow();
  let measuredChanges = 0;
  const committedAt = new Map<string, number>();
  let failed = 0;
  let inFlight = 0;
  const patches: Promise<void>[] = [];
  const start = performance.now();
  const epoch = Date.now();
  const measuredFrom = epoch + warmupSeconds * 1000;
  let warm = warmupSeconds === 0;
  for (const slot of slots) {
    const wait = slot.at - (performance.now() - start);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (!warm && slot.at >= warmupSeconds * 1000) {
      warm = true;
      cpuBefore = cpuNow(); // CPU per event is of the measured window
    }
    if (warm) measuredChanges += 1;
    if (inFlight > 2000) { failed += 1; continue; } // the sender is the bottleneck: do not pile up
    inFlight += 1;
    const t0 = epoch + (performance.now() - start);
    const patch = patchCase(simUrl, slot.sysId, { short_description: `change ${crypto.randomBytes(4).toString('hex')}` })
      .then((modCount) => void committedAt.set(changeKey(slot.sysId, modCount), t0))
      .catch(() => void (failed += 1))
      .finally(() => (inFlight -= 1));
    patches.push(patch);
  }
  await Promise.all(patches); // every change committed (and counted) before the wait for its delivery starts
  const sentSeconds = (performance.now() - start) / 1000;
  const deadline = Date.now() + waitMs; // a job whose attempt hit its 120 s deadline is retried within this
  const distinct = () => new Set(deliveriesOf().map((d) => d.id)).size;
  while (Date.now() < deadline && distinct() < committedAt.size) await new Promise((r) => setTimeout(r, 250));
  const deliveries = deliveriesOf().slice(); // every figure is of this moment; later arrivals are reported apart
  const waitedMs = Date.now() - epoch;
  const n = Math.max(1, measuredChanges);
  const cpuMs = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, ((cpuSeconds(pid) - cpuBefore[k]) * 1000) / n]));
  const benchCpu = process.cpuUsage(cpuBefore.bench);

  const latencies: number[] = [];
  const warmUp: number[] = [];
  const byWindow: number[][] = [];
  const firstSeen = new Set<string>();
  for (const d of deliveries) {
    if (firstSeen.has(d.id)) continue; // latency is to the first delivery of an event
    firstSeen.add(d.id);
    const t0 = committedAt.get(changeKey(d.subject, d.sequence));
    if (t0 === undefined) continue;
    (t0 >= measuredFrom ? latencies : warmUp).push(d.receivedAt - t0);
    (byWindow[Math.floor((t0 - epoch) / 10_000)] ??= []).push(d.receivedAt - t0);
  }
  latencies.sort((a, b) => a - b);
  warmUp.sort((a, b) => a - b);
  return { committedAt, deliveries, delivered: firstSeen.size, latencies, warmUp, byWindow, failed, measuredChanges, sentSeconds, waitedMs, epoch, cpuMs, benchCpuMs: (benchCpu.user + benchCpu.system) / 1000 / n };
}

/** "p50 … ms  p99 … ms  max … ms" of sorted latencies. */
export function latencyLine(sorted: number[]): string {
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms  p99 ${percentile(sorted, 99).toFixed(0)} ms  max ${sorted.at(-1)?.toFixed(0) ?? '-'} ms`;
}
