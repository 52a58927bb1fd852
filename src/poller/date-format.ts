import { AppError } from '../lib/errors';

/** ServiceNow's wire format of date-times (`sys_updated_on`), always UTC in DB values. */
export const GLIDE_DATE_FORMAT = 'yyyy-MM-dd HH:mm:ss';

type Token = { field: 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S'; width: number } | { literal: string };

interface WallTime {
  y: number;
  M: number;
  d: number;
  H: number;
  m: number;
  s: number;
  S: number;
}

const FIELDS = new Set(['y', 'M', 'd', 'H', 'm', 's', 'S']);
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Splits a Java-style pattern (`yyyy-MM-dd'T'HH:mm:ss.SSS`) into fields and literals. */
function tokenize(format: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i];
    if (c === "'") {
      const end = format.indexOf("'", i + 1);
      const text = end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
      tokens.push({ literal: text === '' ? "'" : text });
      i = end < 0 ? format.length : end + 1;
    } else if (FIELDS.has(c)) {
      let j = i;
      while (format[j] === c) j++;
      tokens.push({ field: c as 'y', width: j - i });
      i = j;
    } else if (/[A-Za-z]/.test(c)) {
      throw new AppError('invalid_date_format', `Unsupported letter "${c}" in date format "${format}" (use yyyy MM dd HH mm ss SSS and 'quoted' literals)`, 400);
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

/** Java's three-letter zone ids (ZoneId.SHORT_IDS) that Cloud Elements configurations use, e.g. "PST". */
const JAVA_SHORT_IDS: Readonly<Record<string, string>> = {
  PST: 'America/Los_Angeles', MST: 'America/Denver', CST: 'America/Chicago', EST: 'America/New_York', AST: 'America/Anchorage',
  HST: 'Pacific/Honolulu', ECT: 'Europe/Paris', IST: 'Asia/Kolkata', JST: 'Asia/Tokyo', CTT: 'Asia/Shanghai', AET: 'Australia/Sydney',
};

/** Normalizes `GMT` / `UTC` / `Z`, reads Java's short ids (`PST`), and checks an IANA zone; throws 400 `invalid_time_zone`. */
export function normalizeTimeZone(zone: string | undefined): string {
  const given = (zone ?? 'GMT').trim();
  const z = JAVA_SHORT_IDS[given.toUpperCase()] ?? given;
  if (z === '' || /^(gmt|utc|z)$/i.test(z)) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
  } catch {
    throw new AppError('invalid_time_zone', `Unknown time zone "${z}" (use an IANA name such as Europe/Berlin, or GMT)`, 400);
  }
  return z;
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone. */
function wallTime(ms: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year, M: parts.month, d: parts.day, H: parts.hour % 24, m: parts.minute, s: parts.second, S: ((ms % 1000) + 1000) % 1000 };
}

/** Offset of a zone from UTC at an instant, in ms (Europe/Berlin in winter: +3,600,000). */
function zoneOffset(ms: number, zone: string): number {
  const w = wallTime(ms, zone);
  return Date.UTC(w.y, w.M - 1, w.d, w.H, w.m, w.s, w.S) - ms;
}

/** Formats an instant with a Java-style pattern in a time zone (default GMT). */
export function formatDate(date: Date, format: string = GLIDE_DATE_FORMAT, timeZone?: string): string {
  const w = wallTime(date.getTime(), normalizeTimeZone(timeZone));
  return tokenize(format)
    .map((t) => {
      if ('literal' in t) return t.literal;
      const value = t.field === 'y' && t.width === 2 ? w.y % 100 : w[t.field];
      return String(value).padStart(t.width, '0');
    })
    .join('');
}

/**
 * Parses a date-time written with a Java-style pattern as wall time in `timeZone` (default GMT).
 * Undefined when the text does not match the pattern.
 */
export function parseDate(text: string, format: string = GLIDE_DATE_FORMAT, timeZone?: string): Date | undefined {
  const zone = normalizeTimeZone(timeZone);
  const tokens = tokenize(format);
  const order: Array<'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S'> = [];
  const pattern = tokens
    .map((t) => {
      if ('literal' in t) return t.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      order.push(t.field);
      return t.field === 'y' && t.width !== 2 ? '(\\d{4})' : t.width === 1 ? '(\\d{1,2})' : `(\\d{${t.width}})`;
    })
    .join('');
  const m = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!m) return undefined;
  const w: WallTime = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  order.forEach((f, i) => (w[f] = Number(m[i + 1])));
  if (tokens.some((t) => 'field' in t && t.field === 'y' && t.width === 2)) w.y += 2000;
  const asUtc = Date.UTC(w.y, w.M - 1, w.d, w.H, w.m, w.s, w.S);
  // The offset at the guessed instant, then once more at the corrected one (DST transitions).
  let ms = asUtc - zoneOffset(asUtc, zone);
  ms = asUtc - zoneOffset(ms, zone);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Whether a pattern resolves to the second (keyset paging on it is exact). */
export function hasSecondPrecision(format: string): boolean {
  return tokenize(format).some((t) => 'field' in t && t.field === 's');
}
