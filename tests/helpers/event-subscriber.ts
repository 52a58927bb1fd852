import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP, type CloudEvent } from 'cloudevents';
import { Webhook } from 'standardwebhooks';

/** One scripted answer: a status, or a status with headers, a body and a delay before answering. */
export type ScriptedResponse = number | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

/** One request the subscriber got. */
export interface ReceivedDelivery {
  /** Lower-cased request headers. */
  headers: Record<string, string>;
  /** The raw body, exactly as signed. */
  body: string;
  /** Whether the Standard Webhooks signature verified. */
  signatureValid: boolean;
  /** The parsed CloudEvent (undefined if the body did not parse). */
  event?: CloudEvent<Record<string, unknown>>;
  /** 1 for the first request carrying this webhook-id, 2 for the second, … */
  attempt: number;
  /** The status it was answered with. */
  status: number;
  /** Epoch ms of arrival. */
  receivedAt: number;
}

export interface EventSubscriberOptions {
  /** `whsec_…` key the deliveries must be signed with. */
  signatureKey: string;
  /** Answers, consumed one per request; once spent, every request gets the fallback. */
  responses?: ScriptedResponse[];
  /** The answer once the script is spent. Default 204. */
  fallback?: ScriptedResponse;
}

/** A running test subscriber. */
export interface EventSubscriber {
  /** `http://127.0.0.1:{port}/events` */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly events: ReceivedDelivery[];
  /** Resolves once `count` requests have arrived (all of them), or rejects after `timeoutMs` (default 10000). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  /** Resolves with the first request (from index `from` on) that `matches`, or rejects after `timeoutMs` (default 10000). */
  waitForMatch(matches: (delivery: ReceivedDelivery) => boolean, from?: number, timeoutMs?: number): Promise<ReceivedDelivery>;
  /** Replaces the remaining script. */
  setResponses(responses: ScriptedResponse[]): void;
  /** Replaces the answer given once the script is spent (e.g. 500 for an outage, then 200 when it ends). */
  setFallback(response: ScriptedResponse): void;
  close(): Promise<void>;
}

function normalize(response: ScriptedResponse): { status: number; headers: Record<string, string>; body?: string; delayMs: number } {
  return typeof response === 'number' ? { status: response, headers: {}, delayMs: 0 } : { headers: {}, delayMs: 0, ...response };
}

/**
 * Starts a real subscriber on a random loopback port: verifies each request's Standard Webhooks signature,
 * parses it as a CloudEvent (structured mode), records it, and answers from the script (401 on a bad signature).
 */
export async function startEventSubscriber(options: EventSubscriberOptions): Promise<EventSubscriber> {
  const webhook = new Webhook(options.signatureKey);
  const events: ReceivedDelivery[] = [];
  const seen = new Map<string, number>();
  const waiters: Array<{ count: number; resolve: (e: ReceivedDelivery[]) => void }> = [];
  let script = [...(options.responses ?? [])];
  let fallback = options.fallback ?? 204;
  const pending = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
      let signatureValid = true;
      try {
        webhook.verify(body, headers, { jsonParse: false });
      } catch {
        signatureValid = false;
      }
      let event: CloudEvent<Record<string, unknown>> | undefined;
      try {
        event = HTTP.toEvent<Record<string, unknown>>({ headers, body }) as CloudEvent<Record<string, unknown>>;
      } catch {
        event = undefined;
      }
      const id = headers['webhook-id'] ?? '';
      const attempt = (seen.get(id) ?? 0) + 1;
      seen.set(id, attempt);
      const answer = signatureValid ? normalize(script.shift() ?? fallback) : { status: 401, headers: {}, delayMs: 0 };
      events.push({ headers, body, signatureValid, event, attempt, status: answer.status, receivedAt: Date.now() });
      for (const w of waiters.filter((w) => events.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve([...events]);
      }
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body);
      }, answer.delayMs);
      pending.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedDelivery[]> {
    if (events.length >= count) return Promise.resolve([...events]);
    return new Promise((resolve, reject) => {
      const waiter = { count, resolve: (e: ReceivedDelivery[]) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`expected ${count} deliveries within ${timeoutMs} ms, got ${events.length}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  }

  return {
    url: `http://127.0.0.1:${port}/events`,
    events,
    waitFor,
    async waitForMatch(matches, from = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.slice(from).find(matches);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching delivery within ${timeoutMs} ms (${events.length - from} others arrived)`);
        await waitFor(events.length + 1, left).catch(() => undefined);
      }
    },
    setResponses(responses) {
      script = [...responses];
    },
    setFallback(response) {
      fallback = response;
    },
    close() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
