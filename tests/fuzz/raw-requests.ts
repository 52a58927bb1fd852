import fc from 'fast-check';
import { printable } from './printable';

/** A hand-made HTTP/1.1 request, and whether the gateway must refuse every request on that connection. */
export interface RawCase {
  kind: string;
  bytes: Buffer;
  /** Framing is ambiguous or broken: no 2xx may come back at all (a 2xx would mean a request was smuggled). */
  mustRefuse: boolean;
}

type HeaderLine = [string, string];

/** What a raw case needs from the test: where to post, and fresh valid signed webhooks to hide in requests. */
export interface RawContext {
  path: string;
  host: string;
  /** A new valid body (unique record, so it would be queued) with its correctly signed headers. */
  signedWebhook(): { body: Buffer; headers: Record<string, string> };
}

const CRLF = '\r\n';

function request(path: string, headers: HeaderLine[], body: Buffer | string, requestLine = `POST ${path} HTTP/1.1`): Buffer {
  const head = [requestLine, ...headers.map(([k, v]) => `${k}: ${v}`)].join(CRLF) + CRLF + CRLF;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
}

/** A complete, correctly signed webhook request that closes its connection; what smuggling attempts hide. */
function innerRequest(ctx: RawContext): Buffer {
  const { body, headers } = ctx.signedWebhook();
  return request(ctx.path, [['Host', ctx.host], ['Connection', 'close'], ...Object.entries(headers), ['Content-Length', String(body.length)]], body);
}

const chunked = (body: Buffer) => Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);

const INJECTIONS = [
  '\r', '\n', '\r\n', '\0', '\x7f', '\x01', '\x0b', '\x0c',
  '\r\nContent-Length: 0', '\r\nContent-Length: 5', '\r\nTransfer-Encoding: chunked', '\r\nWebhook-Id: injected',
  '\r\n\r\n', '\r\n folded', '\n\n', '\r\r', '\r\nX-Injected : 1', '\r\n: empty-name', '\r\nBad Name: 1',
];
const INJECTABLE = ['webhook-id', 'webhook-signature', 'webhook-timestamp', 'content-type', 'x-request-id', 'x-custom'];

/** A valid signed webhook whose one header value carries CR, LF, NUL or a whole injected header or request. */
const headerInjection = (ctx: RawContext) =>
  fc
    .tuple(fc.constantFrom(...INJECTABLE), fc.oneof(fc.constantFrom(...INJECTIONS), fc.constant('smuggle')), fc.constantFrom('prefix', 'middle', 'suffix'))
    .map(([target, injection, where]): RawCase => {
      const { body, headers } = ctx.signedWebhook();
      const payload = injection === 'smuggle' ? `\r\n\r\n${innerRequest(ctx).toString('latin1')}` : injection;
      const lines: HeaderLine[] = [['Host', ctx.host], ['Connection', 'close'], ...Object.entries(headers), ['X-Request-Id', 'fuzz-1'], ['X-Custom', 'value'], ['Content-Length', String(body.length)]];
      const line = lines.find(([k]) => k.toLowerCase() === target)!;
      const v = line[1];
      line[1] = where === 'prefix' ? payload + v : where === 'suffix' ? v + payload : v.slice(0, v.length >> 1) + payload + v.slice(v.length >> 1);
      return { kind: `inject:${target}:${JSON.stringify(injection)}:${where}`, bytes: request(ctx.path, lines, body), mustRefuse: false };
    });

const TE_VALUES = ['chunked', 'Chunked', ' chunked', 'chunked ', 'identity', 'gzip, chunked', 'chunked, identity', 'x-chunked', 'chunked\t'];

/** Content-Length and Transfer-Encoding together, each framing hiding a valid signed request for the other. */
const clAndTe = (ctx: RawContext) =>
  fc.tuple(fc.constantFrom(...TE_VALUES), fc.boolean(), fc.constantFrom('te-first', 'cl-first')).map(([te, clCoversAll, order]): RawCase => {
    const { body, headers } = ctx.signedWebhook();
    const smuggled = innerRequest(ctx);
    const framedBody = Buffer.concat([chunked(body), smuggled]);
    const cl: HeaderLine = ['Content-Length', String(clCoversAll ? framedBody.length : body.length)];
    const tr: HeaderLine = ['Transfer-Encoding', te];
    const lines: HeaderLine[] = [['Host', ctx.host], ...Object.entries(headers), ...(order === 'te-first' ? [tr, cl] : [cl, tr])];
    return { kind: `cl+te:${te}:${order}:${clCoversAll}`, bytes: request(ctx.path, lines, framedBody), mustRefuse: true };
  });

/** Two Content-Length headers that disagree (or one comma list), or a malformed one. */
const badContentLength = (ctx: RawContext) =>
  fc
    .tuple(fc.constantFrom('two-headers', 'comma-list', 'garbage'), fc.constantFrom('12abc', '-1', '+5', '5 5', '0x10', '99999999999999999999999', '1e3', ' ', ''))
    .map(([shape, garbage]): RawCase => {
      const { body, headers } = ctx.signedWebhook();
      const payload = Buffer.concat([body, innerRequest(ctx)]);
      const clLines: HeaderLine[] =
        shape === 'two-headers' ? [['Content-Length', String(body.length)], ['Content-Length', String(payload.length)]]
        : shape === 'comma-list' ? [['Content-Length', `${body.length}, ${payload.length}`]]
        : [['Content-Length', garbage]];
      return { kind: `cl:${shape}:${garbage}`, bytes: request(ctx.path, [['Host', ctx.host], ['Connection', 'close'], ...Object.entries(headers), ...clLines], payload), mustRefuse: true };
    });

const BAD_CHUNKS = ['zz\r\nabc\r\n', '-1\r\nabc\r\n', '\r\nabc\r\n', '1 1\r\nabc\r\n', 'fffffffffffffffffff\r\nabc\r\n', '3\r\nabcdef\r\n', '3\r\nabc', '3\nabc\n', '0x3\r\nabc\r\n', '3;\x00\r\nabc\r\n'];

/** Chunked bodies with a broken chunk in the middle of a signed body (so the body can never be the signed one). */
const invalidChunked = (ctx: RawContext) =>
  fc.tuple(fc.constantFrom(...BAD_CHUNKS), fc.boolean()).map(([bad, smuggle]): RawCase => {
    const { body, headers } = ctx.signedWebhook();
    const half = body.length >> 1;
    // the last chunk follows the broken one, so the message is complete however leniently it is read: no waiting for more
    const chunks = Buffer.concat([Buffer.from(`${half.toString(16)}\r\n`), body.subarray(0, half), Buffer.from(`\r\n${bad}0\r\n\r\n`), smuggle ? innerRequest(ctx) : Buffer.alloc(0)]);
    const lines: HeaderLine[] = [['Host', ctx.host], ['Connection', 'close'], ...Object.entries(headers), ['Transfer-Encoding', 'chunked']];
    return { kind: `chunked:${JSON.stringify(bad)}:${smuggle}`, bytes: request(ctx.path, lines, chunks), mustRefuse: true };
  });

/** One huge header, or very many headers, past Node's 16 KiB header limit. */
const oversizedHeaders = (ctx: RawContext) =>
  fc.tuple(fc.constantFrom('one-huge', 'many', 'huge-signature'), fc.integer({ min: 17 * 1024, max: 96 * 1024 })).map(([shape, size]): RawCase => {
    const { body, headers } = ctx.signedWebhook();
    const lines: HeaderLine[] = [['Host', ctx.host], ['Connection', 'close'], ...Object.entries(headers), ['Content-Length', String(body.length)]];
    if (shape === 'one-huge') lines.push(['X-Big', 'a'.repeat(size)]);
    else if (shape === 'many') for (let i = 0; i < size / 12; i++) lines.push([`X-H${i}`, 'value']); // ≥ 13 bytes a line
    else lines.find(([k]) => k === 'webhook-signature')![1] += ` v1,${'A'.repeat(size)}`;
    return { kind: `oversized:${shape}:${size}`, bytes: request(ctx.path, lines, body), mustRefuse: true };
  });

const BAD_REQUEST_LINES = (path: string) => [
  `POST ${path} HTTP/1.1 extra`, `POST  ${path} HTTP/1.1`, `post ${path} HTTP/1.1`, `POST ${path} HTTP/9.9`, `POST ${path}`,
  `POST http://evil.example${path} HTTP/1.1`, `POST ${path}\x00 HTTP/1.1`, `POST ${path}/../../healthz HTTP/1.1`, `P\rOST ${path} HTTP/1.1`,
  `POST ${path}?a=%zz HTTP/1.1`, `POST /webhooks/%E0%A4%A/sn_customerservice_case HTTP/1.1`, `POST /webhooks/%/x HTTP/1.1`,
];

/** Malformed request lines and header syntax (space before the colon, no colon, obs-fold, bad names), with a valid signed body. */
const badSyntax = (ctx: RawContext) =>
  fc
    .oneof(
      fc.constantFrom(...BAD_REQUEST_LINES(ctx.path)).map((line) => ({ line, extra: [] as HeaderLine[] })),
      fc.constantFrom<HeaderLine>(['Content-Type ', 'application/json'], ['X-No-Colon', ''], ['X-Fold', 'a\r\n b'], ['X Bad', '1'], ['X-\x01', '1'], ['', 'empty'], ['X-Latin', '\xff\xfe'])
        .map((h) => ({ line: `POST ${ctx.path} HTTP/1.1`, extra: [h] })),
    )
    .map(({ line, extra }): RawCase => {
      const { body, headers } = ctx.signedWebhook();
      const lines: HeaderLine[] = [['Host', ctx.host], ['Connection', 'close'], ...extra, ...Object.entries(headers), ['Content-Length', String(body.length)]];
      const bytes = request(ctx.path, lines, body, line).toString('latin1').replace('X-No-Colon: ', 'X-No-Colon');
      return { kind: `syntax:${JSON.stringify(line)}:${JSON.stringify(extra)}`, bytes: Buffer.from(bytes, 'latin1'), mustRefuse: false };
    });

/** Every raw-socket attack, weighted towards the ones with many variants. */
export function rawCase(ctx: RawContext): fc.Arbitrary<RawCase> {
  return fc.oneof(
    { arbitrary: headerInjection(ctx), weight: 4 },
    { arbitrary: clAndTe(ctx), weight: 2 },
    { arbitrary: badContentLength(ctx), weight: 2 },
    { arbitrary: invalidChunked(ctx), weight: 2 },
    { arbitrary: oversizedHeaders(ctx), weight: 1 },
    { arbitrary: badSyntax(ctx), weight: 2 },
  ).map((c) => printable(c, c.bytes));
}
