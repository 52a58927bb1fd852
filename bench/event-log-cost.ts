/**
 * npm run bench:event-log-cost — what recording costs, apart from everything else (the end-to-end benchmark's
 * CPU per event moves by more than this with the machine's load). Against a private Redis, records
 * BENCH_EVENTS events (default 20000) the way the gateway does — the api's `received`, the worker's `enriched`
 * (a 2.5 KB CloudEvent body, three ServiceNow calls) and a delivered attempt with its exchange, on a second
 * recorder as a worker process would — BENCH_PER_TURN per event-loop turn (default 200) BENCH_GAP_MS apart
 * (default 0) on an auto-pipelined connection, and prints the CPU each side spends per event: the
 * process's own (building the stage, encoding the command, reading the answer) and Redis's (its `INFO cpu`
 * and `commandstats` for the script), less what the same loop costs when it reports nothing; and the Redis
 * commands the record script ran per event, by command (`commandstats`). Then sends 2000 events to a local subscriber with and without the
 * response capture the log asks of `sendEvent`, and prints the difference. Figures, not a test.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createEventLog } from '../src/event-log/event-log';
import { sendEvent } from '../src/events/send-event';
import { toCloudEvent } from '../src/events/to-cloud-event';
import { connectRedis, closeRedis } from '../src/lib/redis-connections';
import type { ChangeJob } from '../src/queues/change-job';
import { instanceFor, SIGNATURE_KEY } from '../tests/events/fixtures';
import { benchRedis, machine, redisCommandCalls } from './bench-kit';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
/** Events reported per event-loop turn, and the pause between turns: 200 and 0 is a busy process; 2 and 10 ms a quiet one (~200 events/s). */
const TURN = Number(process.env.BENCH_PER_TURN ?? 200);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 0);

function changeOf(i: number): ChangeJob {
  return {
    eventId: crypto.randomUUID(), instanceId: `inst-${i % 5}`, table: 'sn_customerservice_case', sysId: crypto.randomBytes(16).toString('hex'), operation: 'update',
    sysUpdatedOn: '2026-11-22 10:00:00', sysModCount: String(i), record: { number: `CS${String(i).padStart(7, '0')}`, short_description: `Printer on fire on floor ${i}` }, source: 'webhook', receivedAt: Date.now(),
  };
}

/** A case's event data as enrichment makes it: ~40 fields with display values, account and contact (≈2.5 KB as JSON). */
function caseData(change: ChangeJob): object {
  const record: Record<string, string> = {};
  for (let f = 0; f < 40; f++) record[`field_${f}`] = `value of field ${f} for ${change.sysId.slice(0, 8)}`;
  return { table: change.table, sys_id: change.sysId, operation: 'update', number: change.record.number, sys_mod_count: change.sysModCount, sys_updated_on: change.sysUpdatedOn, record, display_values: { state: 'New', priority: '3 - Moderate' }, account: { sys_id: 'a'.repeat(32), display_value: 'Acme', fields: { number: 'ACCT0001', name: 'Acme' } }, contact: null };
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (value('used_cpu_user') + value('used_cpu_sys')) * 1000;
}

/** Commands Redis ran per event between two readings, the script's calls apart from what it ran, the bench's own (info, ping, hello) left out. */
function perEvent(before: Map<string, number>, after: Map<string, number>): { script: number; commands: number; by: string } {
  const own = new Set(['info', 'ping', 'hello', 'evalsha', 'eval', 'script|load', 'script']);
  const delta = [...after].map(([name, n]) => [name, (n - (before.get(name) ?? 0)) / EVENTS] as const).filter(([, n]) => n > 0);
  const commands = delta.filter(([name]) => !own.has(name));
  return {
    script: delta.filter(([name]) => name === 'evalsha' || name === 'eval').reduce((sum, [, n]) => sum + n, 0),
    commands: commands.reduce((sum, [, n]) => sum + n, 0),
    by: commands.sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n.toFixed(2)}`).join(', '),
  };
}

async function recording(url: string): Promise<string[]> {
  const admin = new Redis(url);
  const recordTo = connectRedis({ url }, 'producer', { autoPipelining: true });
  // the api process records `received`, a worker process `enriched` and the inline attempt: two recorders, as in a deployment
  const log = createEventLog({ recordTo, readFrom: admin, layout: '{bench}', days: 7, maxPerInstance: 10_000 });
  const workerLog = createEventLog({ recordTo, readFrom: admin, layout: '{bench}', days: 7, maxPerInstance: 10_000 });
  const instance = instanceFor('bench', 'http://127.0.0.1:9/');
  const changes = Array.from({ length: EVENTS }, (_, i) => changeOf(i));
  const events = changes.map((c) => toCloudEvent(c, instance, caseData(c)));
  const exchange = { url: 'https://consumer.example.com/events', requestHeaders: { 'content-type': 'application/cloudevents+json; charset=utf-8', 'user-agent': 'snowgate/0.1.0', 'webhook-id': 'x', 'webhook-timestamp': '1795700000', 'webhook-signature': '[redacted]' }, responseHeaders: { 'content-type': 'application/json', date: 'Thu, 26 Nov 2026 13:37:26 GMT', 'content-length': '16' }, responseBody: '{"received":true}' };
  await admin.ping();
  await recordTo.ping();

  const side = async (stage: (i: number) => void): Promise<{ js: number; redis: number; calls: ReturnType<typeof perEvent> }> => {
    const callsBefore = await redisCommandCalls(url);
    const redisBefore = await redisCpuMs(admin);
    const before = process.cpuUsage();
    for (let start = 0; start < EVENTS; start += TURN) {
      for (let i = start; i < Math.min(EVENTS, start + TURN); i++) stage(i);
      await new Promise((r) => (GAP_MS ? setTimeout(r, GAP_MS) : setImmediate(r)));
    }
    log.recorder.flush();
    workerLog.recorder.flush();
    await recordTo.ping();
    const js = cpuMs(before);
    const redis = ((await redisCpuMs(admin)) - redisBefore) / EVENTS;
    return { js: js / EVENTS, redis, calls: perEvent(callsBefore, await redisCommandCalls(url)) };
  };
  // the same loop reporting nothing: what the process and Redis spend anyway (timers, pings), taken off the figures
  const idle = await side(() => undefined);
  const net = (x: { js: number; redis: number; calls: ReturnType<typeof perEvent> }) => ({ ...x, js: x.js - idle.js, redis: x.redis - idle.redis });
  const api = net(await side((i) => log.changes.accepted(changes[i], 'req')));
  const worker = net(await side((i) => {
    const trace = log.changes.traceOf(changes[i]);
    trace.cache('state', false);
    for (const table of ['sn_customerservice_case', 'customer_account', 'customer_contact']) trace.call({ api: 'table', table, status: 200, ms: 25, records: 4 });
    workerLog.changes.enriched(changes[i], events[i], trace);
    workerLog.deliveries.onAttempt!({ kind: 'delivered', status: 200, durationMs: 12, eventId: changes[i].eventId, eventType: events[i].type, instanceId: changes[i].instanceId, attempt: 1, inline: true, at: new Date().toISOString(), exchange });
  }));
  const stats = await admin.info('commandstats');
  if (process.env.BENCH_COMMANDSTATS) process.stdout.write(stats);
  const script = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(stats);
  await closeRedis(recordTo);
  admin.disconnect();
  return [
    `recording ${EVENTS} events (5 instances, 10000 kept each), ${TURN} per event-loop turn${GAP_MS ? `, ${GAP_MS} ms apart` : ''}:`,
    `  api side (received):                  process ${(api.js * 1000).toFixed(0)} µs, redis ${(api.redis * 1000).toFixed(0)} µs per event`,
    `  worker side (enriched + attempt):     process ${(worker.js * 1000).toFixed(0)} µs, redis ${(worker.redis * 1000).toFixed(0)} µs per event`,
    script ? `  redis, the script alone:              ${(Number(script[2]) / Number(script[1])).toFixed(1)} µs per call (${script[1]} calls)` : '',
    `  redis commands per event, the script's own:`,
    `    api side:    ${api.calls.commands.toFixed(2)} in ${api.calls.script.toFixed(3)} script calls (${api.calls.by})`,
    `    worker side: ${worker.calls.commands.toFixed(2)} in ${worker.calls.script.toFixed(3)} script calls (${worker.calls.by})`,
    `    together:    ${(api.calls.commands + worker.calls.commands).toFixed(2)}`,
    `  failed writes: ${log.recorder.failed + workerLog.recorder.failed}`,
  ];
}

async function capture(): Promise<string[]> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const instance = instanceFor('bench', url);
  const target = { callbackUrl: url, signatureKey: SIGNATURE_KEY, allowPrivateTargets: true };
  const run = async (captureBytes?: number) => {
    const before = process.cpuUsage();
    for (let i = 0; i < 2000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => { const c = changeOf(i + k); return sendEvent(toCloudEvent(c, instance, caseData(c)), target, { captureBytes }); }));
    }
    return cpuMs(before) / 2000;
  };
  await run(); // warm-up
  const results = { plain: [] as number[], captured: [] as number[] };
  for (let round = 0; round < 3; round++) {
    results.plain.push(await run());
    results.captured.push(await run(2048));
  }
  server.close();
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
  return [`sendEvent to a local subscriber (2000 sends, median of 3): ${(median(results.plain) * 1000).toFixed(0)} µs plain, ${(median(results.captured) * 1000).toFixed(0)} µs with the capture (process CPU, sender and subscriber together)`];
}

async function main(): Promise<void> {
  const server = await benchRedis();
  try {
    const lines = [`machine: ${machine()}`, ...(await recording(server.url)), ...(await capture())];
    process.stdout.write(`${lines.filter(Boolean).join('\n')}\n`);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
