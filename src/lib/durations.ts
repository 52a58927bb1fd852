const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** `"500ms"`, `"5s"`, `"30m"`, `"2h"`, `"1d"` → milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  return match ? Math.round(Number(match[1]) * UNIT_MS[match[2]]) : undefined;
}

/**
 * A list of durations, as a comma-separated string (`"5s,5m,30m"`) or an array of duration strings, in
 * milliseconds; undefined when any item is not a duration. An empty string or array is an empty list.
 */
export function parseDurationList(value: string | readonly string[]): number[] | undefined {
  const items = typeof value === 'string' ? (value.trim() === '' ? [] : value.split(',')) : value;
  const ms = items.map(parseDuration);
  return ms.every((n): n is number => n !== undefined) ? ms : undefined;
}
