import { PrivateRedis } from '../helpers/redis-server';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { caseBody, newSecret, signedHeaders } from '../helpers/webhook-signing';

const secret = newSecret();
let redis: PrivateRedis;
let gw: TestGateway;

beforeAll(async () => {
  redis = await PrivateRedis.start();
  gw = await startTestGateway({
    redisUrl: redis.url,
    instances: [{ id: 'acme', name: 'acme', configuration: { 'servicenow.instance_url': 'https://acme.service-now.com', 'oauth.api.key': 'k', 'oauth.api.secret': 's', 'webhook.secret': secret } }],
  });
});
afterAll(async () => {
  await gw.close();
  await redis.stop();
});

/** Posts a fresh signed case webhook; aborts after 3 s so a hang fails the test instead of passing slowly. */
async function postCase(): Promise<{ status: number; retryAfter: string | null; code?: string }> {
  const body = caseBody();
  const res = await fetch(`${gw.url}/webhooks/acme/sn_customerservice_case`, {
    method: 'POST',
    body,
    headers: signedHeaders(secret, `wh-${Math.random()}`, body),
    signal: AbortSignal.timeout(3000),
  });
  const json = (await res.json()) as { error?: { code: string } };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: json.error?.code };
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, tries = 60): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last as T;
}

describe('when Redis goes away', () => {
  it('answers 503 queue_unavailable with Retry-After instead of hanging, reports not ready, and recovers when Redis returns', async () => {
    expect((await postCase()).status).toBe(202);

    await redis.stop();
    const down = await postCase();
    expect(down).toMatchObject({ status: 503, code: 'queue_unavailable' });
    expect(Number(down.retryAfter)).toBeGreaterThan(0);
    const ready = await fetch(`${gw.url}/readyz`, { signal: AbortSignal.timeout(3000) });
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { redis: { status: string } } }).checks.redis.status).toBe('down');

    await redis.start();
    const back = await eventually(postCase, (r) => r.status === 202);
    expect(back.status).toBe(202);
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    expect(await gw.accepted()).toHaveLength(1); // the private Redis restarted empty: only the new change
  });
});
