import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { benchRedis, freePort, ROOT, spawnReady } from './bench-kit';
async function main() {
  const redis = await benchRedis();
  const secret = 'whsec_' + crypto.randomBytes(32).toString('base64');
  const configPath = '/tmp/sg-http.json';
  fs.writeFileSync(configPath, JSON.stringify({ instances: [{ id: 'bench', name: 'bench', configuration: { 'servicenow.instance_url': 'https://b.service-now.com', 'oauth.api.key': 'k', 'oauth.api.secret': 's', 'webhook.secret': secret, 'webhook.rate_limit_per_second': 1000000 } }] }));
  const gw = await spawnReady([path.join(ROOT, 'dist/cli.js'), 'start'], { REDIS_URL: redis.url, SNOWGATE_CONFIG: configPath, SNOWGATE_ROLE: 'api', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(await freePort()) }, 'gw');
  const body = JSON.stringify({ table: 'sn_customerservice_case', sys_id: 'a'.repeat(32), operation: 'update', sys_updated_on: '2026-11-22 10:00:00', sys_mod_count: '1', record: { number: 'CS1', description: 'x'.repeat(1300) } });
  const now = new Date();
  for (const mode of ['healthz', 'badsig', 'goodsig-dup']) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': 'id1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': mode === 'badsig' ? 'v1,AAAA' : new Webhook(secret).sign('id1', now, body) };
    const r = await autocannon({ url: gw.url + (mode === 'healthz' ? '/healthz' : '/webhooks/bench/sn_customerservice_case'), method: mode === 'healthz' ? 'GET' : 'POST', body: mode === 'healthz' ? undefined : body, headers, connections: 32, duration: 5 });
    console.log(mode, Math.round(r.requests.average), 'req/s p50', r.latency.p50, 'p99', r.latency.p99, 'non2xx', r.non2xx);
  }
  await gw.stop(); await redis.stop();
}
main();
