/**
 * npm run chaos — the reliability proof: 10,000 distinct, signed webhooks into a gateway split into
 * processes (1 api, 2 workers) while workers are SIGKILLed three times, Redis (AOF) restarts once and
 * the simulator answers 5 % 5xx, 1 % 429 and expires access tokens every 60 s. Prints sent, accepted,
 * delivered (distinct event ids), lost and duplicate deliveries. Figures, not a test: exits 0 either way.
 *
 * Knobs (env): CHAOS_WEBHOOKS (10000), CHAOS_RATE (webhooks/s, 100), CHAOS_BURST (webhooks sent together, 1),
 * CHAOS_INTAKE (the gateway's SNOWGATE_INTAKE, default always: every change through an intake job fanned out
 * by the dying workers, the accept path with the most steps; auto takes the direct path at this rate), CHAOS_CONCURRENCY (32),
 * CHAOS_APPENDFSYNC (always | everysec, default always), CHAOS_REDIS_RESTART (kill | shutdown, default kill),
 * CHAOS_REDIS_DOWN_MS (3000), CHAOS_DRAIN_SECONDS (180), CHAOS_KEEP_LOGS (1 keeps the logs directory).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startEventSubscriber } from '../tests/helpers/event-subscriber';
import { freePort, machine, ROOT } from './bench-kit';
import { createFixtures, planChanges, sendAll, type SendTally } from './chaos-load';
import { deliveries, formatReport, type QueueCounts, type SimStats } from './chaos-report';
import { ChaosRedis, spawnCli, type ChaosChild, type RedisRestartKind } from './chaos-procs';

const N = Number(process.env.CHAOS_WEBHOOKS ?? 10_000);
const RATE = Number(process.env.CHAOS_RATE ?? 100);
const BURST = Number(process.env.CHAOS_BURST ?? 1);
const INTAKE = process.env.CHAOS_INTAKE ?? 'always';
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 32);
const FSYNC = process.env.CHAOS_APPENDFSYNC === 'everysec' ? 'everysec' : 'always';
const RESTART: RedisRestartKind = process.env.CHAOS_REDIS_RESTART === 'shutdown' ? 'shutdown' : 'kill';
const REDIS_DOWN_MS = Number(process.env.CHAOS_REDIS_DOWN_MS ?? 3000);
const DRAIN_MS = Number(process.env.CHAOS_DRAIN_SECONDS ?? 180) * 1000;
const LOCK_MS = 3000;
const PREFIX = '{snowgate}';
/** 5 % 5xx and 1 % 429: `errorRate` picks uniformly from `errorStatuses`, so one 429 in six statuses. */
const SIM_KNOBS = { errorRate: 0.06, errorStatuses: [500, 502, 503, 500, 503, 429], accessTokenLifespanSec: 60 };

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-chaos-'));
const logDir = path.join(work, 'logs');
const children = new Set<ChaosChild>();
let redis: ChaosRedis | undefined;
let aborted = false;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s:`;
const say = (line: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function track(started: Promise<ChaosChild>): Promise<ChaosChild> {
  const child = await started;
  children.add(child);
  return child;
}

/** Queue counts, or undefined while Redis is away. */
async function queueCounts(queues: Record<string, Queue>): Promise<QueueCounts | undefined> {
  try {
    const entries = await Promise.all(Object.entries(queues).map(async ([name, q]) => [name, await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children', 'completed')] as const));
    return Object.fromEntries(entries);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('run `npm run build` first (npm run chaos does)');
  fs.mkdirSync(logDir);
  fs.mkdirSync(path.join(work, 'redis'));
  redis = new ChaosRedis(await freePort(), path.join(work, 'redis'), FSYNC);
  await redis.start();

  const simPort = await freePort();
  await track(spawnCli(['simulator', '--port', String(simPort), '--client-credentials'], { LOG_LEVEL: 'warn' }, 'simulator', /simulator listening on/, logDir));
  const simUrl = `http://127.0.0.1:${simPort}`;
  const fixtures = await createFixtures(simUrl, 200, Math.floor(N * 0.05));
  const changes = planChanges(fixtures, N);
  const knobs = await fetch(`${simUrl}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SIM_KNOBS) });
  if (!knobs.ok) throw new Error(`could not set the simulator knobs: HTTP ${knobs.status}`);

  const secret = 'whsec_' + crypto.randomBytes(32).toString('base64');
  const signatureKey = 'whsec_' + crypto.randomBytes(32).toString('base64');
  const subscriber = await startEventSubscriber({ signatureKey });
  const configPath = path.join(work, 'instances.json');
  fs.writeFileSync(configPath, JSON.stringify({ instances: [{ id: 'chaos', name: 'chaos', configuration: {
    'servicenow.instance_url': simUrl, 'servicenow.allow_private_targets': true, 'authentication.type': 'oauth2_client_credentials', 'oauth.api.key': 'sandbox-client', 'oauth.api.secret': 'sandbox-secret',
    'webhook.secret': secret, 'webhook.rate_limit_per_second': 1_000_000, 'event.vendor.type': 'webhooks',
    'event.notification.callback.url': subscriber.url, 'event.notification.signature.key': signatureKey, 'event.notification.allow_private_targets': true,
  } }] }));
  const common = {
    REDIS_URL: redis.url, SNOWGATE_CONFIG: configPath, SNOWGATE_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'), SNOWGATE_ADMIN_TOKEN: 'chaos-admin-token-0000',
    SNOWGATE_JOB_LOCK_MS: String(LOCK_MS), SNOWGATE_SANDBOX: 'false', HOST: '127.0.0.1', LOG_LEVEL: 'info', SNOWGATE_INTAKE: INTAKE,
  };
  const apiPort = await freePort();
  let api = await track(spawnCli(['start'], { ...common, SNOWGATE_ROLE: 'api', PORT: String(apiPort) }, 'api', /gateway listening/, logDir));
  let workerSeq = 0;
  const startWorker = async () => track(spawnCli(['start'], { ...common, SNOWGATE_ROLE: 'worker', PORT: String(await freePort()) }, `worker-${++workerSeq}`, /ops listener/, logDir));
  const workers = [await startWorker(), await startWorker()];

  const monitor = new Redis(redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 500 });
  monitor.on('error', () => undefined);
  const queues = Object.fromEntries(['intake', 'ingest', 'deliver', 'dead-letter'].map((name) => [name, new Queue(name, { connection: monitor, prefix: PREFIX, skipVersionCheck: true, skipWaitingForReady: true })]));
  for (const q of Object.values(queues)) q.on('error', () => undefined);

  say(`machine: ${machine()}`);
  say(`load: ${N} webhooks at ${RATE}/s in bursts of ${BURST}, ≤ ${CONCURRENCY} in flight, SNOWGATE_INTAKE=${INTAKE}; ${fixtures.cases.length} cases, ${fixtures.attachments.length} attachments; simulator ${JSON.stringify(SIM_KNOBS)}`);
  say(`gateway: 1 api + 2 workers, SNOWGATE_JOB_LOCK_MS=${LOCK_MS}; Redis AOF appendfsync ${FSYNC}, restart by ${RESTART === 'kill' ? 'SIGKILL' : 'SHUTDOWN'}, down ${REDIS_DOWN_MS} ms; logs in ${logDir}`);

  const tally: SendTally = { sent: 0, accepted: new Map(), acceptedOnRetryAsDuplicate: 0, retries: 0, retriesBy: new Map(), rejected: new Map() };
  const unexpected: string[] = [];
  const chaosLog: string[] = [];
  const sendMs = (N / RATE) * 1000;
  const sendStart = Date.now();

  const killWorker = async () => {
    const victim = workers.shift()!;
    const at = elapsed();
    await victim.kill();
    children.delete(victim);
    const replacement = await startWorker();
    workers.push(replacement);
    chaosLog.push(`${at} SIGKILL ${victim.label} → started ${replacement.label}`);
    say(chaosLog[chaosLog.length - 1]);
  };
  const restartRedis = async () => {
    const at = elapsed();
    await redis!.down(RESTART);
    const downAt = Date.now();
    await sleep(REDIS_DOWN_MS);
    await redis!.start();
    chaosLog.push(`${at} Redis ${RESTART === 'kill' ? 'SIGKILLed' : 'SHUTDOWN'}, back after ${Date.now() - downAt} ms`);
    say(chaosLog[chaosLog.length - 1]);
  };
  const timeline: Array<[number, () => Promise<void>]> = [[0.15, killWorker], [0.4, restartRedis], [0.6, killWorker], [0.85, killWorker]];
  const chaos = (async () => {
    for (const [at, action] of timeline) {
      await sleep(sendStart + at * sendMs - Date.now());
      if (aborted) return;
      await action();
    }
  })();

  const watchdog = async () => {
    for (const child of [...children]) {
      if (!child.unexpectedExit) continue;
      children.delete(child);
      unexpected.push(`${child.label} ${child.unexpectedExit}`);
      say(`UNEXPECTED: ${child.label} ${child.unexpectedExit} (log: ${child.logFile})`);
      if (workers.includes(child)) workers.splice(workers.indexOf(child), 1, await startWorker());
      if (child === api) api = await track(spawnCli(['start'], { ...common, SNOWGATE_ROLE: 'api', PORT: String(apiPort) }, 'api-restarted', /gateway listening/, logDir));
    }
  };
  const progress = async () => {
    const counts = await queueCounts(queues);
    const q = counts ? ['intake', 'ingest', 'deliver'].map((n) => `${n} w${counts[n].waiting + counts[n].prioritized} a${counts[n].active} d${counts[n].delayed} f${counts[n].failed}`).join(', ') : 'redis unavailable';
    say(`sent ${tally.sent}, accepted ${tally.accepted.size}, retries ${tally.retries}, delivered ${deliveries(subscriber).ids.size}; ${q}`);
  };
  const ticker = setInterval(() => void watchdog().then(progress).catch((err: Error) => say(`monitor: ${err.message}`)), 10_000);

  try {
    await sendAll(changes, { url: `http://127.0.0.1:${apiPort}`, secret, rate: RATE, burst: BURST, concurrency: CONCURRENCY }, tally, () => aborted);
    const sendSeconds = (Date.now() - sendStart) / 1000;
    await chaos;
    say(`sending done in ${sendSeconds.toFixed(1)} s; waiting for deliveries (≤ ${DRAIN_MS / 1000} s)`);
    const accepted = new Set(tally.accepted.values());
    const drainStart = Date.now();
    let last = -1;
    let lastChange = Date.now();
    while (Date.now() - drainStart < DRAIN_MS && !aborted) {
      const { ids } = deliveries(subscriber);
      if ([...accepted].every((id) => ids.has(id))) break;
      if (ids.size !== last) (last = ids.size), (lastChange = Date.now());
      if (Date.now() - lastChange > 60_000) break;
      await sleep(1000);
    }
    await sleep(3000); // late duplicates (a recovered job re-sending) still count
    clearInterval(ticker);
    await watchdog();

    const stats = (await (await fetch(`${simUrl}/__sim/stats`)).json()) as SimStats;
    const { text, lost } = formatReport({
      machine: machine(), chaos: chaosLog, knobs: SIM_KNOBS, stats, tally, subscriber, accepted, counts: await queueCounts(queues), unexpected, startedAt: t0, sendSeconds, drainSeconds: (Date.now() - drainStart) / 1000,
    });
    process.stdout.write(text);
    if (lost > 0 || unexpected.length > 0) process.env.CHAOS_KEEP_LOGS = '1';
  } finally {
    clearInterval(ticker);
    aborted = true;
    await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
    monitor.disconnect();
    await subscriber.close();
  }
}

function cleanup(): void {
  for (const child of children) child.child.kill('SIGKILL');
  void redis?.stop();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    aborted = true;
    cleanup();
    process.stderr.write(`${signal}: children and Redis stopped (files in ${work})\n`);
    process.exit(130);
  });
}

main()
  .catch((err: Error) => {
    process.stderr.write(String(err?.stack ?? err) + '\n');
    process.env.CHAOS_KEEP_LOGS = '1';
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all([...children].map((c) => c.stop()));
    await redis?.stop();
    if (process.env.CHAOS_KEEP_LOGS === '1') process.stdout.write(`logs kept in ${logDir}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
    process.exit(); // a server left open by a failed start-up must not keep the run alive
  });
