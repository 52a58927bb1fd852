import http from 'node:http';
import https from 'node:https';

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 128 }), https: new https.Agent({ keepAlive: true, maxSockets: 128 }) };

/**
 * POSTs a body and resolves with the status (the answer's body is drained). node:http with keep-alive:
 * the simulator fires thousands of webhooks a second in benchmarks, where fetch's overhead would dominate.
 */
export function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      target,
      { method: 'POST', agent: secure ? agents.https : agents.http, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: timeoutMs },
      (res) => {
        let ended = false;
        res.resume();
        res.on('end', () => {
          ended = true;
          resolve(res.statusCode ?? 0);
        });
        res.on('error', reject);
        // a connection that closes mid-answer emits neither 'end' nor always 'error': never wait forever
        res.on('close', () => {
          if (!ended) reject(new Error('the connection closed before the answer ended'));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
