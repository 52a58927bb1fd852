/**
 * One line of a plain-ANSI progress bar, meant to be rewritten in place with `\r`:
 * `[#####-----] 512/1000 cases`. Without a total it shows the count only.
 */
export function renderProgress(done: number, total: number | undefined, label: string, width = 30): string {
  if (total === undefined || total <= 0) return `\r[${'?'.repeat(width)}] ${done} ${label}\x1b[K`;
  const filled = Math.min(width, Math.floor((Math.min(done, total) / total) * width));
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}\x1b[K`;
}
