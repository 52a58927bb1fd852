import http from 'node:http';
import net from 'node:net';

/** One answer of the gateway: status, lower-case headers and the body as text (JSON-parsed when it is JSON). */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json?: unknown;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Closes the keep-alive sockets the fuzz client holds, so Jest can exit. */
export function closeClient(): void {
  agent.destroy();
}

/**
 * A POST over node:http with exactly these bytes and headers (no header is added but Host, Connection and
 * Content-Length — or Transfer-Encoding when `chunked`), so content types, encodings and bodies go out as made.
 */
export function post(url: string, body: Buffer, headers: Record<string, string>, options: { chunked?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const framing = options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) };
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, ...framing } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    // the server may answer (413, 415, 401) before it has read a large body and then drop the rest: the answer counts
    req.on('error', reject);
    if (!options.chunked) {
      req.end(body);
      return;
    }
    for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
    req.end();
  });
}

/** GET a path, answer status only. */
export function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** What came back on a raw socket: every status line seen, and whether the server closed the connection. */
export interface RawExchange {
  statuses: number[];
  closedByServer: boolean;
  timedOut: boolean;
  raw: string;
}

/**
 * Writes hand-made HTTP/1.1 bytes on a fresh TCP connection and collects everything the server sends until it
 * closes the connection (every request built here says `Connection: close` or is malformed) or `timeoutMs`
 * passes. fetch and node:http refuse to send most of these requests, which is why this exists.
 */
export function rawExchange(port: number, bytes: Buffer, timeoutMs = 5000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timedOut = false;
    let closedByServer = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      closedByServer = true;
      socket.end();
    });
    // a reset while we still write (the server gave up on a request and closed) is a close too
    socket.on('error', () => {
      closedByServer = !timedOut;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const statuses = [...raw.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, closedByServer: closedByServer && !timedOut, timedOut, raw });
    });
  });
}
