const GLIDE_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/**
 * Converts a ServiceNow date-time (`yyyy-MM-dd HH:mm:ss`, UTC) into RFC 3339 UTC as the CloudEvents SDK
 * writes it (`yyyy-MM-ddTHH:mm:ss.000Z`). Returns undefined when the value is not in that form or not a real date.
 */
export function glideToRfc3339(value: string | undefined): string | undefined {
  const match = value ? GLIDE_DATE_TIME.exec(value.trim()) : null;
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}T${match[2]}Z`);
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  return iso.startsWith(`${match[1]}T${match[2]}`) ? iso : undefined; // 2026-02-30 would roll over to March
}
