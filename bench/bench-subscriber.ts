import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery as the benchmark needs it. */
export interface BenchDelivery {
  id: string;
  subject: string;
  sequence: string;
  receivedAt: number;
}

/**
 * A lean subscriber for benchmarks: verifies each Standard Webhooks signature with node:crypto (the test
 * helper's `standardwebhooks` + cloudevents parsing would cost this 2-core machine more CPU than the
 * gateway's own delivery), records id / subject / sequence (of a CloudEvent, or of the raw webhook the bare
 * relay forwards), answers 204. A bad signature gets 401 and counts.
 */
export async function startBenchSubscriber(signatureKey: string): Promise<{ url: string; deliveries: BenchDelivery[]; badSignatures: () => number; close(): Promise<void> }> {
  const key = Buffer.from(signatureKey.slice('whsec_'.length), 'base64');
  const deliveries: BenchDelivery[] = [];
  let bad = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const id = String(req.headers['webhook-id']);
      const expected = crypto.createHmac('sha256', key).update(`${id}.${req.headers['webhook-timestamp']}.`).update(body).digest('base64');
      const ok = String(req.headers['webhook-signature'] ?? '').split(' ').some((s) => s === `v1,${expected}`);
      if (!ok) {
        bad += 1;
        res.writeHead(401).end();
        return;
      }
      // a CloudEvent from the gateway, or the raw ServiceNow webhook the bare relay forwards (its id in the header)
      const event = JSON.parse(body.toString('utf8')) as { id?: string; subject?: string; sequence?: string; sys_id?: string; sys_mod_count?: string };
      deliveries.push({ id: event.id ?? id, subject: event.subject ?? event.sys_id ?? '', sequence: event.sequence ?? event.sys_mod_count ?? '', receivedAt: Date.now() });
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    deliveries,
    badSignatures: () => bad,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
