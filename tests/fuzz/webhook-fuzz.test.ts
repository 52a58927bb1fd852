import crypto from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { newSecret, webhookInstance } from '../helpers/webhook-signing';
import { closeClient, getStatus, post, rawExchange, type Answer } from './fuzz-http';
import { isValidPayload, verdictFor, type Verdict } from './payload-oracle';
import { rawCase, type RawContext } from './raw-requests';
import { signBytes, signedRawHeaders } from './raw-signing';
import { anyBody, CORE_TABLES, tableAndPayload, type CoreTable } from './webhook-arbitraries';

/*
 * Property-based fuzzing of the webhook door (issue 8): thousands of malformed and hostile requests against a
 * real gateway on real Redis, over real sockets. Whatever arrives: never a 5xx, never a crash or a hang, and
 * never a job unless the answer was 202. Seeds are random; fast-check prints the seed and the shrunk
 * counterexample of any failure, so a failure can be replayed with `{ seed, path }`.
 */

const secret = newSecret();
const otherSecret = newSecret();
const INSTANCE = 'fuzz';

// the fuzzer posts faster than a real instance; the rate limit is not under test here
const instance = webhookInstance(INSTANCE, secret, { 'webhook.rate_limit_per_second': 1e9 });

/** Object.prototype of this realm and of Node's own (core modules build their objects there). */
const outerObjectPrototype = Object.getPrototypeOf(Object.getPrototypeOf(http.METHODS)) as object;
const prototypeKeysBefore = [Object.prototype, outerObjectPrototype, Array.prototype].map((p) => Reflect.ownKeys(p).map(String).sort());

let gw: TestGateway;
let limit: number;
let port: number;
let requests = 0;

beforeAll(async () => {
  gw = await startTestGateway({ instances: [instance] });
  limit = gw.settings.maxBodyBytes;
  port = Number(new URL(gw.url).port);
});
afterAll(async () => {
  closeClient();
  await gw?.close();
  // eslint-disable-next-line no-console
  console.log(`webhook fuzz: ${requests} requests`);
});

const pathOf = (table: string) => `/webhooks/${INSTANCE}/${table}`;
let seq = 0;
const nextId = () => `fuzz-${process.pid}-${++seq}`;

async function send(table: string, body: Buffer, headers: Record<string, string>, options: { chunked?: boolean } = {}): Promise<Answer> {
  requests += 1;
  return post(gw.url + pathOf(table), body, headers, options);
}

/** Jobs on the intake and ingest queues (requests sent one at a time go straight to ingest jobs). */
async function jobCount(): Promise<number> {
  const states = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;
  const counts = await Promise.all([gw.snowgate.partitions[0].intake, gw.snowgate.partitions[0].ingest].map((q) => q.getJobCounts(...states)));
  return counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
}

/** A valid body of a record nobody has posted yet (so it must be queued, not deduplicated). */
function freshBody(table: CoreTable, payload: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ ...payload, sys_id: crypto.randomBytes(16).toString('hex') }));
}

const STATUS: Record<Exclude<Verdict, 'accept'>, number> = { payload_too_large: 413, invalid_json: 400, invalid_payload: 400 };

/** The contract's error shape: `{"error": {"code": snake_case, "message": text, "details"?: [...]}}`. */
function expectErrorShape(answer: Answer, status: number, code?: string): void {
  expect({ status: answer.status, text: answer.text.slice(0, 300) }).toMatchObject({ status });
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = answer.json as { error?: { code?: unknown; message?: unknown; details?: unknown } };
  expect(body?.error).toEqual(expect.objectContaining({ code: expect.stringMatching(/^[a-z][a-z0-9_]*$/), message: expect.any(String) }));
  if (body.error?.details !== undefined) expect(Array.isArray(body.error.details)).toBe(true);
  if (code) expect(body.error?.code).toBe(code);
}

/** Checks an answer to a correctly signed body against the oracle, and that a job was queued exactly when it said 202. */
async function expectVerdict(table: string, body: Buffer, answer: Answer, jobsBefore: number): Promise<void> {
  const verdict = verdictFor(table, body, limit);
  expect(answer.status).toBeLessThan(500);
  if (verdict === 'accept') {
    if (answer.status !== 200 && answer.status !== 202) throw new Error(`a valid payload got ${answer.status}: ${answer.text.slice(0, 300)}`);
    expect(answer.json).toEqual({ id: expect.any(String), status: answer.status === 202 ? 'queued' : 'duplicate' });
  } else {
    expectErrorShape(answer, STATUS[verdict], verdict);
  }
  expect(await jobCount()).toBe(jobsBefore + (answer.status === 202 ? 1 : 0));
  if (answer.status === 202) {
    const change = await gw.acceptedChange((answer.json as { id: string }).id);
    const payload = JSON.parse(body.toString('utf8')) as { sys_id: string };
    expect(change).toMatchObject({ instanceId: INSTANCE, table, sysId: payload.sys_id, source: 'webhook' });
  }
}

describe('webhook fuzz: whatever arrives, never a 5xx, a crash, a hang, or a job for a rejected request', () => {
  it('any body, correctly signed: 202/200 only for a valid payload, else 400/413 in the error shape, and a job only on 202', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async ({ table, bytes }) => {
        const before = await jobCount();
        const answer = await send(table, bytes, signedRawHeaders(secret, nextId(), bytes));
        await expectVerdict(table, bytes, answer, before);
      }),
      { numRuns: 1500 },
    );
  }, 120_000);

  it('bodies near and over the body limit (sent with Content-Length or chunked): 413 above it, judged by the schema below it', async () => {
    const padding = fc.constantFrom('a', 'é', '€', '😀', '\\u0000');
    const shapes = fc.oneof(
      fc.record({ shape: fc.constant('padded' as const), delta: fc.oneof(fc.integer({ min: -64, max: 64 }), fc.integer({ min: -200_000, max: 2 * 1024 * 1024 })), unit: padding }),
      fc.record({ shape: fc.constantFrom('one-string' as const, 'deep-array' as const, 'many-keys' as const), delta: fc.integer({ min: -4096, max: 4096 }), unit: padding }),
    );
    type Example = [{ table: CoreTable; payload: Record<string, unknown> }, { shape: 'padded' | 'one-string' | 'deep-array' | 'many-keys'; delta: number; unit: string }, boolean];
    const boundaryCase = { table: 'sn_customerservice_case' as const, payload: JSON.parse(freshBody('sn_customerservice_case', { table: 'sn_customerservice_case', sys_id: '', operation: 'update', sys_updated_on: '2026-11-22 10:00:00', sys_mod_count: '1', record: { number: 'CS0001001' } }).toString()) };
    let exactFits = 0;
    let justOver = 0;
    await fc.assert(
      fc.asyncProperty(tableAndPayload, shapes, fc.boolean(), async ({ table, payload }, { shape, delta, unit }, chunked) => {
        const bytes = sizedBody(freshBody(table, payload), shape, limit + delta, unit);
        const before = await jobCount();
        const answer = await send(table, bytes, signedRawHeaders(secret, nextId(), bytes), { chunked });
        const verdict = verdictFor(table, bytes, limit);
        await expectVerdict(table, bytes, answer, before);
        if (bytes.length === limit && verdict === 'accept') exactFits += 1;
        if (bytes.length === limit + 1) justOver += 1;
      }),
      // the boundary itself, both framings: a valid body of exactly the limit is queued, one byte more is 413
      { numRuns: 40, examples: [0, 1].flatMap((delta) => [false, true].map((chunked) => [boundaryCase, { shape: 'padded' as const, delta, unit: 'a' }, chunked] as Example)) },
    );
    expect(Math.min(exactFits, justOver)).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('content types: a JSON type is accepted, any other type (or none, or a compressed body) gets 415 and no job', async () => {
    const jsonBase = fc.mixedCase(fc.constantFrom('application/json', 'application/vnd.api+json', 'application/cloudevents+json', 'application/merge-patch+json', 'application/problem+json'));
    const utf8Params = fc.constantFrom('', '; charset=utf-8', ';charset=UTF-8', '; charset="utf-8"', ' ; charset=utf-8', ';', '; foo=bar');
    const otherCharset = fc.constantFrom('; charset=iso-8859-1', '; charset=utf-16', '; charset=us-ascii', '; charset=utf8', '; charset=');
    const NON_JSON = [
      'text/plain', 'text/html; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml',
      'application/octet-stream', '*/*', 'application/*', '', 'application/', 'json', 'application/jsonp', 'application/json-seq',
      'application/json5', 'application/jsonx', 'application/x-json-stream', 'application/json/extra', 'application/json,text/plain',
      'xapplication/json', 'application /json', 'text/xml; charset=utf-8', 'image/png', 'application/javascript', 'application/jsonl',
    ];
    const nonJson = fc.oneof(
      fc.constantFrom(...NON_JSON),
      fc.stringMatching(/^[a-z]{1,12}\/[a-z0-9.+-]{1,16}$/).filter((t) => !/json/i.test(t)),
      fc.string({ unit: 'binary-ascii', maxLength: 40 }).filter((t) => /^[\t\x20-\x7e]*$/.test(t) && !/json/i.test(t)),
    );
    const kind = fc.oneof(
      fc.tuple(jsonBase, utf8Params).map(([t, p]) => ({ type: t + p as string | undefined, encoding: undefined as string | undefined, expect: 'accept' })),
      fc.tuple(jsonBase, otherCharset).map(([t, p]) => ({ type: t + p as string | undefined, encoding: undefined as string | undefined, expect: 'accept-or-415' })),
      nonJson.map((t) => ({ type: t as string | undefined, encoding: undefined as string | undefined, expect: '415' })),
      fc.constant({ type: undefined as string | undefined, encoding: undefined as string | undefined, expect: '415' }),
      fc.constantFrom('gzip', 'deflate', 'br', 'GZIP', 'x-custom', 'gzip, identity').map((e) => ({ type: 'application/json' as string | undefined, encoding: e as string | undefined, expect: '415' })),
      fc.constant({ type: 'application/json' as string | undefined, encoding: 'identity' as string | undefined, expect: 'accept' }),
    );
    await fc.assert(
      fc.asyncProperty(tableAndPayload, kind, async ({ table, payload }, { type, encoding, expect: expected }) => {
        const body = freshBody(table, payload);
        const { 'content-type': _json, ...headers } = signedRawHeaders(secret, nextId(), body);
        const before = await jobCount();
        const answer = await send(table, body, { ...headers, ...(type === undefined ? {} : { 'content-type': type }), ...(encoding ? { 'content-encoding': encoding } : {}) });
        const accepted = isValidPayload(table, JSON.parse(body.toString())) ? [202] : [400];
        const allowed = expected === 'accept' ? accepted : expected === '415' ? [415] : [...accepted, 415];
        if (!allowed.includes(answer.status)) throw new Error(`content-type ${JSON.stringify(type)}, encoding ${encoding}: ${answer.status}, expected one of ${allowed}`);
        if (answer.status >= 400) expectErrorShape(answer, answer.status, answer.status === 415 ? 'unsupported_media_type' : undefined);
        expect(await jobCount()).toBe(before + (answer.status === 202 ? 1 : 0));
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('forged, stale, future, malformed or missing signatures: 401 invalid_signature, no job, and the change is still accepted once signed', async () => {
    await fc.assert(
      fc.asyncProperty(tableAndPayload, forgery, async ({ table, payload }, forge) => {
        const body = freshBody(table, payload);
        const id = nextId();
        const headers = forge.headers(body, id, Math.floor(Date.now() / 1000));
        const before = await jobCount();
        const forged = await send(table, body, headers);
        expectErrorShape(forged, 401, 'invalid_signature');
        expect(await jobCount()).toBe(before);
        // the refused request left no trace: the same change, correctly signed, is new
        const genuine = await send(table, body, signedRawHeaders(secret, nextId(), body));
        await expectVerdict(table, body, genuine, before);
        if (verdictFor(table, body, limit) === 'accept') expect(genuine.status).toBe(202);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('replay: the same signed request twice is 202 then 200 duplicate with the same id, and one job', async () => {
    await fc.assert(
      fc.asyncProperty(tableAndPayload, fc.boolean(), async ({ table, payload }, resign) => {
        const body = freshBody(table, payload);
        fc.pre(verdictFor(table, body, limit) === 'accept');
        const headers = signedRawHeaders(secret, nextId(), body);
        const before = await jobCount();
        const first = await send(table, body, headers);
        // a replay under a new webhook-id is the same change too (ServiceNow retries, webhook + poll overlap)
        const second = await send(table, body, resign ? signedRawHeaders(secret, nextId(), body) : headers);
        expect([first.status, second.status]).toEqual([202, 200]);
        expect(second.json).toEqual({ id: (first.json as { id: string }).id, status: 'duplicate' });
        expect(await jobCount()).toBe(before + 1);
        expect(await gw.acceptedChange((first.json as { id: string }).id)).toBeDefined();
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('unknown, hostile or badly encoded instance and table segments: 4xx in the error shape, no job', async () => {
    const segment = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '%', '%zz', '%E0%A4%A', '%00', '%2F', '..', '%2e%2e', 'FUZZ', INSTANCE, ...CORE_TABLES),
    );
    await fc.assert(
      fc.asyncProperty(segment, segment, tableAndPayload, async (instanceId, table, { payload }) => {
        fc.pre(!(instanceId === INSTANCE && (CORE_TABLES as readonly string[]).includes(table)));
        const body = freshBody('sn_customerservice_case', payload);
        const before = await jobCount();
        requests += 1;
        const answer = await post(`${gw.url}/webhooks/${instanceId}/${table}`, body, signedRawHeaders(secret, nextId(), body));
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expectErrorShape(answer, answer.status);
        expect(answer.status).toBeLessThan(500);
        expect(await jobCount()).toBe(before);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('raw sockets — header injection, CL+TE, duplicate Content-Length, broken chunking, oversized headers: 4xx or a close, never a smuggled job', async () => {
    const ctx: RawContext = {
      path: pathOf('sn_customerservice_case'),
      host: `127.0.0.1:${port}`,
      signedWebhook: () => {
        const body = Buffer.from(
          JSON.stringify({
            table: 'sn_customerservice_case', sys_id: crypto.randomBytes(16).toString('hex'), operation: 'update',
            sys_updated_on: '2026-11-22 10:00:00', sys_mod_count: '1', record: { number: 'CS0001001', short_description: 'smuggled?' },
          }),
        );
        return { body, headers: signedRawHeaders(secret, nextId(), body) };
      },
    };
    await fc.assert(
      fc.asyncProperty(rawCase(ctx), async ({ kind, bytes, mustRefuse }) => {
        const before = await jobCount();
        requests += 1;
        const exchange = await rawExchange(port, bytes);
        const finals = exchange.statuses.filter((s) => s >= 200);
        const accepted = finals.filter((s) => s === 202).length;
        const problem = finals.some((s) => s >= 500)
          ? 'a 5xx'
          : !exchange.closedByServer && finals.length === 0
            ? 'no answer and no close' // a connection left hanging with nothing said
            : mustRefuse && finals.some((s) => s < 300)
              ? 'a 2xx for an ambiguous or broken request'
              : undefined;
        if (problem) throw new Error(`${kind}: ${problem}; statuses ${exchange.statuses}; got ${JSON.stringify(exchange.raw.slice(0, 400))}`);
        expect(await jobCount()).toBe(before + accepted);
        requests += 1;
        expect(await getStatus(`${gw.url}/healthz`)).toBe(200);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('after all of it: no prototype was polluted, and the gateway still queues a valid signed webhook', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.create(outerObjectPrototype).polluted).toBeUndefined();
    expect([Object.prototype, outerObjectPrototype, Array.prototype].map((p) => Reflect.ownKeys(p).map(String).sort())).toEqual(prototypeKeysBefore);
    const [{ table, payload }] = fc.sample(tableAndPayload.filter(({ table: t, payload: p }) => isValidPayload(t, p)), 1);
    const body = freshBody(table, payload);
    const answer = await send(table, body, signedRawHeaders(secret, nextId(), body));
    expect(answer.status).toBe(202);
    expect(await gw.acceptedChange((answer.json as { id: string }).id)).toBeDefined();
    expect(await getStatus(`${gw.url}/healthz`)).toBe(200);
  });
});

/** Stretches a valid body to about `target` bytes: padding fields, one long string, a deep array or many keys. */
function sizedBody(valid: Buffer, shape: 'padded' | 'one-string' | 'deep-array' | 'many-keys', target: number, unit: string): Buffer {
  const payload = JSON.parse(valid.toString()) as { record: Record<string, string> };
  const unitBytes = Buffer.byteLength(unit); // the unit is JSON text: an escape counts as written
  const room = Math.max(0, target - valid.length);
  if (shape === 'deep-array') {
    const depth = Math.max(1, Math.floor(room / 2));
    payload.record.nested = '@@';
    return Buffer.from(JSON.stringify(payload).replace('"@@"', '['.repeat(depth) + ']'.repeat(depth)));
  }
  if (shape === 'many-keys') {
    const count = Math.max(1, Math.floor(room / 16));
    for (let i = 0; i < count; i++) payload.record[`k${i.toString(36).padStart(8, '0')}`] = 'v';
    return Buffer.from(JSON.stringify(payload));
  }
  const fields = shape === 'one-string' ? 1 : 5;
  const overhead = fields * 12; // `,"x_padN":""`
  const perField = Math.max(0, Math.floor((room - overhead) / fields / unitBytes));
  const text = JSON.stringify(payload);
  const pads = Array.from({ length: fields }, (_, i) => `,"x_pad${i}":"${unit.repeat(perField)}"`).join('');
  const body = text.slice(0, text.indexOf('"record":{') + '"record":{'.length) + pads.slice(1) + (Object.keys(payload.record).length ? ',' : '') + text.slice(text.indexOf('"record":{') + '"record":{'.length);
  const exact = Buffer.from(body);
  // top up with spaces (still JSON) to land exactly on the target when the padding unit allowed it
  return exact.length < target && target - exact.length < 64 ? Buffer.concat([exact, Buffer.alloc(target - exact.length, 0x20)]) : exact;
}

/** Ways to get the signature headers wrong, each a function of the body, the webhook-id and the current time. */
interface Forgery {
  name: string;
  headers(body: Buffer, id: string, now: number): Record<string, string>;
}

const base = (id: string, ts: number | string, signature: string): Record<string, string> => ({
  'content-type': 'application/json',
  'webhook-id': id,
  'webhook-timestamp': String(ts),
  'webhook-signature': signature,
});
const v1 = (s: string, id: string, ts: number | string, body: Buffer) => `v1,${signBytes(s, id, String(ts), body)}`;

const forgery: fc.Arbitrary<Forgery> = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b): Forgery => ({ name: 'random base64', headers: (_b, id, now) => base(id, now, `v1,${Buffer.from(b).toString('base64')}`) })),
  fc.constant<Forgery>({ name: 'wrong secret', headers: (body, id, now) => base(id, now, v1(otherSecret, id, now, body)) }),
  fc.constant<Forgery>({ name: 'secret used as the key verbatim', headers: (body, id, now) => base(id, now, `v1,${crypto.createHmac('sha256', secret).update(`${id}.${now}.`).update(body).digest('base64')}`) }),
  fc.string({ minLength: 1, maxLength: 50 }).map((other): Forgery => ({ name: 'signed over another body', headers: (body, id, now) => base(id, now, v1(secret, id, now, Buffer.concat([body, Buffer.from(other)]))) })),
  fc.constant<Forgery>({ name: 'signed for another webhook-id', headers: (body, id, now) => base(id, now, v1(secret, `${id}-other`, now, body)) }),
  fc.nat({ max: 46 }).map((keep): Forgery => ({ name: `truncated to ${keep}`, headers: (body, id, now) => base(id, now, v1(secret, id, now, body).slice(0, keep)) })),
  fc.tuple(fc.constantFrom('no padding', 'extra padding', 'stray character', 'base64url', 'tab inside'), fc.nat({ max: 43 })).map(([how, at]): Forgery => ({
    name: `right MAC, non-canonical base64 (${how})`,
    headers: (body, id, now) => {
      const b64 = v1(secret, id, now, body).slice(3);
      const variants: Record<string, string> = {
        'no padding': b64.replace(/=+$/, ''),
        'extra padding': `${b64}==`,
        'stray character': `${b64.slice(0, at)}*${b64.slice(at)}`,
        base64url: b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
        'tab inside': `${b64.slice(0, at)}\t${b64.slice(at)}`,
      };
      return base(id, now, `v1,${variants[how]}`);
    },
  })),
  fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }).map((sigs): Forgery => ({
    name: 'several bogus v1 entries',
    headers: (_b, id, now) => base(id, now, sigs.map((s) => `v1,${Buffer.from(s).toString('base64')}`).join(' ')),
  })),
  fc.constantFrom('v2,', 'V1,', 'v0,', 'v1a,', 'v1:', '', 'v1;', 'v1=', 'v1, ').map((prefix): Forgery => ({
    name: `other version "${prefix}"`,
    headers: (body, id, now) => base(id, now, prefix + v1(secret, id, now, body).slice(3)),
  })),
  fc.integer({ min: 310, max: 10 ** 9 }).map((age): Forgery => ({ name: `stale by ${age}s`, headers: (body, id, now) => base(id, now - age, v1(secret, id, now - age, body)) })),
  fc.integer({ min: 310, max: 10 ** 9 }).map((ahead): Forgery => ({ name: `future by ${ahead}s`, headers: (body, id, now) => base(id, now + ahead, v1(secret, id, now + ahead, body)) })),
  fc
    .oneof(
      fc.constantFrom('abc', '1e9', '-5', '+1700000000', '1700000000.5', '0x6553f100', 'NaN', 'Infinity', '17000000000000', '1 700000000', '\xb9\xb2'),
      fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 14 }).filter((t) => /^[\x21-\x7e]+$/.test(t) && !/^\d+$/.test(t)),
    )
    .map((ts): Forgery => ({ name: `timestamp "${ts}"`, headers: (body, id) => base(id, ts, v1(secret, id, ts, body)) })),
  fc.subarray(['webhook-id', 'webhook-timestamp', 'webhook-signature'], { minLength: 1 }).chain((drop) =>
    fc.boolean().map((empty): Forgery => ({
      name: `${empty ? 'empty' : 'missing'} ${drop.join(', ')}`,
      headers: (body, id, now) => {
        const h = base(id, now, v1(secret, id, now, body));
        for (const k of drop) {
          if (empty) h[k] = '';
          else delete h[k];
        }
        return h;
      },
    })),
  ),
  fc.constantFrom('Bearer whatever', `Bearer ${secret}`, 'Basic YWRtaW46YWRtaW4=').map((auth): Forgery => ({
    name: `authorization "${auth}" and no signature`,
    headers: () => ({ 'content-type': 'application/json', authorization: auth }),
  })),
);
