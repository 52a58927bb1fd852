import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One notification as a Cloud Elements consumer reads it. */
export interface CeNotification {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  verified: boolean;
  /** The parsed body: `message.events[0]`, `message.raw`… */
  body: {
    id: string;
    action: string;
    topic: string;
    createdDate: string;
    severity: string;
    user: string;
    message: {
      eventId: string;
      instanceId: string;
      instance_id: string;
      elementKey: string;
      instanceName: string;
      instanceTags: string[];
      raw: Record<string, unknown> & { objectType: string; pollDate: number };
      events: Array<{ eventType: string; objectId: string; objectType: string; hubKey: string; date: string; pollDate: string; elementKey: string }>;
    };
  };
}

export interface CeConsumer {
  url: string;
  /** Every request that verified, oldest first. */
  notifications: CeNotification[];
  /** Requests refused for their signature. */
  refused: number;
  waitFor(count: number, timeoutMs?: number): Promise<CeNotification[]>;
  close(): Promise<void>;
}

/**
 * A consumer written against Cloud Elements' documentation (docs/guides/event-management/security.md, the
 * Node sample): `crypto.createHmac('sha256', key).update(body).digest('base64')` compared with the
 * `Elements-Webhook-Signature` header after `sha256=`; a mismatch is answered 401.
 */
export async function startCeConsumer(signatureKey: string): Promise<CeConsumer> {
  const notifications: CeNotification[] = [];
  let refused = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const hmac = crypto.createHmac('sha256', signatureKey).update(raw).digest('base64');
      const verified = req.headers['elements-webhook-signature'] === 'sha256=' + hmac;
      if (!verified) {
        refused += 1;
        res.writeHead(401).end();
        return;
      }
      notifications.push({ headers: req.headers, raw, verified, body: JSON.parse(raw) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ce-events`,
    notifications,
    get refused() {
      return refused;
    },
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (notifications.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${notifications.length} of ${count} notifications (${refused} refused)`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return notifications.slice(0, count);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
