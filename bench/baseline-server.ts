/**
 * The benchmark's baseline: bare node:http that LPUSHes the raw body to Redis and answers 202 once
 * Redis acknowledged. No verification, no validation: the floor any gateway is measured against.
 */
import http from 'node:http';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const key = process.env.BASELINE_KEY ?? 'baseline:webhooks';

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    redis.lpush(key, Buffer.concat(chunks)).then(
      () => {
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"status":"queued"}');
      },
      () => {
        res.writeHead(503);
        res.end();
      },
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`ready http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
