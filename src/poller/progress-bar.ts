/**
 * One line of a plain-ANSI progress bar, meant to be rewritten in place with `\r`:
 * `[#####-----] 512/1000 cases`. Without a total (ServiceNow sent no X-Total-Count) it shows the count only, no bar.
 */
export function renderProgress(done: number, total: number | undefined, label: string, width = 30): string {
  if (total === undefined) return `\r${done} ${label} (total unknown)\x1b[K`;
  const filled = total <= 0 ? width : Math.min(width, Math.floor((Math.min(done, total) / total) * width));
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}\x1b[K`;
}
