/**
 * npm run bench:queue-floor — what one BullMQ job per change costs by itself, against the bare relay's list.
 * Two processes per phase on a private redis-server, like the gateway's api and worker, at BENCH_RATE jobs/s
 * (default 500) for BENCH_SECONDS (default 30, after 5 s of warm-up), each job the size of a case change
 * (~1.2 KB of JSON):
 *
 * - `bullmq`: the producer adds each job alone, as the webhook door does (the ingest queue's options, job id,
 *   deduplication key); the consumer is a BullMQ Worker with the ingest worker's concurrency (50) and lock
 *   options, whose processor does nothing;
 * - `list`: the producer LPUSHes the job, the consumer BRPOPs it (the bare relay's queue).
 *
 * Prints CPU per change of producer, consumer and Redis, and Redis commands per change: the floor a gateway that
 * keeps one BullMQ job per change pays before verifying, enriching or delivering anything. `BENCH_BATCH=n` puts n
 * changes in each BullMQ job (no deduplication key): what a job carrying a batch would cost per change — batches
 * that, at a door taking one webhook per request, only a waiting window could gather. Figures, not a test.
 */
import crypto from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { INGEST_JOB_OPTIONS } from '../src/queues/ingest-queue';
import { CLAIM_TTL_MS } from '../src/queues/change-claims';
import { lockOptions } from '../src/workers/job-lock';
import { benchRedis, commandsPerEvent, cpuSeconds, machine, redisCommandCalls } from './bench-kit';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = 5;
/** Changes per BullMQ job (default 1, as the gateway queues them): what a job carrying a batch would cost per change. */
const BATCH = Math.max(1, Number(process.env.BENCH_BATCH ?? 1));
const PREFIX = '{floor}';
const LIST = `${PREFIX}:jobs`;

type Mode = 'bullmq' | 'list';

/** A job the size and shape of a case change (ChangeJob). */
function changeOf(i: number): Record<string, unknown> {
  return {
    eventId: crypto.randomUUID(), instanceId: 'bench', table: 'sn_customerservice_case', sysId: crypto.randomBytes(16).toString('hex'), operation: 'update',
    sysUpdatedOn: '2026-11-26 10:00:00', sysModCount: String(i), source: 'webhook', receivedAt: Date.now(),
    record: { number: `CS${String(i).padStart(7, '0')}`, short_description: 'Printer on fire on the third floor, again', state: '10', priority: '3', account: crypto.randomBytes(16).toString('hex'), contact: crypto.randomBytes(16).toString('hex'), assigned_to: crypto.randomBytes(16).toString('hex'), active: 'true', description: 'x'.repeat(600) },
  };
}

/** The producer: one job every 1/RATE s until told to stop; reports how many it added. */
async function produce(mode: Mode, url: string): Promise<void> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await new Promise((resolve) => redis.once('ready', resolve));
  const queue = mode === 'bullmq' ? new Queue('ingest', { connection: redis, prefix: PREFIX, defaultJobOptions: INGEST_JOB_OPTIONS }) : undefined;
  await queue?.waitUntilReady();
  let added = 0;
  let i = 0;
  let batch: Array<Record<string, unknown>> = [];
  const started = Date.now();
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * RATE);
    for (; i < due; i++) {
      const change = changeOf(i);
      if (!queue) {
        void redis.lpush(LIST, JSON.stringify(change)).then(() => added++);
        continue;
      }
      if (BATCH > 1) {
        batch.push(change);
        if (batch.length < BATCH) continue;
        const changes = batch;
        batch = [];
        void queue.add('batch', { changes }, { jobId: change.eventId as string }).then(() => (added += changes.length));
        continue;
      }
      void queue.add('sn_customerservice_case', change, { jobId: change.eventId as string, deduplication: { id: `bench|${change.sysId as string}|${i}`, ttl: CLAIM_TTL_MS } }).then(() => added++);
    }
  }, 2);
  process.on('message', async () => {
    clearInterval(timer);
    await queue?.close();
    redis.disconnect();
    process.send!({ added }, () => process.exit(0));
  });
  process.send!('ready');
}

/** The consumer: takes every job and does nothing with it; reports how many it took. */
async function consume(mode: Mode, url: string): Promise<void> {
  let taken = 0;
  let stop: () => Promise<void>;
  if (mode === 'bullmq') {
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const worker = new Worker('ingest', async (job) => { taken += (job.data as { changes?: unknown[] }).changes?.length ?? 1; return { delivered: true }; }, { connection, prefix: PREFIX, concurrency: 50, ...lockOptions(), maxStalledCount: 5 });
    await worker.waitUntilReady();
    stop = async () => { await worker.close(); connection.disconnect(); };
  } else {
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    let running = true;
    void (async () => {
      while (running) if (await redis.brpop(LIST, 1).catch(() => null)) taken++;
    })();
    stop = async () => { running = false; redis.disconnect(); };
  }
  process.on('message', async () => {
    await stop();
    process.send!({ taken }, () => process.exit(0));
  });
  process.send!('ready');
}

function start(role: 'produce' | 'consume', mode: Mode, url: string): Promise<ChildProcess> {
  const child = fork(__filename, [role, mode, url], { execArgv: process.execArgv });
  return new Promise((resolve) => child.once('message', () => resolve(child)));
}

function finish(child: ChildProcess): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as Record<string, number>));
    child.send('stop');
  });
}

/** Runs one phase; resolves with its CPU per change (producer + consumer + Redis, ms). */
async function phase(mode: Mode): Promise<number> {
  const redis = await benchRedis();
  try {
    const consumer = await start('consume', mode, redis.url);
    const producer = await start('produce', mode, redis.url);
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const pids = { producer: producer.pid!, consumer: consumer.pid!, redis: redis.pid! };
    const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const commandsBefore = await redisCommandCalls(redis.url);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const after = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const commandsAfter = await redisCommandCalls(redis.url);
    const jobs = RATE * SECONDS; // changes: CPU and commands are per change
    const ms = (k: string) => ((after[k]! - before[k]!) * 1000) / jobs;
    const { added } = await finish(producer);
    await new Promise((r) => setTimeout(r, 500));
    const { taken } = await finish(consumer);
    console.log(`[${mode}] changes added ${added}, taken ${taken}`);
    console.log(`[${mode}] CPU per change  producer ${ms('producer').toFixed(3)} ms, consumer ${ms('consumer').toFixed(3)} ms, redis ${ms('redis').toFixed(3)} ms = ${(ms('producer') + ms('consumer') + ms('redis')).toFixed(3)} ms`);
    console.log(`[${mode}] Redis commands  ${commandsPerEvent(commandsBefore, commandsAfter, jobs)}`);
    return ms('producer') + ms('consumer') + ms('redis');
  } finally {
    await redis.stop();
  }
}

if (process.argv[2] === 'produce') void produce(process.argv[3] as Mode, process.argv[4]!);
else if (process.argv[2] === 'consume') void consume(process.argv[3] as Mode, process.argv[4]!);
else {
  void (async () => {
    console.log(`machine: ${machine()}`);
    console.log(`load: ${RATE} changes/s, ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; phases list, bullmq (${BATCH} change${BATCH > 1 ? 's' : ''} per job)`);
    const list = await phase('list');
    const bullmq = await phase('bullmq');
    console.log(`bullmq ÷ list  CPU per change ${(bullmq / list).toFixed(2)}× (BullMQ costs ${(bullmq - list).toFixed(3)} ms per change more than the list)`);
  })();
}
