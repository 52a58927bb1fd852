/**
 * npm run bench:e2e — 500 changes/s for 60 s (after 10 s of warm-up at the same rate, reported apart) made in the simulated ServiceNow (25 ms API latency), whose
 * business rules post the webhooks to the gateway (1 api + 1 worker process, built dist/), delivered to a
 * local subscriber. 30% of the records change several times within a second. Prints end-to-end p50/p99
 * (change committed → event at the subscriber), ServiceNow API calls per delivered event, and the peak RSS
 * of each process. Figures, not a test.
 *
 * Knobs: BENCH_RATE (500), BENCH_SECONDS (60), BENCH_WARMUP_SECONDS (10), BENCH_RECORDS (3000), BENCH_API_LATENCY_MS (25);
 * Two phases, back to back on the same simulator with the same planned changes (BENCH_PHASES, default
 * `relay,gateway`): first the bare relay (bench/bare-relay.ts: a node:http door that LPUSHes each webhook, a
 * process that BRPOPs and POSTs it signed; its own private redis-server), then the gateway (its own private
 * redis-server). Prints the gateway's CPU per event (api + worker + Redis) ÷ the relay's (door + forward +
 * Redis), the figure we steer by, both latency distributions, and each phase's Redis commands per event
 * (INFO commandstats, commands inside Lua scripts included).
 *
 * BENCH_LOG_DIR=dir keeps each process's log and prints a per-stage breakdown, missing changes and late arrivals;
 * BENCH_WORKER_NODE_ARGS / BENCH_API_NODE_ARGS / BENCH_SIM_NODE_ARGS add node flags (e.g. `--cpu-prof`; with
 * `--heapsnapshot-signal=SIGUSR2` the worker's heap is snapshotted at the end of the load).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchSubscriber, type BenchDelivery } from './bench-subscriber';
import { benchRedis, commandsPerEvent, GATEWAY_NODE_ARGS, freePort, machine, percentile, redisCommandCalls, REGISTER, ROOT, rssBytes, spawnReady, type ReadyChild } from './bench-kit';
import { changeKey, driveLoad, latencyLine, SIM_AUTH, type LoadResult, type Slot } from './e2e-load';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
/** The simulated ServiceNow's answer time for every API call — the sender's PATCHes included, so it is in every latency, the relay's too. */
const API_LATENCY_MS = Number(process.env.BENCH_API_LATENCY_MS ?? 25);
/** Load at the same rate before the measured window, so the figures are of warm processes; the warm-up's own p99 is printed too. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 3000);
const PHASES = (process.env.BENCH_PHASES ?? 'relay,gateway').split(',').map((p) => p.trim());
const BURSTY = 0.3;
const whsec = () => 'whsec_' + crypto.randomBytes(32).toString('base64');
const nodeArgs = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);

async function sim(url: string, pathname: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url + pathname, { ...init, headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SIM_AUTH, ...(init.headers ?? {}) } });
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
function plan(ids: string[]): Slot[] {
  const total = RATE * (WARMUP_SECONDS + SECONDS);
  const slots: Slot[] = [];
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

/** The figures both phases print. */
function phaseLines(label: string, r: LoadResult, cpu: string): string[] {
  return [
    `[${label}] changes committed   ${r.committedAt.size} in ${r.sentSeconds.toFixed(1)} s (${(r.committedAt.size / r.sentSeconds).toFixed(0)}/s), sender failures ${r.failed}`,
    `[${label}] events delivered    ${r.delivered} (distinct ids) within ${(r.waitedMs / 1000).toFixed(0)} s, matched to their change ${r.latencies.length + r.warmUp.length}, duplicate deliveries ${r.deliveries.length - r.delivered}`,
    `[${label}] end-to-end          ${latencyLine(r.latencies)}  (the ${SECONDS} s measured, ${r.latencies.length} events)`,
    `[${label}]   warm-up           ${latencyLine(r.warmUp)}  (the first ${WARMUP_SECONDS} s, processes cold, ${r.warmUp.length} events)`,
    `[${label}] CPU per event       ${cpu}`,
  ];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Phase 1: the bare relay on its own redis-server. Returns its CPU per event (door + forward + Redis) and latencies. */
async function relayPhase(simUrl: string, slots: Slot[], signatureKey: string): Promise<LoadResult> {
  const redis = await benchRedis();
  const subscriber = await startBenchSubscriber(signatureKey);
  const children: ReadyChild[] = [];
  try {
    const relay = path.join(ROOT, 'bench/bare-relay.ts');
    const env = { REDIS_URL: redis.url, RELAY_KEY: 'relay:webhooks' };
    const door = await spawnReady(['-r', REGISTER, relay, 'door'], { ...env, PORT: String(await freePort()) }, 'relay-door');
    children.push(door);
    const forward = await spawnReady(['-r', REGISTER, relay, 'forward'], { ...env, SUBSCRIBER_URL: subscriber.url, SIGNATURE_KEY: signatureKey }, 'relay-forward');
    children.push(forward);
    await sim(simUrl, '/__sim/webhook-target', { method: 'POST', body: JSON.stringify({ gatewayUrl: door.url, instanceId: 'bench', secret: whsec() }) });
    const calls = await redisCommandCalls(redis.url);
    const r = await driveLoad(simUrl, slots, WARMUP_SECONDS, () => subscriber.deliveries, { door: door.child.pid!, forward: forward.child.pid!, redis: redis.pid! }, 60_000);
    const c = r.cpuMs;
    process.stdout.write(phaseLines('relay', r, `door ${c.door.toFixed(2)} ms, forward ${c.forward.toFixed(2)} ms, redis ${c.redis.toFixed(2)} ms = ${sum([c.door, c.forward, c.redis]).toFixed(2)} ms; bad signatures ${subscriber.badSignatures()}`).join('\n') + '\n');
    process.stdout.write(`[relay] Redis commands      ${commandsPerEvent(calls, await redisCommandCalls(redis.url), r.committedAt.size)}\n`);
    return r;
  } finally {
    for (const c of children.reverse()) await c.stop();
    await subscriber.close();
    await redis.stop();
  }
}

/** Phase 2: the gateway (1 api + 1 worker, built dist/) on its own redis-server. */
async function gatewayPhase(simulator: ReadyChild, slots: Slot[], signatureKey: string): Promise<LoadResult> {
  const redis = await benchRedis();
  const subscriber = await startBenchSubscriber(signatureKey);
  const children: ReadyChild[] = [];
  const configPath = path.join(os.tmpdir(), `snowgate-e2e-${process.pid}.json`);
  try {
    const webhookSecret = whsec();
    fs.writeFileSync(configPath, JSON.stringify({ instances: [{ id: 'bench', name: 'bench', configuration: {
      'servicenow.instance_url': simulator.url, 'servicenow.allow_private_targets': true, 'authentication.type': 'oauth2_client_credentials', 'oauth.api.key': 'sandbox-client', 'oauth.api.secret': 'sandbox-secret',
      'webhook.secret': webhookSecret, 'webhook.rate_limit_per_second': 100000, 'event.notification.callback.url': subscriber.url,
      'event.notification.signature.key': signatureKey, 'event.notification.allow_private_targets': true } }] }));
    const common = { REDIS_URL: redis.url, SNOWGATE_CONFIG: configPath, LOG_LEVEL: 'info', HOST: '127.0.0.1', SNOWGATE_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'), SNOWGATE_ADMIN_TOKEN: 'bench-admin-token-0000', SNOWGATE_METRICS_PUBLIC: 'true', ...(process.env.BENCH_JOB_DEADLINE_MS ? { SNOWGATE_JOB_DEADLINE_MS: process.env.BENCH_JOB_DEADLINE_MS } : {}) };
    const api = await spawnReady([...GATEWAY_NODE_ARGS, ...nodeArgs('BENCH_API_NODE_ARGS'), path.join(ROOT, 'dist/cli.js'), 'start'], { ...common, SNOWGATE_ROLE: 'api', PORT: String(await freePort()) }, 'api');
    children.push(api);
    const worker = await spawnReady([...GATEWAY_NODE_ARGS, ...nodeArgs('BENCH_WORKER_NODE_ARGS'), path.join(ROOT, 'dist/cli.js'), 'start'], { ...common, SNOWGATE_ROLE: 'worker', PORT: String(await freePort()) }, 'worker'); // e.g. --cpu-prof
    children.push(worker);
    await sim(simulator.url, '/__sim/webhook-target', { method: 'POST', body: JSON.stringify({ gatewayUrl: api.url.replace('localhost', '127.0.0.1'), instanceId: 'bench', secret: webhookSecret }) });
    const peak: Record<string, number> = {};
    const sampler = setInterval(() => {
      for (const [name, child] of [['api', api], ['worker', worker], ['simulator', simulator]] as const) peak[name] = Math.max(peak[name] ?? 0, rssBytes(child.child.pid!));
      peak.bench = Math.max(peak.bench ?? 0, process.memoryUsage().rss);
    }, 250);
    const calls = await redisCommandCalls(redis.url);
    const r = await driveLoad(simulator.url, slots, WARMUP_SECONDS, () => subscriber.deliveries, { api: api.child.pid!, worker: worker.child.pid!, redis: redis.pid!, simulator: simulator.child.pid! });
    clearInterval(sampler);
    const redisCalls = commandsPerEvent(calls, await redisCommandCalls(redis.url), r.committedAt.size);
    const metricsText = await (await fetch(worker.url.replace('localhost', '127.0.0.1') + '/metrics')).text();
    const apiCalls = [...metricsText.matchAll(/^snowgate_servicenow_api_calls_total\{[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
    if (process.env.BENCH_LOG_DIR) printWorkerMemory(metricsText);
    if (process.env.BENCH_WORKER_NODE_ARGS?.includes('--heapsnapshot-signal=SIGUSR2')) await takeHeapSnapshot(worker.child.pid!);
    if (process.env.BENCH_LOG_DIR) await diagnose(redis.url, r.committedAt, r.deliveries, subscriber.deliveries, r.epoch, r.waitedMs);
    const simStats = (await (await sim(simulator.url, '/__sim/stats')).json()) as { webhooks: { sent: number; failed: number; lastError?: string } };
    const queues = ((await (await fetch(api.url.replace('localhost', '127.0.0.1') + '/ops/api/queues', { headers: { authorization: 'Bearer bench-admin-token-0000' } })).json()) as { queues: { name: string; counts: Record<string, number> }[] }).queues;
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    const c = r.cpuMs;
    const [committed, delivered, e2e, warmUp, cpu] = phaseLines('gateway', r, `api ${c.api.toFixed(2)} ms, worker ${c.worker.toFixed(2)} ms, redis ${c.redis.toFixed(2)} ms = ${sum([c.api, c.worker, c.redis]).toFixed(2)} ms; simulator ${c.simulator.toFixed(2)} ms, sender+subscriber ${r.benchCpuMs.toFixed(2)} ms`);
    process.stdout.write(
      [
        committed,
        `[gateway] webhooks            sent ${simStats.webhooks.sent} (all phases), failed ${simStats.webhooks.failed}${simStats.webhooks.lastError ? ` (last: ${simStats.webhooks.lastError})` : ''}`,
        `${delivered}, bad signatures ${subscriber.badSignatures()}`,
        `[gateway] queues at the end   ${queues.map((q) => `${q.name} ${Object.entries(q.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`).join(' ') || 'empty'}`).join('; ')}`,
        `${e2e}  (goal p99 ≤ 250 ms)`,
        warmUp,
        `[gateway] p99 per 10 s       ${[...r.byWindow].map((w, i) => `${i * 10}s: ${w ? percentile(w.sort((a, b) => a - b), 99).toFixed(0) : '-'}`).join(', ')} ms`,
        `[gateway] ServiceNow API calls ${apiCalls} → ${(apiCalls / Math.max(1, r.delivered)).toFixed(3)} per delivered event (goal ≤ 0.3)`,
        cpu,
        `[gateway] Redis commands      ${redisCalls} (warm-up and measured)`,
        `[gateway] peak RSS            api ${mb(peak.api)}, worker ${mb(peak.worker)}, simulator ${mb(peak.simulator)}, bench+subscriber ${mb(peak.bench)} (goal ≤ 200 MB per gateway process)`,
      ].join('\n') + '\n',
    );
    return r;
  } finally {
    for (const c of children.reverse()) await c.stop();
    await subscriber.close();
    await redis.stop();
    fs.rmSync(configPath, { force: true });
  }
}

async function main(): Promise<void> {
  if (PHASES.includes('gateway') && !fs.existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('run `npm run build` first (npm run bench:e2e does)');
  const signatureKey = whsec();
  const simulator = await spawnReady([...nodeArgs('BENCH_SIM_NODE_ARGS'), path.join(ROOT, 'dist/cli.js'), 'simulator', '--port', String(await freePort()), '--client-credentials'], { LOG_LEVEL: 'warn' }, 'simulator');
  try {
    const ids = await createCases(simulator.url, RECORDS);
    await sim(simulator.url, '/__sim/knobs', { method: 'POST', body: JSON.stringify({ latencyMs: API_LATENCY_MS, webhookConcurrency: 64 }) });
    const slots = plan(ids);
    process.stdout.write(`machine: ${machine()}\nload: ${RATE} changes/s for ${WARMUP_SECONDS} s of warm-up, then ${SECONDS} s measured (${slots.length} changes on ${RECORDS} cases, ${BURSTY * 100}% of records changed 3–5 times within a second); simulator API latency ${API_LATENCY_MS} ms; phases ${PHASES.join(', ')}\n`);
    const relay = PHASES.includes('relay') ? await relayPhase(simulator.url, slots, signatureKey) : undefined;
    const gateway = PHASES.includes('gateway') ? await gatewayPhase(simulator, slots, signatureKey) : undefined;
    if (relay && gateway) {
      const g = sum([gateway.cpuMs.api, gateway.cpuMs.worker, gateway.cpuMs.redis]);
      const b = sum([relay.cpuMs.door, relay.cpuMs.forward, relay.cpuMs.redis]);
      process.stdout.write(
        `gateway ÷ bare relay  CPU per event ${(g / b).toFixed(2)}× (gateway ${g.toFixed(2)} ms: api + worker + Redis; relay ${b.toFixed(2)} ms: door + forward + Redis)\n` +
          `                      end-to-end gateway ${latencyLine(gateway.latencies)}; relay ${latencyLine(relay.latencies)}\n`,
      );
    }
  } finally {
    await simulator.stop();
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
