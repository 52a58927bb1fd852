/**
 * npm run bench:e2e — 500 changes/s for 60 s (after 10 s of warm-up at the same rate, reported apart) made in the simulated ServiceNow (25 ms API latency), whose
 * business rules post the webhooks to the gateway (1 api + 1 worker process, built dist/), delivered to a
 * local subscriber. 30% of the records change several times within a second. Prints end-to-end p50/p99
 * (change committed → event at the subscriber), ServiceNow API calls per delivered event, and the peak RSS
 * of each process. Figures, not a test.
 *
 * Knobs: BENCH_RATE (500), BENCH_SECONDS (60), BENCH_WARMUP_SECONDS (10), BENCH_RECORDS (3000);
 * BENCH_LOG_DIR=dir keeps each process's log and prints a per-stage breakdown, missing changes and late arrivals;
 * BENCH_WORKER_NODE_ARGS / BENCH_SIM_NODE_ARGS add node flags (e.g. `--cpu-prof`; with
 * `--heapsnapshot-signal=SIGUSR2` the worker's heap is snapshotted at the end of the load).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startBenchSubscriber, type BenchDelivery } from './bench-subscriber';
import { benchRedis, cpuSeconds, GATEWAY_NODE_ARGS, freePort, machine, percentile, ROOT, rssBytes, spawnReady, type ReadyChild } from './bench-kit';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
/** Load at the same rate before the measured window, so the figures are of warm processes; the warm-up's own p99 is printed too. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 3000);
const BURSTY = 0.3;
/** How the benchmark names one change: the record and its sys_mod_count (an event's subject and sequence). */
const changeKey = (sysId: string, modCount: string | number): string => `${sysId}/${Number(modCount)}`;
const auth = 'Basic ' + Buffer.from('admin:admin').toString('base64');
const whsec = () => 'whsec_' + crypto.randomBytes(32).toString('base64');

async function sim(url: string, pathname: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url + pathname, { ...init, headers: { 'content-type': 'application/json', accept: 'application/json', authorization: auth, ...(init.headers ?? {}) } });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** PATCHes a case with node:http (lighter than fetch for the sender's thousands of calls); resolves with its new sys_mod_count. */
function patchCase(base: string, sysId: string, fields: Record<string, string>): Promise<number> {
  const body = JSON.stringify(fields);
  const url = new URL(`${base}/api/now/table/sn_customerservice_case/${sysId}`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: `${url.pathname}?sysparm_fields=sys_mod_count`, method: 'PATCH', agent, headers: { 'content-type': 'application/json', accept: 'application/json', authorization: auth, 'content-length': Buffer.byteLength(body) } }, (res) => {
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

/** Creates the cases the load will change (through the Table API, like any client). */
async function createCases(simUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, k) =>
        sim(simUrl, '/api/now/table/sn_customerservice_case', { method: 'POST', body: JSON.stringify({ short_description: `bench case ${i + k}`, priority: '4', state: '1' }) }).then(async (r) => ((await r.json()) as { result: { sys_id: string } }).result.sys_id),
      ),
    );
    ids.push(...batch);
  }
  return ids;
}

/** The changes to make: one per slot at RATE/s; 30% of them belong to records changed 3–5 times within a second. */
function plan(ids: string[]): { at: number; sysId: string }[] {
  const total = RATE * (WARMUP_SECONDS + SECONDS);
  const slots: { at: number; sysId: string }[] = [];
  let next = 0;
  const pick = () => ids[next++ % ids.length];
  while (slots.length < total) {
    const at = (slots.length / RATE) * 1000;
    if (Math.random() < BURSTY / 4) {
      const id = pick();
      const n = 3 + Math.floor(Math.random() * 3);
      for (let k = 0; k < n && slots.length < total; k++) slots.push({ at: at + k * (900 / n), sysId: id });
    } else slots.push({ at, sysId: pick() });
  }
  return slots.sort((a, b) => a.at - b.at);
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('run `npm run build` first (npm run bench:e2e does)');
  const redis = await benchRedis();
  const children: ReadyChild[] = [];
  const signatureKey = whsec();
  const subscriber = await startBenchSubscriber(signatureKey);
  const configPath = path.join(os.tmpdir(), `snowgate-e2e-${process.pid}.json`);
  try {
    const simArgs = (process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const simulator = await spawnReady([...simArgs, path.join(ROOT, 'dist/cli.js'), 'simulator', '--port', String(await freePort()), '--client-credentials'], { LOG_LEVEL: 'warn' }, 'simulator');
    children.push(simulator);
    const webhookSecret = whsec();
    fs.writeFileSync(configPath, JSON.stringify({ instances: [{ id: 'bench', name: 'bench', configuration: {
      'servicenow.instance_url': simulator.url, 'servicenow.allow_private_targets': true, 'authentication.type': 'oauth2_client_credentials', 'oauth.api.key': 'sandbox-client', 'oauth.api.secret': 'sandbox-secret',
      'webhook.secret': webhookSecret, 'webhook.rate_limit_per_second': 100000, 'event.notification.callback.url': subscriber.url,
      'event.notification.signature.key': signatureKey, 'event.notification.allow_private_targets': true } }] }));
    const common = { REDIS_URL: redis.url, SNOWGATE_CONFIG: configPath, LOG_LEVEL: 'info', HOST: '127.0.0.1', SNOWGATE_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'), SNOWGATE_ADMIN_TOKEN: 'bench-admin-token-0000', SNOWGATE_METRICS_PUBLIC: 'true', ...(process.env.BENCH_JOB_DEADLINE_MS ? { SNOWGATE_JOB_DEADLINE_MS: process.env.BENCH_JOB_DEADLINE_MS } : {}) };
    const api = await spawnReady([...GATEWAY_NODE_ARGS, path.join(ROOT, 'dist/cli.js'), 'start'], { ...common, SNOWGATE_ROLE: 'api', PORT: String(await freePort()) }, 'api');
    const workerArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
    const worker = await spawnReady([...GATEWAY_NODE_ARGS, ...workerArgs, path.join(ROOT, 'dist/cli.js'), 'start'], { ...common, SNOWGATE_ROLE: 'worker', PORT: String(await freePort()) }, 'worker');
    children.push(api, worker);

    const ids = await createCases(simulator.url, RECORDS);
    await sim(simulator.url, '/__sim/knobs', { method: 'POST', body: JSON.stringify({ latencyMs: 25, webhookConcurrency: 64 }) });
    await sim(simulator.url, '/__sim/webhook-target', { method: 'POST', body: JSON.stringify({ gatewayUrl: api.url.replace('localhost', '127.0.0.1'), instanceId: 'bench', secret: webhookSecret }) });
    const slots = plan(ids);
    const peak: Record<string, number> = {};
    const sampler = setInterval(() => {
      for (const [name, child] of [['api', api], ['worker', worker], ['simulator', simulator]] as const) peak[name] = Math.max(peak[name] ?? 0, rssBytes(child.child.pid!));
      peak.bench = Math.max(peak.bench ?? 0, process.memoryUsage().rss);
    }, 250);

    process.stdout.write(`machine: ${machine()}\nload: ${RATE} changes/s for ${WARMUP_SECONDS} s of warm-up, then ${SECONDS} s measured (${slots.length} changes on ${RECORDS} cases, ${BURSTY * 100}% of records changed 3–5 times within a second); simulator API latency 25 ms\n`);
    const cpuNow = () => ({ api: cpuSeconds(api.child.pid!), worker: cpuSeconds(worker.child.pid!), simulator: cpuSeconds(simulator.child.pid!), redis: cpuSeconds(redis.pid!), bench: process.cpuUsage() });
    let cpuBefore = cpuNow();
    let measuredChanges = 0;
    const committedAt = new Map<string, number>();
    let failed = 0;
    let inFlight = 0;
    const patches: Promise<void>[] = [];
    const start = performance.now();
    const epoch = Date.now();
    const measuredFrom = epoch + WARMUP_SECONDS * 1000;
    let warm = WARMUP_SECONDS === 0;
    for (const slot of slots) {
      const wait = slot.at - (performance.now() - start);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!warm && slot.at >= WARMUP_SECONDS * 1000) {
        warm = true;
        cpuBefore = cpuNow(); // CPU per event is of the measured window
      }
      if (warm) measuredChanges += 1;
      if (inFlight > 2000) { failed += 1; continue; } // the sender is the bottleneck: do not pile up
      inFlight += 1;
      const t0 = epoch + (performance.now() - start);
      const patch = patchCase(simulator.url, slot.sysId, { short_description: `change ${crypto.randomBytes(4).toString('hex')}` })
        .then((modCount) => void committedAt.set(changeKey(slot.sysId, modCount), t0))
        .catch(() => void (failed += 1))
        .finally(() => (inFlight -= 1));
      patches.push(patch);
    }
    await Promise.all(patches); // every change committed (and counted) before the wait for its delivery starts
    const sentSeconds = (performance.now() - start) / 1000;
    const deadline = Date.now() + 150_000; // a job whose attempt hit its 120 s deadline is retried within this
    const distinct = () => new Set(subscriber.deliveries.map((d) => d.id)).size; // at-least-once: a duplicate must not end the wait early
    while (Date.now() < deadline && distinct() < committedAt.size) await new Promise((r) => setTimeout(r, 250));
    clearInterval(sampler);
    const deliveries = subscriber.deliveries.slice(); // every figure below is of this moment; later arrivals are reported apart
    const waitedMs = Date.now() - epoch;
    const cpuMs = (pid: number, before: number) => ((cpuSeconds(pid) - before) * 1000) / Math.max(1, measuredChanges);
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
    const metricsText = await (await fetch(worker.url.replace('localhost', '127.0.0.1') + '/metrics')).text();
    const apiCalls = [...metricsText.matchAll(/^snowgate_servicenow_api_calls_total\{[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
    const delivered = new Set(deliveries.map((d) => d.id)).size;
    if (process.env.BENCH_LOG_DIR) printWorkerMemory(metricsText);
    if (process.env.BENCH_WORKER_NODE_ARGS?.includes('--heapsnapshot-signal=SIGUSR2')) await takeHeapSnapshot(worker.child.pid!);
    if (process.env.BENCH_LOG_DIR) await diagnose(redis.url, committedAt, deliveries, subscriber.deliveries, epoch, waitedMs);
    const simStats = (await (await sim(simulator.url, '/__sim/stats')).json()) as { webhooks: { sent: number; failed: number; lastError?: string } };
    const queues = ((await (await fetch(api.url.replace('localhost', '127.0.0.1') + '/ops/api/queues', { headers: { authorization: 'Bearer bench-admin-token-0000' } })).json()) as { queues: { name: string; counts: Record<string, number> }[] }).queues;
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    process.stdout.write(
      [
        `changes committed   ${committedAt.size} in ${sentSeconds.toFixed(1)} s (${(committedAt.size / sentSeconds).toFixed(0)}/s), sender failures ${failed}`,
        `webhooks            sent ${simStats.webhooks.sent}, failed ${simStats.webhooks.failed}${simStats.webhooks.lastError ? ` (last: ${simStats.webhooks.lastError})` : ''}`,
        `events delivered    ${delivered} (distinct ids) within ${(waitedMs / 1000).toFixed(0)} s, matched to their change ${latencies.length + warmUp.length}, duplicate deliveries ${deliveries.length - delivered}, bad signatures ${subscriber.badSignatures()}`,
        `queues at the end   ${queues.map((q) => `${q.name} ${Object.entries(q.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`).join(' ') || 'empty'}`).join('; ')}`,
        `end-to-end          p50 ${percentile(latencies, 50).toFixed(0)} ms  p99 ${percentile(latencies, 99).toFixed(0)} ms  max ${latencies.at(-1)?.toFixed(0)} ms  (goal p99 ≤ 250 ms; the ${SECONDS} s measured, ${latencies.length} events)`,
        `  warm-up           p50 ${percentile(warmUp, 50).toFixed(0)} ms  p99 ${percentile(warmUp, 99).toFixed(0)} ms  max ${warmUp.at(-1)?.toFixed(0) ?? '-'} ms  (the first ${WARMUP_SECONDS} s, processes cold, ${warmUp.length} events)`,
        `p99 per 10 s       ${[...byWindow].map((w, i) => `${i * 10}s: ${w ? percentile(w.sort((a, b) => a - b), 99).toFixed(0) : '-'}`).join(', ')} ms`,
        `ServiceNow API calls ${apiCalls} → ${(apiCalls / Math.max(1, delivered)).toFixed(3)} per delivered event (goal ≤ 0.3)`,
        `CPU per event       api ${cpuMs(api.child.pid!, cpuBefore.api).toFixed(2)} ms, worker ${cpuMs(worker.child.pid!, cpuBefore.worker).toFixed(2)} ms, redis ${cpuMs(redis.pid!, cpuBefore.redis).toFixed(2)} ms, simulator ${cpuMs(simulator.child.pid!, cpuBefore.simulator).toFixed(2)} ms, sender+subscriber ${((benchCpu.user + benchCpu.system) / 1000 / Math.max(1, measuredChanges)).toFixed(2)} ms`,
        `peak RSS            api ${mb(peak.api)}, worker ${mb(peak.worker)}, simulator ${mb(peak.simulator)}, bench+subscriber ${mb(peak.bench)} (goal ≤ 200 MB per gateway process)`,
      ].join('\n') + '\n',
    );
  } finally {
    for (const c of children.reverse()) await c.stop();
    await subscriber.close();
    await redis.stop();
    fs.rmSync(configPath, { force: true });
  }
}

/** The worker's memory as its own metrics report it: RSS, V8 heap used / total, external. */
function printWorkerMemory(metricsText: string): void {
  const mb = (name: string) => (Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(metricsText)?.[1] ?? NaN) / 2 ** 20).toFixed(0);
  process.stdout.write(`worker memory now   rss ${mb('snowgate_process_resident_memory_bytes')} MB, heap used ${mb('snowgate_nodejs_heap_size_used_bytes')} / total ${mb('snowgate_nodejs_heap_size_total_bytes')} MB, external ${mb('snowgate_nodejs_external_memory_bytes')} MB\n`);
}

/** Asks the worker (started with --heapsnapshot-signal=SIGUSR2) for a heap snapshot and waits until the file is complete. */
async function takeHeapSnapshot(pid: number): Promise<void> {
  const before = new Set(fs.readdirSync(ROOT));
  process.kill(pid, 'SIGUSR2');
  let file: string | undefined;
  for (let size = -1, i = 0; i < 240; i++) {
    await new Promise((r) => setTimeout(r, 500));
    file ??= fs.readdirSync(ROOT).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    const now = file ? fs.statSync(path.join(ROOT, file)).size : -1;
    if (file && now > 0 && now === size) break;
    size = now;
  }
  process.stdout.write(`worker heap snapshot ${file ? path.join(ROOT, file) : 'not written'}\n`);
}

/**
 * With BENCH_LOG_DIR: where the time went (commit → job added → taken → finished, from the ingest jobs), and
 * for each change not delivered when the wait ended, its record's deliveries and ingest jobs; then waits up
 * to 60 s more and reports late arrivals.
 */
async function diagnose(redisUrl: string, committedAt: Map<string, number>, atEnd: BenchDelivery[], live: BenchDelivery[], epoch: number, waitedMs: number): Promise<void> {
  const { Queue } = await import('bullmq');
  const q = new Queue('ingest', { connection: { url: redisUrl }, prefix: '{snowgate}' });
  const seen = (ds: BenchDelivery[]) => new Set(ds.map((d) => changeKey(d.subject, d.sequence)));
  const delivered = seen(atEnd);
  const missing = [...committedAt.keys()].filter((k) => !delivered.has(k));
  const jobs = await q.getJobs(['completed', 'failed', 'waiting', 'delayed', 'active'], 0, 20_000);
  const windows: { toQueue: number[]; queued: number[]; processing: number[] }[] = [];
  for (const job of jobs) {
    const t0 = committedAt.get(changeKey(job?.data?.sysId, job?.data?.sysModCount));
    if (!job?.finishedOn || !job.processedOn || t0 === undefined) continue;
    const w = (windows[Math.floor((t0 - epoch) / 5000)] ??= { toQueue: [], queued: [], processing: [] });
    w.toQueue.push(job.timestamp - t0);
    w.queued.push(job.processedOn - job.timestamp);
    w.processing.push(job.finishedOn - job.processedOn);
  }
  const p = (xs: number[]) => { xs.sort((a, b) => a - b); return `p50 ${percentile(xs, 50).toFixed(0)} p99 ${percentile(xs, 99).toFixed(0)} max ${xs.at(-1)?.toFixed(0)}`; };
  process.stdout.write(`breakdown of the ingest jobs still kept (ms), by 5 s of the run:\n`);
  windows.forEach((w, i) => w && process.stdout.write(`  ${i * 5}s (${w.toQueue.length}): commit → job added ${p(w.toQueue)}; waiting ${p(w.queued)}; enrich + deliver ${p(w.processing)}\n`));
  const describe = (key: string) => {
    const sysId = key.split('/')[0];
    process.stdout.write(`missing at ${waitedMs} ms: ${key} committed at ${committedAt.get(key)! - epoch} ms; deliveries of the record: ${live.filter((d) => d.subject === sysId).map((d) => `${Number(d.sequence)}@${d.receivedAt - epoch}`).join(' ')}\n`);
    for (const job of jobs.filter((j) => j?.data?.sysId === sysId)) process.stdout.write(`  ingest job ${job.id} mod=${job.data.sysModCount} op=${job.data.operation} added=${job.timestamp - epoch} taken=${(job.processedOn ?? 0) - epoch} finished=${(job.finishedOn ?? 0) - epoch} attempts=${job.attemptsMade} stalled=${job.stalledCounter ?? 0} rv=${JSON.stringify(job.returnvalue)} failed=${job.failedReason ?? ''}\n`);
  };
  missing.slice(0, 10).forEach(describe);
  if (missing.length > 0) {
    const until = Date.now() + 60_000;
    while (Date.now() < until && missing.some((k) => !seen(live).has(k))) await new Promise((r) => setTimeout(r, 500));
    const late = seen(live);
    for (const key of missing.slice(0, 10)) {
      const arrival = live.find((d) => changeKey(d.subject, d.sequence) === key);
      process.stdout.write(`  ${key}: ${late.has(key) ? `arrived late, at ${arrival!.receivedAt - epoch} ms` : 'still not delivered 60 s later'}\n`);
    }
  }
  await q.close();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
