/**
 * Parses an RFC 8288 `Link` header as ServiceNow sends it
 * (`<url>;rel="first",<url>;rel="next",…`, joined by `,` with or without spaces) into rel → URL.
 */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  const re = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2])?.[1];
    if (rel) for (const name of rel.trim().split(/\s+/)) links[name.toLowerCase()] = m[1];
  }
  return links;
}
