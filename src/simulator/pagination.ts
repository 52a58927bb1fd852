import type { Request, Response } from 'express';
import { absolutePath } from './request-context';

/** One page of a list request. */
export interface PageRequest {
  limit: number;
  offset: number;
}

function nonNegativeInt(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/** Reads `sysparm_limit` (positive, else `defaultLimit`) and `sysparm_offset` (never negative, default 0). */
export function parsePaging(params: URLSearchParams, defaultLimit: number): PageRequest {
  const limit = nonNegativeInt(params.get('sysparm_limit'));
  return { limit: limit && limit > 0 ? limit : defaultLimit, offset: nonNegativeInt(params.get('sysparm_offset')) ?? 0 };
}

function pageUrl(base: string, echoed: string, offset: number, limit: number): string {
  return `<${base}?${echoed}${echoed ? '&' : ''}sysparm_offset=${offset}&sysparm_limit=${limit}>`;
}

/**
 * The `Link` header of a list response: absolute URLs echoing every original parameter with
 * `sysparm_offset` / `sysparm_limit` set, `rel="first|prev|next|last"` joined by "," with no space.
 * `prev`/`next` only when they exist; undefined (no header) when everything fits on one page.
 * With `total` unknown (sysparm_no_count), `next` is given when the page came back full and `last` is left out.
 */
export function linkHeader(
  absolutePath: string,
  params: URLSearchParams,
  page: PageRequest,
  total: number | undefined,
  returned: number,
): string | undefined {
  const echoed = [...params.entries()]
    .filter(([k]) => k !== 'sysparm_offset' && k !== 'sysparm_limit')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const { limit, offset } = page;
  const hasNext = total === undefined ? returned >= limit : offset + limit < total;
  if (offset === 0 && !hasNext) return undefined;
  const links = [`${pageUrl(absolutePath, echoed, 0, limit)};rel="first"`];
  if (offset > 0) links.push(`${pageUrl(absolutePath, echoed, Math.max(0, offset - limit), limit)};rel="prev"`);
  if (hasNext) links.push(`${pageUrl(absolutePath, echoed, offset + limit, limit)};rel="next"`);
  if (total !== undefined) {
    const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
    links.push(`${pageUrl(absolutePath, echoed, last, limit)};rel="last"`);
  }
  return links.join(',');
}

/**
 * Sends one page of `items` as the Case API does: `{"result": wrap(page)}`, with X-Total-Count and Link
 * only "when sysparm_limit or sysparm_offset are specified".
 */
export function sendCasePage<T>(req: Request, res: Response, params: URLSearchParams, items: T[], wrap: (page: T[]) => unknown): void {
  const paging = parsePaging(params, 10_000);
  const page = items.slice(paging.offset, paging.offset + paging.limit);
  if (params.has('sysparm_limit') || params.has('sysparm_offset')) {
    res.set('X-Total-Count', String(items.length));
    const link = linkHeader(absolutePath(req), params, paging, items.length, page.length);
    if (link) res.set('Link', link);
  }
  res.json({ result: wrap(page) });
}
