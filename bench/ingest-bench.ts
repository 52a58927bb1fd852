/**
 * npm run bench:ingest — autocannon against the real gateway (api role, built dist/) with unique,
 * correctly signed ~1.5 KB case webhooks over 32 connections, alternating with the same load against
 * the baseline (node:http + LPUSH). Prints req/s, p50/p99 and the ratio. Figures, not a test.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { silentLogger } from '../src/lib/logger';
import { ChangeClaims } from '../src/queues/change-claims';
import { createIngestQueue } from '../src/queues/ingest-queue';
import { createIntakeQueue } from '../src/queues/intake-queue';
import { createIntakeWorker } from '../src/workers/intake-worker';
import { benchRedis, cpuSeconds, freePort, GATEWAY_NODE_ARGS, machine, ROOT, REGISTER, spawnReady, type ReadyChild } from './bench-kit';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const secret = 'whsec_' + crypto.randomBytes(32).toString('base64');

/** Pre-signed unique requests (the signing cost stays out of the measurement). */
function makeRequests(count: number): { body: string; headers: Record<string, string> }[] {
  const signer = new Webhook(secret);
  const now = new Date();
  const filler = 'Customer reports that the label printer in building 4 jams on every second label. '.repeat(14);
  return Array.from({ length: count }, (_, i) => {
    const sysId = crypto.randomBytes(16).toString('hex');
    const body = JSON.stringify({
      table: 'sn_customerservice_case',
      sys_id: sysId,
      operation: 'update',
      sys_updated_on: '2026-11-22 10:00:00',
      sys_mod_count: String(i % 50),
      record: { number: `CS${String(1_000_000 + i)}`, short_description: 'Label printer jams', state: '10', priority: '2', account: sysId, contact: sysId, assigned_to: sysId, active: 'true', description: filler.slice(0, 1100) },
    });
    const id = `${sysId}-${i % 50}`;
    return { body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signer.sign(id, now, body) } };
  });
}

interface Figures {
  /** CPU µs per request of the server process and of Redis. */
  serverCpuUs: number;
  redisCpuUs: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, requests: ReturnType<typeof makeRequests>, pids: { server?: number; redis?: number } = {}): Promise<Figures> {
  let n = 0;
  const cpu0 = { server: cpuSeconds(pids.server ?? -1), redis: cpuSeconds(pids.redis ?? -1) };
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    method: 'POST',
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const r = requests[n++ % requests.length];
          return { ...req, method: 'POST', path: '/webhooks/bench/sn_customerservice_case', body: r.body, headers: r.headers };
        },
      },
    ],
  });
  const total = Math.max(1, result.requests.total);
  const perRequest = (pid: number | undefined, before: number) => ((cpuSeconds(pid ?? -1) - before) / total) * 1e6;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuUs: perRequest(pids.server, cpu0.server),
    redisCpuUs: perRequest(pids.redis, cpu0.redis),
  };
}

/**
 * The part of accepting the gateway leaves to the worker role: fanning the intake jobs out into one ingest
 * job per change. One intake worker (as a worker process runs it, here in this process) drains what the
 * gateway rounds left; its CPU and Redis's are per change.
 */
async function measureFanOut(redisUrl: string, redisPid: number): Promise<string> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = '{snowgate}';
  const intake = createIntakeQueue(connection, prefix);
  const ingest = createIngestQueue(connection, prefix);
  try {
    const batches = await intake.getWaitingCount();
    const ingestBefore = await ingest.getWaitingCount();
    const cpu0 = { self: process.cpuUsage(), redis: cpuSeconds(redisPid) };
    const started = performance.now();
    const worker = createIntakeWorker({ connection, prefix, claims: new ChangeClaims(connection, prefix), ingest, logger: silentLogger });
    while ((await intake.getWaitingCount()) + (await intake.getActiveCount()) > 0) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - started) / 1000;
    await worker.close();
    const self = process.cpuUsage(cpu0.self);
    const changes = (await ingest.getWaitingCount()) - ingestBefore;
    const perChange = (us: number) => (us / Math.max(1, changes)).toFixed(0);
    return `fan-out   ${changes} changes of ${batches} intake jobs made ingest jobs in ${seconds.toFixed(1)} s by one intake worker: ${(changes / seconds).toFixed(0)} changes/s, CPU per change: worker ${perChange(self.user + self.system)} µs, redis ${perChange((cpuSeconds(redisPid) - cpu0.redis) * 1e6)} µs\n`;
  } finally {
    await intake.close();
    await ingest.close();
    connection.disconnect();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('run `npm run build` first (npm run bench:ingest does)');
  const redis = await benchRedis();
  const configPath = path.join(os.tmpdir(), `snowgate-bench-${process.pid}.json`);
  fs.writeFileSync(configPath, JSON.stringify({ instances: [{ id: 'bench', name: 'bench', configuration: { 'servicenow.instance_url': 'https://bench.service-now.com', 'oauth.api.key': 'k', 'oauth.api.secret': 's', 'webhook.secret': secret, 'webhook.rate_limit_per_second': 1_000_000 } }] }));
  const requests = makeRequests(Number(process.env.BENCH_UNIQUE ?? 800_000));
  const gatewayEnv = { REDIS_URL: redis.url, SNOWGATE_CONFIG: configPath, SNOWGATE_ROLE: 'api', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(await freePort()), SNOWGATE_ADMIN_TOKEN: 'bench-admin-token-0000' };
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof to profile the gateway
  const gateway = await spawnReady([...GATEWAY_NODE_ARGS, ...nodeArgs, path.join(ROOT, 'dist/cli.js'), 'start'], gatewayEnv, 'gateway');
  const baseline = await spawnReady(['-r', REGISTER, path.join(ROOT, 'bench/baseline-server.ts')], { REDIS_URL: redis.url, PORT: String(await freePort()) }, 'baseline');
  const children: ReadyChild[] = [gateway, baseline];
  try {
    process.stdout.write(`machine: ${machine()}\nload: ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds alternating, ~${requests[0].body.length} B signed case webhooks\n`);
    await load(gateway.url, requests.slice(0, 5000)); // warm-up (JIT, scripts loaded)
    const runs: { baseline: Figures[]; gateway: Figures[] } = { baseline: [], gateway: [] };
    let offset = 5000;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, target] of [['baseline', baseline], ['gateway', gateway]] as const) {
        // every gateway request is a new change (a reused one would take the cheaper duplicate path)
        const figures = await load(target.url, requests.slice(offset % requests.length), { server: target.child.pid, redis: redis.pid });
        offset += Math.ceil(figures.rps * DURATION * 1.1);
        runs[name].push(figures);
        process.stdout.write(`round ${round} ${name.padEnd(8)} ${figures.rps.toFixed(0).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  non-2xx ${figures.non2xx}  errors ${figures.errors}  cpu/req: server ${figures.serverCpuUs.toFixed(0)} µs, redis ${figures.redisCpuUs.toFixed(0)} µs\n`);
      }
    }
    const mean = (xs: Figures[], k: keyof Figures) => xs.reduce((a, f) => a + f[k], 0) / xs.length;
    const b = mean(runs.baseline, 'rps');
    const g = mean(runs.gateway, 'rps');
    process.stdout.write(`\nbaseline  ${b.toFixed(0)} req/s  p50 ${mean(runs.baseline, 'p50').toFixed(1)} ms  p99 ${mean(runs.baseline, 'p99').toFixed(1)} ms\n`);
    process.stdout.write(`gateway   ${g.toFixed(0)} req/s  p50 ${mean(runs.gateway, 'p50').toFixed(1)} ms  p99 ${mean(runs.gateway, 'p99').toFixed(1)} ms\n`);
    process.stdout.write(`ratio     ${(g / b).toFixed(2)} (goal ≥ 0.6, p99 ≤ 30 ms)\n`);
    await gateway.stop(); // nothing accepts any more: what follows is the worker role's share
    process.stdout.write(await measureFanOut(redis.url, redis.pid ?? -1));
  } finally {
    for (const c of children) await c.stop();
    await redis.stop();
    fs.rmSync(configPath, { force: true });
  }
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
