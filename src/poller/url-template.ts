import { formatDate, GLIDE_DATE_FORMAT, hasSecondPrecision } from './date-format';

/**
 * One placeholder of a poller URL, as Cloud Elements wrote them: `${gmtDate:FMT}` (the watermark in GMT),
 * `${date:FMT}` (in the resource's zone), FMT a Java SimpleDateFormat pattern and optional; `${epoch}`
 * (milliseconds), `${epoch:s}`, `${epoch:ms}`, `${epoch:us}`.
 */
export type Placeholder = { kind: 'gmtDate' | 'date'; format?: string } | { kind: 'epoch'; unit: 'ms' | 's' | 'us' };

/** A template taken apart: literal text and placeholders, in order. */
export type TemplatePart = string | Placeholder;

/** How `${date}` placeholders are written when the template does not say. */
export interface PlaceholderDefaults {
  /** Java-style pattern for a placeholder without one. Default `yyyy-MM-dd HH:mm:ss`. */
  format?: string;
  /** IANA zone of `${date:…}`. Default GMT. */
  timeZone?: string;
}

const EPOCH_UNITS: Record<string, 'ms' | 's' | 'us'> = { '': 'ms', ms: 'ms', s: 's', us: 'us' };

/** The placeholder written between `${` and `}`, or undefined when it is not one (then it stays text). */
export function readPlaceholder(body: string): Placeholder | undefined {
  const colon = body.indexOf(':');
  const name = colon < 0 ? body : body.slice(0, colon);
  const arg = colon < 0 ? '' : body.slice(colon + 1);
  if (name === 'gmtDate' || name === 'date') return arg === '' ? { kind: name } : { kind: name, format: arg };
  if (name === 'epoch' && arg in EPOCH_UNITS) return { kind: 'epoch', unit: EPOCH_UNITS[arg] };
  return undefined;
}

/**
 * Splits a template into text and placeholders in one pass: each `${` looks for the next `}` (found
 * once and reused until passed), so no input makes it scan the text more than twice — a pattern that
 * re-scanned from every `${` took seconds on a long run of unclosed `${date:`.
 */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let at = 0;
  let close = -1;
  while (at < text.length) {
    const open = text.indexOf('${', at);
    if (open < 0) break;
    if (close <= open + 1) close = text.indexOf('}', open + 2);
    if (close < 0) break; // no `}` anywhere after: nothing further can be a placeholder
    const placeholder = readPlaceholder(text.slice(open + 2, close));
    if (!placeholder) {
      literal += text.slice(at, open + 2);
      at = open + 2;
      continue;
    }
    literal += text.slice(at, open);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(placeholder);
    at = close + 1;
  }
  literal += text.slice(at);
  if (literal !== '') parts.push(literal);
  return parts;
}

/** The text of one placeholder for an instant. */
export function renderPlaceholder(p: Placeholder, watermark: Date, defaults: PlaceholderDefaults = {}): string {
  if (p.kind === 'epoch') {
    const ms = watermark.getTime();
    return String(p.unit === 's' ? Math.floor(ms / 1000) : p.unit === 'us' ? ms * 1000 : ms);
  }
  return formatDate(watermark, p.format || defaults.format || GLIDE_DATE_FORMAT, p.kind === 'gmtDate' ? 'GMT' : defaults.timeZone);
}

/** Writes a placeholder back as template text (`${gmtDate:yyyy-MM-dd HH:mm:ss}`, `${epoch:s}`). */
export function placeholderText(p: Placeholder): string {
  if (p.kind === 'epoch') return p.unit === 'ms' ? '${epoch}' : `\${epoch:${p.unit}}`;
  return p.format === undefined ? `\${${p.kind}}` : `\${${p.kind}:${p.format}}`;
}

/** Replaces every placeholder of `text` with `watermark`, formatted as each asks. */
export function expandPlaceholders(text: string, watermark: Date, defaults: PlaceholderDefaults = {}): string {
  return parseTemplate(text)
    .map((part) => (typeof part === 'string' ? part : renderPlaceholder(part, watermark, defaults)))
    .join('');
}

function placeholders(text: string): Placeholder[] {
  return parseTemplate(text).filter((p): p is Placeholder => typeof p !== 'string');
}

/** Whether the template holds a placeholder at all (else every poll reads the same rows). */
export function hasPlaceholder(text: string): boolean {
  return placeholders(text).length > 0;
}

/** Whether every placeholder resolves to the second, so that restarting a query at a timestamp is exact. */
export function placeholdersHaveSeconds(text: string, defaults: PlaceholderDefaults = {}): boolean {
  const found = placeholders(text);
  return found.length > 0 && found.every((p) => p.kind === 'epoch' || hasSecondPrecision(p.format || defaults.format || GLIDE_DATE_FORMAT));
}
