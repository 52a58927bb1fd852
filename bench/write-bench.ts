/**
 * `npm run bench:writes` — writes per second into ServiceNow through the gateway, beside a baseline taken in
 * the same run: the same inserts posted straight to the simulator at the same concurrency as the instance's
 * write cap. The simulator answers every API call after 25 ms (as bench:e2e). A benchmark, not a test: it
 * prints figures and never fails on them.
 *
 * Knobs: BENCH_WRITES (default 2000 per run), BENCH_CONCURRENCY (the cap, `writes.max_concurrency`; default 10),
 * BENCH_POSTERS (posts to the gateway in flight; default 64).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { benchRedis, cpuSeconds, GATEWAY_NODE_ARGS, freePort, machine, percentile, ROOT, spawnReady, type ReadyChild } from './bench-kit';

const WRITES = Number(process.env.BENCH_WRITES ?? 2000);
const CAP = Number(process.env.BENCH_CONCURRENCY ?? 10);
const POSTERS = Number(process.env.BENCH_POSTERS ?? 64);
const ADMIN = 'bench-admin-token-0000';
const SIM_AUTH = 'Basic ' + Buffer.from('admin:admin').toString('base64');

/** Runs `work(i)` for i in [0, count) with at most `limit` in flight; resolves with each one's duration. */
async function pool(count: number, limit: number, work: (i: number) => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await work(i);
      durations.push(performance.now() - t0);
    }
  }));
  return durations;
}

const article = (run: string, i: number) => ({ short_description: `${run} article ${i}`, text: `<p>Body of ${run} ${i}: "quoted" — ✓</p>` });

/** The baseline: inserts straight into the simulator's Table API, `CAP` at a time. */
async function baseline(simUrl: string): Promise<{ seconds: number; p50: number; p99: number }> {
  const t0 = performance.now();
  const durations = await pool(WRITES, CAP, async (i) => {
    const res = await fetch(`${simUrl}/api/now/table/kb_knowledge?sysparm_fields=sys_id,number,sys_mod_count`, { method: 'POST', headers: { authorization: SIM_AUTH, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(article('baseline', i)) });
    if (res.status !== 201) throw new Error(`baseline insert answered ${res.status}`);
    await res.arrayBuffer();
  });
  const sorted = durations.sort((a, b) => a - b);
  return { seconds: (performance.now() - t0) / 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

let writeQueue: Queue | undefined;

/**
 * Waits until the write queue has finished (completed or failed) `total` jobs; read straight from Redis, not
 * through the gateway. Gives up, with the queue's counts and a retried write's last error, after 60 s without progress.
 */
async function untilFinished(total: number): Promise<{ completed: number; failed: number }> {
  let last = -1;
  let progressAt = Date.now();
  for (;;) {
    const counts = await writeQueue!.getJobCounts('completed', 'failed');
    const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
    if (finished >= total) return { completed: counts.completed ?? 0, failed: counts.failed ?? 0 };
    if (finished !== last) [last, progressAt] = [finished, Date.now()];
    if (Date.now() - progressAt > 60_000) {
      const [retried] = await writeQueue!.getDelayed(0, 0);
      throw new Error(`no write finished for 60 s: ${JSON.stringify(await writeQueue!.getJobCounts())}${retried ? `; a retried write's last error: ${retried.failedReason}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The gateway: direct writes posted `POSTERS` at a time, `count` of them; done when every one is finished. */
async function throughGateway(apiUrl: string, run: string, count: number, before: number): Promise<{ seconds: number; acceptP99: number; succeeded: number; dead: number }> {
  const t0 = performance.now();
  const accepts = await pool(count, POSTERS, async (i) => {
    const res = await fetch(`${apiUrl}/instances/bench/writes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'idempotency-key': `${run}-${i}` }, body: JSON.stringify({ table: 'kb_knowledge', operation: 'insert', fields: article(run, i) }) });
    if (res.status !== 202) throw new Error(`gateway answered ${res.status}`);
    await res.arrayBuffer();
  });
  const done = await untilFinished(before + count);
  const sorted = accepts.sort((a, b) => a - b);
  return { seconds: (performance.now() - t0) / 1000, acceptP99: percentile(sorted, 99), succeeded: done.completed - before, dead: done.failed };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('run `npm run build` first (npm run bench:writes does)');
  const redis = await benchRedis();
  const children: ReadyChild[] = [];
  const configPath = path.join(os.tmpdir(), `snowgate-writes-${process.pid}.json`);
  try {
    const simulator = await spawnReady([path.join(ROOT, 'dist/cli.js'), 'simulator', '--port', String(await freePort()), '--client-credentials'], { LOG_LEVEL: 'warn' }, 'simulator');
    children.push(simulator);
    const whsec = () => 'whsec_' + crypto.randomBytes(32).toString('base64');
    fs.writeFileSync(configPath, JSON.stringify({ instances: [{ id: 'bench', name: 'bench', configuration: {
      'servicenow.instance_url': simulator.url, 'servicenow.allow_private_targets': true, 'authentication.type': 'oauth2_client_credentials', 'oauth.api.key': 'sandbox-client', 'oauth.api.secret': 'sandbox-secret',
      'webhook.secret': whsec(), 'event.notification.enabled': false, 'writes.max_concurrency': CAP } }] }));
    const common = { REDIS_URL: redis.url, SNOWGATE_CONFIG: configPath, LOG_LEVEL: 'warn', HOST: '127.0.0.1', SNOWGATE_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'), SNOWGATE_ADMIN_TOKEN: ADMIN };
    const api = await spawnReady([...GATEWAY_NODE_ARGS, path.join(ROOT, 'dist/cli.js'), 'start'], { ...common, LOG_LEVEL: 'info', SNOWGATE_ROLE: 'api', PORT: String(await freePort()) }, 'api');
    const worker = await spawnReady([...GATEWAY_NODE_ARGS, path.join(ROOT, 'dist/cli.js'), 'start'], { ...common, LOG_LEVEL: 'info', SNOWGATE_ROLE: 'worker', PORT: String(await freePort()) }, 'worker');
    children.push(api, worker);
    writeQueue = new Queue('write', { connection: { url: redis.url }, prefix: '{snowgate}' });
    await fetch(`${simulator.url}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 25 }) });

    process.stdout.write(`machine: ${machine()}\nload: ${WRITES} kb_knowledge inserts per run, write cap ${CAP} per instance (the baseline's concurrency), ${POSTERS} posts in flight to the gateway; simulator API latency 25 ms\n`);
    const warmUp = await throughGateway(api.url, 'warm-up', 200, 0); // token, connections, JIT: not measured
    const base = await baseline(simulator.url);
    const cpu0 = { api: cpuSeconds(api.child.pid!), worker: cpuSeconds(worker.child.pid!), redis: cpuSeconds(redis.pid!) };
    const gw = await throughGateway(api.url, 'gateway', WRITES, warmUp.succeeded + warmUp.dead);
    const cpuMs = (now: number, before: number) => (((now - before) * 1000) / WRITES).toFixed(2);
    const created = (await (await fetch(`${simulator.url}/api/now/table/kb_knowledge?sysparm_query=short_descriptionSTARTSWITHgateway article&sysparm_limit=1&sysparm_fields=sys_id`, { headers: { authorization: SIM_AUTH, accept: 'application/json' } })).headers.get('x-total-count'));
    process.stdout.write(
      `baseline  ${(WRITES / base.seconds).toFixed(0)} writes/s (${WRITES} inserts straight to the simulator, ${CAP} at a time; p50 ${base.p50.toFixed(0)} ms, p99 ${base.p99.toFixed(0)} ms)\n` +
        `gateway   ${(WRITES / gw.seconds).toFixed(0)} writes/s (accepted, queued and written into ServiceNow: ${gw.succeeded} succeeded, ${gw.dead} dead; records created ${created}; 202 p99 ${gw.acceptP99.toFixed(0)} ms)\n` +
        `ratio     ${((WRITES / gw.seconds) / (WRITES / base.seconds)).toFixed(2)}\n` +
        `CPU per write  api ${cpuMs(cpuSeconds(api.child.pid!), cpu0.api)} ms, worker ${cpuMs(cpuSeconds(worker.child.pid!), cpu0.worker)} ms, redis ${cpuMs(cpuSeconds(redis.pid!), cpu0.redis)} ms\n`,
    );
  } finally {
    await writeQueue?.close();
    for (const child of children.reverse()) await child.stop();
    await redis.stop();
    fs.rmSync(configPath, { force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
