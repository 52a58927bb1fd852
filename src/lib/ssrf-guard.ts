import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { classifyAddress, type BlockedRange } from './address-class';

export type { BlockedRange } from './address-class';

/** One address a host resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** An outbound target was refused: every resolved address is listed with the range that blocked it. */
export class SsrfBlockedError extends Error {
  readonly reason = 'ssrf_blocked';
  /** An errno-style code, so the refusal reads like any other connection error where one is expected. */
  readonly code = 'ESSRFBLOCKED';
  constructor(public readonly host: string, public readonly blocked: Array<{ address: string; range: BlockedRange }>) {
    super(`host ${host} is not a public address (${[...new Set(blocked.map((b) => b.range))].join(', ')})`);
    this.name = 'SsrfBlockedError';
  }
}

/**
 * Whether an error is (or was caused by) an SSRF refusal: fetch reports a refused connection as a TypeError
 * whose cause is the refusal. Judged by name too, because Node's fetch re-wraps an error made in another
 * realm (a test runner's vm context) as `new Error(String(err))`, which keeps only `SsrfBlockedError: …`.
 */
export function isSsrfRefusal(err: unknown): boolean {
  return [err, (err as { cause?: unknown } | undefined)?.cause].some((e) => {
    const candidate = e as { name?: unknown; message?: unknown } | undefined;
    return e instanceof SsrfBlockedError || candidate?.name === 'SsrfBlockedError' || /^SsrfBlockedError: /.test(String(candidate?.message ?? ''));
  });
}

/** How a host name becomes addresses; `dns.lookup` with `all: true` by default (tests may swap it). */
export type HostResolver = (host: string) => Promise<ResolvedAddress[]>;

/** Resolves a host with the system resolver (the same one an HTTP client would use), all addresses. */
export const systemResolver: HostResolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** `[::1]` → `::1`: URL hostnames keep IPv6 brackets, sockets do not. */
const unbracket = (host: string) => host.replace(/^\[|\]$/g, '');

/**
 * Refuses an IP-literal host that is not public (a socket connects to a literal without any lookup, so
 * {@link guardedLookup} never sees it). Host names pass: they are judged when they are resolved.
 */
export function vetLiteralHost(host: string, allowPrivateTargets: boolean): void {
  const bare = unbracket(host);
  if (allowPrivateTargets || !net.isIP(bare)) return;
  const range = classifyAddress(bare);
  if (range) throw new SsrfBlockedError(bare, [{ address: bare, range }]);
}

/**
 * Resolves a host (an IP literal is taken as is) and refuses it — {@link SsrfBlockedError} — when any of its
 * addresses is non-public, unless `allowPrivateTargets`. Returns the addresses to connect to, so the caller
 * can pin them and a second DNS answer (rebinding) cannot swap in a private address.
 */
export async function resolveTarget(host: string, allowPrivateTargets: boolean, resolve: HostResolver = systemResolver): Promise<ResolvedAddress[]> {
  const bare = unbracket(host);
  const addresses: ResolvedAddress[] = net.isIP(bare) ? [{ address: bare, family: net.isIPv6(bare) ? 6 : 4 }] : await resolve(bare);
  if (addresses.length === 0) throw Object.assign(new Error(`host ${host} did not resolve`), { code: 'ENOTFOUND' });
  if (allowPrivateTargets) return addresses;
  const blocked = addresses
    .map((a) => ({ address: a.address, range: classifyAddress(a.address) }))
    .filter((b): b is { address: string; range: BlockedRange } => b.range !== null);
  if (blocked.length > 0) throw new SsrfBlockedError(bare, blocked);
  return addresses;
}

/**
 * A socket `lookup` that resolves through {@link resolveTarget}: the addresses a connection is made to are
 * the ones just vetted, at connect time, so DNS rebinding cannot slip a private address in. For HTTP agents
 * (`new http.Agent({ lookup })`) and undici (`connect: { lookup }`); pair it with {@link vetLiteralHost}.
 */
export function guardedLookup(allowPrivateTargets = false, resolve: HostResolver = systemResolver): LookupFunction {
  return ((host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolveTarget(host, allowPrivateTargets, resolve).then(
      (addresses) => (options?.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family)),
      (err: Error) => callback(err),
    );
  }) as unknown as LookupFunction;
}
