/**
 * The e2e benchmark's bare relay: the least any webhook-to-subscriber relay must do, so the gateway's CPU
 * per event can be read as a ratio to it. Two processes, like the gateway's api and worker:
 *
 * - `node bench/bare-relay.ts door` — a `node:http` handler that LPUSHes the raw webhook (its `webhook-id`
 *   header, a newline, the body) and answers 202 once Redis acknowledged (503 if it did not);
 * - `node bench/bare-relay.ts forward` — BRPOPs each webhook and POSTs its body to the subscriber with
 *   Standard Webhooks headers (HMAC-SHA256 by node:crypto), at most 64 in flight.
 *
 * No verification, validation, enrichment, dedupe, ordering or bookkeeping. Env: REDIS_URL, RELAY_KEY,
 * PORT (door), SUBSCRIBER_URL and SIGNATURE_KEY (`whsec_…`, forward). Each prints "ready <url>".
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';

const KEY = process.env.RELAY_KEY ?? 'relay:webhooks';
const MAX_IN_FLIGHT = 64;

function door(): void {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [Buffer.from(`${req.headers['webhook-id'] ?? ''}\n`)];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      redis.lpush(KEY, Buffer.concat(chunks)).then(
        () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"queued"}'),
        () => res.writeHead(503).end(),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`ready http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
  process.on('SIGTERM', () => {
    server.close();
    redis.disconnect();
    process.exit(0);
  });
}

function forward(): void {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const target = new URL(process.env.SUBSCRIBER_URL ?? 'http://127.0.0.1:8080/events');
  const key = Buffer.from((process.env.SIGNATURE_KEY ?? '').replace(/^whsec_/, ''), 'base64');
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let inFlight = 0;
  let wake: (() => void) | undefined;
  let stopping = false;

  const post = (item: Buffer): Promise<void> => {
    const nl = item.indexOf(10);
    const id = item.subarray(0, nl).toString() || crypto.randomUUID();
    const body = item.subarray(nl + 1);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
    return new Promise((resolve) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
          res.on('error', () => resolve());
        },
      );
      req.on('error', () => resolve());
      req.end(body);
    });
  };

  const loop = async (): Promise<void> => {
    while (!stopping) {
      if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
      const popped = await redis.brpopBuffer(KEY, 1);
      if (!popped) continue;
      inFlight += 1;
      void post(popped[1]).finally(() => {
        inFlight -= 1;
        wake?.();
        wake = undefined;
      });
    }
  };
  void loop();
  process.stdout.write(`ready ${target.href}\n`);
  process.on('SIGTERM', () => {
    stopping = true;
    redis.disconnect();
    process.exit(0);
  });
}

if (process.argv[2] === 'door') door();
else if (process.argv[2] === 'forward') forward();
else {
  process.stderr.write('usage: bare-relay.ts door|forward\n');
  process.exit(2);
}
