/**
 * npm run bench:event-log-memory — what one event costs the event log in Redis. Runs the whole walk in one
 * process (the simulator, a gateway with every role on a private Redis, a local subscriber), makes
 * BENCH_CHANGES changes (default 300: a third new cases, a third updates of case fields, a third customer
 * comments, each through its business rule's webhook, enriched and delivered), then measures `MEMORY USAGE` (SAMPLES 0) of every event's
 * keys (summary hash, body, timeline) and of the indexes (instance, global, search terms) shared among them,
 * and prints the average per event. Figures, not a test.
 */
import { Redis } from 'ioredis';
import { machine, benchRedis } from './bench-kit';
import { patchCase, SIM_ADMIN_AUTH, startTestPipeline } from '../tests/helpers/test-pipeline';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 300);
const CASES = 'sn_customerservice_case';

async function memory(redis: Redis, key: string): Promise<number> {
  return Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
}

async function main(): Promise<void> {
  const server = await benchRedis();
  const p = await startTestPipeline({ redisUrl: server.url });
  const redis = new Redis(server.url);
  try {
    const cases = p.sim.store.list(CASES);
    for (let i = 0; i < CHANGES; i += 1) {
      if (i % 3 === 0) {
        await fetch(`${p.sim.url}/api/now/table/${CASES}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SIM_ADMIN_AUTH }, body: JSON.stringify({ short_description: `VPN drops every hour (${i})`, description: 'Since the update on Monday the VPN client disconnects every hour.', priority: '3', account: cases[i % cases.length].account, contact: cases[i % cases.length].contact }) });
        continue;
      }
      const kase = cases[i % cases.length];
      const fields: Record<string, string> = i % 3 === 1 ? { short_description: `Printer on fire, floor ${i}`, priority: String(1 + (i % 4)) } : { comments: `Customer writes: still broken after the reboot (#${i})` };
      await patchCase(p.sim.url, kase.sys_id, fields);
    }
    await p.sim.webhooksIdle();
    const expected = CHANGES + Math.floor(CHANGES / 3); // each comment is a journal entry and a case update
    await p.subscriber.waitFor(expected, 60_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));

    const prefix = `${p.gateway.settings.queuePrefix}:evlog:`;
    const metas = await redis.keys(`${prefix}meta:*`);
    const ids = metas.map((k) => k.slice(`${prefix}meta:`.length));
    let own = { meta: 0, body: 0, line: 0 };
    for (const id of ids) {
      own = { meta: own.meta + (await memory(redis, `${prefix}meta:${id}`)), body: own.body + (await memory(redis, `${prefix}body:${id}`)), line: own.line + (await memory(redis, `${prefix}line:${id}`)) };
    }
    let indexes = 0;
    for (const key of [...(await redis.keys(`${prefix}instance:*`)), `${prefix}all`, ...(await redis.keys(`${prefix}term:*`))]) indexes += await memory(redis, key);
    const n = Math.max(1, ids.length);
    const per = (bytes: number) => `${Math.round(bytes / n)} B`;
    const total = own.meta + own.body + own.line + indexes;
    process.stdout.write([
      `event log memory, ${ids.length} events (${p.subscriber.events.length} deliveries; cases created, updated and commented, enriched, delivered)`,
      `  ${machine()}`,
      `  per event: summary ${per(own.meta)}, body ${per(own.body)}, timeline ${per(own.line)}, indexes ${per(indexes)} — total ${per(total)}`,
      `  at SNOWGATE_EVENT_LOG_MAX=10000 per instance: ~${Math.round((total / n) * 10_000 / 1024 / 1024)} MiB per instance`,
      '',
    ].join('\n'));
  } finally {
    redis.disconnect();
    await p.close();
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
