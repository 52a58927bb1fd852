import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyStatus, parseRetryAfter, type AttemptExchange, type AttemptOutcome } from './delivery-outcome';
import { redactHeaders, sampleBody } from './response-sample';
import { redactUrl } from '../lib/url-credentials';
import { signEvent, type SignedRequest } from './sign-event';
import { resolveTarget, SsrfBlockedError, systemResolver, type HostResolver, type ResolvedAddress } from '../lib/ssrf-guard';
import type { SnowgateEvent } from './to-cloud-event';

/** Where and how one event goes: the instance's subscriber settings. */
export interface DeliveryTarget {
  callbackUrl: string;
  signatureKey: string;
  allowPrivateTargets: boolean;
  /** Serializes and signs in another format than CloudEvents with Standard Webhooks (see `event.notification.format`). */
  encode?: (event: SnowgateEvent, now: Date, userAgent?: string) => SignedRequest;
}

/** Knobs of one send. */
export interface SendOptions {
  /** Whole-request timeout in ms (connect to last byte). Default 10000. */
  timeoutMs?: number;
  /** Host resolver for the SSRF check; the system resolver by default. */
  resolve?: HostResolver;
  userAgent?: string;
  /**
   * Capture the exchange for the event log (request headers with the signature redacted, the answer's headers
   * and up to this many bytes of its body). The outcome then waits for the body's end or bound. Default: off.
   */
  captureBytes?: number;
}

/** What a capturing send keeps of the request, before the answer. */
function requestExchange(target: DeliveryTarget, signed: SignedRequest): AttemptExchange {
  return { url: redactUrl(target.callbackUrl), requestHeaders: redactHeaders(signed.headers), ...(target.encode ? { sentBody: signed.body } : {}) };
}

/** A lookup that only ever answers the addresses already vetted, so DNS rebinding cannot bypass the guard. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  }) as unknown as LookupFunction;
}

/**
 * Keep-alive agents for deliveries, one per SSRF policy. Node's shared global agent pools sockets by host and
 * port only: a socket opened for an instance that allows private targets could then carry the event of an
 * instance that does not, to the private address it was connected to (DNS rebinding). Here a pooled socket
 * was always vetted under the policy of the send that reuses it. Idle sockets close after 4 s, before the
 * usual 5 s server keep-alive timeout; a request that meets a socket closed meanwhile is sent again once.
 */
const AGENT_OPTIONS = { keepAlive: true, maxFreeSockets: 64, timeout: 4000 };
const AGENTS = {
  http: { vetted: new http.Agent(AGENT_OPTIONS), private: new http.Agent(AGENT_OPTIONS) },
  https: { vetted: new https.Agent(AGENT_OPTIONS), private: new https.Agent(AGENT_OPTIONS) },
};

function agentFor(url: URL, allowPrivateTargets: boolean): http.Agent {
  const pair = url.protocol === 'https:' ? AGENTS.https : AGENTS.http;
  return allowPrivateTargets ? pair.private : pair.vetted;
}

function permanent(reason: string, error: string, started: number): AttemptOutcome {
  return { kind: 'permanent', reason, error, durationMs: Date.now() - started };
}

/**
 * POSTs one signed event to the subscriber and classifies the answer (see `classifyStatus`).
 * The host is resolved and vetted first (`ssrf_blocked` unless private targets are allowed) and the
 * connection is pinned to the vetted addresses. Redirects are not followed (a 3xx is permanent).
 * Never throws: every failure is an outcome.
 */
export async function sendEvent(event: SnowgateEvent, target: DeliveryTarget, options: SendOptions = {}): Promise<AttemptOutcome> {
  const started = Date.now();
  let url: URL;
  try {
    url = new URL(target.callbackUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported scheme ${url.protocol}`);
  } catch (err) {
    return permanent('invalid_callback_url', (err as Error).message, started);
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolveTarget(url.hostname, target.allowPrivateTargets, options.resolve ?? systemResolver);
  } catch (err) {
    if (err instanceof SsrfBlockedError) return permanent(err.reason, err.message, started);
    return { kind: 'retryable', error: `dns: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, durationMs: Date.now() - started };
  }
  let signed;
  try {
    signed = target.encode ? target.encode(event, new Date(), options.userAgent) : signEvent(event, target.signatureKey, new Date(), options.userAgent);
  } catch (err) {
    return permanent('invalid_signature_key', `the signature key is unusable: ${(err as Error).message}`, started);
  }
  const capture = options.captureBytes ? { bytes: options.captureBytes, exchange: requestExchange(target, signed) } : undefined;
  return post(url, addresses, agentFor(url, target.allowPrivateTargets), signed.headers, signed.body, options.timeoutMs ?? 10_000, started, capture);
}

interface Capture {
  bytes: number;
  exchange: AttemptExchange;
}

function post(url: URL, addresses: ResolvedAddress[], agent: http.Agent, headers: Record<string, string>, body: string, timeoutMs: number, started: number, capture?: Capture, retryStaleSocket = true): Promise<AttemptOutcome> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = transport.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(addresses),
    });
    // the whole exchange, connect to last byte; cleared as soon as it is over (AbortSignal.timeout's timer would live on)
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      const retryAfter = res.headers['retry-after'];
      res.on('error', () => undefined);
      res.on('end', () => clearTimeout(timer));
      const outcome: AttemptOutcome = {
        kind: classifyStatus(status),
        status,
        durationMs: Date.now() - started,
        retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
      };
      if (!capture) {
        res.resume(); // the body is not needed; drain it so the socket goes back to the pool
        resolve(outcome);
        return;
      }
      void sampleBody(res, capture.bytes).then((sample) =>
        resolve({ ...outcome, exchange: { ...capture.exchange, responseHeaders: redactHeaders(res.headers), responseBody: sample.text, ...(sample.truncated ? { responseTruncated: true } : {}) } }),
      );
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (answered) return; // the answer's status stands; its body was cut short
      // a pooled socket the subscriber closed as we reused it: the request never reached it, so send it again once on a new one
      if (retryStaleSocket && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        clearTimeout(timer);
        resolve(post(url, addresses, agent, headers, body, timeoutMs - (Date.now() - started), started, capture, false));
        return;
      }
      const code = err.name === 'TimeoutError' ? 'timeout' : err.code ?? err.name;
      resolve({ kind: 'retryable', error: `${code}: ${err.message}`, durationMs: Date.now() - started, ...(capture ? { exchange: capture.exchange } : {}) });
    });
    req.end(body);
  });
}
