/**
 * npm run bench:cluster — the spread of one deployment over a local 3-master Redis Cluster: the same load run
 * with SNOWGATE_PARTITIONS=1 and =3 in one run, each on its own prefix. Changes made in the simulated ServiceNow
 * (in this process, 25 ms API latency) post their webhooks to the gateway (api and worker processes, built dist/,
 * REDIS_CLUSTER=true), which delivers them to a local subscriber. Prints, per count: each master's share of the
 * commands (INFO stats, after CONFIG RESETSTAT) and its CPU, throughput, end-to-end latency (change committed →
 * event at the subscriber), lost and duplicate events. Goal: with 3 partitions no master above 40% of the
 * commands, nothing lost. Figures, not a test.
 *
 * Knobs: BENCH_RATE (changes/s, 200), BENCH_SECONDS (20), BENCH_RECORDS (1000), BENCH_PARTITIONS ("1,3"),
 * BENCH_WORKERS (worker processes, 1), BENCH_REPLICAS (0 or 1 per master), BENCH_FSYNC (`always`: AOF with
 * appendfsync always on every node; default no persistence), BENCH_WAIT_REPLICAS (SNOWGATE_REDIS_WAIT_REPLICAS; `0,1`: a run
 * with each, for every count), BENCH_PROBES
 * (sequential webhooks timed alone after the load, 200: the accept latency WAIT adds to).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { webhookIdFor } from '../src/ingest/webhook-fields';
import { startSimulator, type Simulator } from '../src/simulator';
import { webhookBody } from '../src/simulator/webhook-emitter';
import { signedHeaders } from '../tests/helpers/webhook-signing';
import { startRedisCluster, type RedisCluster } from '../tests/helpers/redis-cluster';
import { startBenchSubscriber } from './bench-subscriber';
import { cpuSeconds, freePort, GATEWAY_NODE_ARGS, machine, percentile, ROOT, spawnReady, type ReadyChild } from './bench-kit';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1000);
const COUNTS = (process.env.BENCH_PARTITIONS ?? '1,3').split(',').map(Number);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const REPLICAS = process.env.BENCH_REPLICAS === '1' ? 1 : 0;
const FSYNC = process.env.BENCH_FSYNC === 'always';
const WAITS = (process.env.BENCH_WAIT_REPLICAS ?? '0').split(',').map(Number);
const PROBES = Number(process.env.BENCH_PROBES ?? 200);
const CASES = 'sn_customerservice_case';
const whsec = () => 'whsec_' + crypto.randomBytes(32).toString('base64');

/** Runs a command on one node over a plain connection. */
async function onNode<T>(port: number, command: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  try {
    return await command(redis);
  } finally {
    redis.disconnect();
  }
}

/** Commands each master processed since its last CONFIG RESETSTAT. */
const commandsOn = (port: number) => onNode(port, async (r) => Number(/total_commands_processed:(\d+)/.exec(await r.info('stats'))?.[1] ?? 0));

/**
 * The accept latency alone (POST → 202), what SNOWGATE_REDIS_WAIT_REPLICAS adds to: `probes` changes made with the
 * simulator's business rule off, each webhook then posted by hand, one at a time. Resolves with the latencies (ms), sorted.
 */
async function acceptLatency(apiUrl: string, sim: Simulator, ids: string[], secret: string, probes: number, run: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < probes; i++) {
    const record = sim.store.update(CASES, ids[i % ids.length]!, { short_description: `probe ${i} of ${run}` })!;
    const body = webhookBody({ table: CASES, operation: 'update', record });
    const started = performance.now();
    const res = await fetch(`${apiUrl}/webhooks/bench/${CASES}`, { method: 'POST', headers: signedHeaders(secret, webhookIdFor(record.sys_id!, 'update', record.sys_mod_count!), body), body });
    if (res.status === 202) latencies.push(performance.now() - started);
    await res.arrayBuffer();
  }
  return latencies.sort((a, b) => a - b);
}

/** One run: the gateway with `count` partitions under its own prefix, the load, and what each master did. */
async function run(cluster: RedisCluster, sim: Simulator, ids: string[], count: number, wait: number): Promise<string> {
  const signatureKey = whsec();
  const webhookSecret = whsec();
  const subscriber = await startBenchSubscriber(signatureKey);
  const configPath = path.join(os.tmpdir(), `snowgate-cluster-bench-${process.pid}-${count}.json`);
  fs.writeFileSync(configPath, JSON.stringify({ instances: [{ id: 'bench', name: 'bench', configuration: {
    'servicenow.instance_url': sim.url, 'servicenow.allow_private_targets': true, 'authentication.type': 'oauth2_client_credentials', 'oauth.api.key': 'sandbox-client', 'oauth.api.secret': 'sandbox-secret',
    'webhook.secret': webhookSecret, 'webhook.rate_limit_per_second': 100000, 'event.notification.callback.url': subscriber.url,
    'event.notification.signature.key': signatureKey, 'event.notification.allow_private_targets': true } }] }));
  // each run its own prefix; its changes carry it too (a value a record already holds is no change: no webhook)
  const prefix = `{bench-n${count}-w${wait}}`;
  const env = {
    REDIS_URL: cluster.seeds, REDIS_CLUSTER: 'true', SNOWGATE_PARTITIONS: String(count), SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_REDIS_WAIT_REPLICAS: String(wait),
    SNOWGATE_CONFIG: configPath, LOG_LEVEL: 'info', HOST: '127.0.0.1', SNOWGATE_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'), SNOWGATE_ADMIN_TOKEN: 'bench-admin-token-0000', SNOWGATE_SANDBOX: 'false',
  };
  const children: ReadyChild[] = [];
  try {
    const start = async (role: string) => children.push(await spawnReady([...GATEWAY_NODE_ARGS, path.join(ROOT, 'dist/cli.js'), 'start'], { ...env, SNOWGATE_ROLE: role, PORT: String(await freePort()) }, `${role}-n${count}`));
    await start('api');
    for (let w = 0; w < WORKERS; w++) await start('worker');
    const api = children[0]!;
    await Promise.all(cluster.ports.map((port) => onNode(port, (r) => r.config('RESETSTAT'))));
    const cpuBefore = cluster.ports.map((port) => cpuSeconds(cluster.pid(port)!));
    const gatewayCpuBefore = children.map((c) => cpuSeconds(c.child.pid!));
    sim.setWebhookTarget({ gatewayUrl: api.url.replace('localhost', '127.0.0.1'), instanceId: 'bench', secret: webhookSecret });

    sim.stats.webhooks = { sent: 0, failed: 0 };
    const committedAt = new Map<string, number>();
    const total = RATE * SECONDS;
    const began = Date.now();
    for (let i = 0; i < total; i++) {
      const wait = began + (i * 1000) / RATE - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sysId = ids[i % ids.length]!;
      const record = sim.store.update(CASES, sysId, { short_description: `change ${i} of ${prefix}` })!;
      committedAt.set(`${sysId}/${Number(record.sys_mod_count)}`, Date.now());
    }
    const sentSeconds = (Date.now() - began) / 1000;
    const key = (d: { subject: string; sequence: string }) => `${d.subject}/${Number(d.sequence)}`;
    const arrived = () => new Set(subscriber.deliveries.map(key).filter((k) => committedAt.has(k))).size;
    for (const deadline = Date.now() + 120_000; arrived() < committedAt.size && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 250));
    sim.setWebhookTarget(null);
    // every figure of the load is of this moment, before the accept probes
    const deliveries = subscriber.deliveries.filter((d) => committedAt.has(key(d)));
    const commands = await Promise.all(cluster.ports.map(commandsOn));
    const masterCpu = cluster.ports.map((port, i) => cpuSeconds(cluster.pid(port)!) - cpuBefore[i]!);
    const cpu = children.map((c, i) => cpuSeconds(c.child.pid!) - gatewayCpuBefore[i]!);
    const queues = ((await (await fetch(`${api.url.replace('localhost', '127.0.0.1')}/ops/api/queues`, { headers: { authorization: 'Bearer bench-admin-token-0000' } })).json()) as { queues: Array<{ name: string; partition?: number; counts: Record<string, number> }> }).queues;
    const left = queues.flatMap((q) => Object.entries(q.counts).filter(([state, n]) => n > 0 && state !== 'completed').map(([state, n]) => `${q.name}${q.partition === undefined ? '' : ` p${q.partition}`} ${state}=${n}`));
    const accepts = await acceptLatency(api.url.replace('localhost', '127.0.0.1'), sim, ids, webhookSecret, PROBES, prefix);

    const tookSeconds = (Math.max(...deliveries.map((d) => d.receivedAt)) - began) / 1000;
    const all = commands.reduce((a, b) => a + b, 0);
    const latencies = deliveries.map((d) => d.receivedAt - committedAt.get(key(d))!).sort((a, b) => a - b);
    const seen = new Set(deliveries.map(key));
    const lost = committedAt.size - seen.size;
    const share = commands.map((n) => (100 * n) / Math.max(1, all));
    const gatewayCpu = cpu.map((seconds, i) => `${i === 0 ? 'api' : `worker ${i}`} ${seconds.toFixed(1)} s`);
    return [
      `SNOWGATE_PARTITIONS=${count}${wait ? `, SNOWGATE_REDIS_WAIT_REPLICAS=${wait}` : ''}: ${committedAt.size} changes in ${sentSeconds.toFixed(1)} s; ${seen.size} delivered in ${tookSeconds.toFixed(1)} s (${(seen.size / tookSeconds).toFixed(0)}/s), lost ${lost}, duplicate deliveries ${deliveries.length - new Set(deliveries.map((d) => d.id)).size}, bad signatures ${subscriber.badSignatures()}`,
      `  webhooks          sent ${sim.stats.webhooks.sent}, failed ${sim.stats.webhooks.failed}${sim.stats.webhooks.lastError ? ` (last: ${sim.stats.webhooks.lastError})` : ''}`,
      `  queues at the end ${left.join(', ') || 'nothing left'}`,
      `  accept (POST→202) p50 ${percentile(accepts, 50).toFixed(1)} ms  p99 ${percentile(accepts, 99).toFixed(1)} ms  (${accepts.length} of ${PROBES} probes answered 202, one at a time, after the load)`,
      `  end to end        p50 ${percentile(latencies, 50).toFixed(0)} ms  p99 ${percentile(latencies, 99).toFixed(0)} ms  max ${latencies.at(-1)?.toFixed(0)} ms`,
      ...cluster.ports.map((port, i) => `  master :${port}     ${share[i]!.toFixed(1)}% of ${all} commands (${commands[i]}), CPU ${masterCpu[i]!.toFixed(1)} s`),
      `  busiest master    ${Math.max(...share).toFixed(1)}% of the commands (goal with 3 partitions: ≤ 40%)`,
      `  gateway CPU       ${gatewayCpu.join(', ')}`,
    ].join('\n');
  } finally {
    sim.setWebhookTarget(null);
    for (const c of children.reverse()) await c.stop();
    await subscriber.close();
    fs.rmSync(configPath, { force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('run `npm run build` first (npm run bench:cluster does)');
  const cluster = await startRedisCluster({ replicas: REPLICAS, extraArgs: FSYNC ? ['--appendonly', 'yes', '--appendfsync', 'always'] : [] });
  const sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true, latencyMs: 25, webhookConcurrency: 64 } });
  try {
    const ids: string[] = [];
    for (let i = 0; i < RECORDS; i++) ids.push(sim.store.insert(CASES, { short_description: `bench case ${i}`, priority: '4', state: '1' }).sys_id!);
    process.stdout.write(
      `machine: ${machine()}\ncluster: 3 masters${REPLICAS ? ' + 3 replicas' : ''} (redis-server, ${FSYNC ? 'AOF appendfsync always' : 'no persistence'}), ports ${cluster.ports.join(', ')}\n` +
        `load: ${RATE} changes/s for ${SECONDS} s on ${RECORDS} cases; 1 api + ${WORKERS} worker process(es); simulator API latency 25 ms\n\n`,
    );
    if (WAITS.some((w) => w > REPLICAS)) throw new Error('BENCH_WAIT_REPLICAS above BENCH_REPLICAS: every accept would time out');
    for (const count of COUNTS) for (const wait of WAITS) process.stdout.write(`${await run(cluster, sim, ids, count, wait)}\n\n`);
  } finally {
    await sim.close();
    await cluster.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
