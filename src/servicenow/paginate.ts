import type { ListPage } from './table-query';

/** The next page to ask for: a Link URL to follow, or an offset to set. */
export type NextPage = { url: string } | { offset: number };

/**
 * Decides whether another page exists. Never stops on a short page (ServiceNow applies the limit
 * before ACLs, so a page may hold fewer rows than asked while more exist):
 * - with a Link header, follow `rel="next"`; no `next` means the last page;
 * - else with `X-Total-Count`, go on while `offset + limit < total`;
 * - else (both suppressed) go on until an empty page.
 */
export function nextPage(page: ListPage<unknown>): NextPage | undefined {
  if (page.linked) {
    if (!page.nextUrl) return undefined;
    const nextOffset = Number(new URL(page.nextUrl).searchParams.get('sysparm_offset') ?? NaN);
    // A next link that does not move forward would loop forever.
    if (Number.isFinite(nextOffset) && nextOffset <= page.offset) return undefined;
    return { url: page.nextUrl };
  }
  const step = page.limit ?? page.rows.length;
  if (step <= 0) return undefined;
  if (page.total !== undefined) return page.offset + step < page.total ? { offset: page.offset + step } : undefined;
  return page.rows.length > 0 ? { offset: page.offset + step } : undefined;
}

/**
 * Walks every page from `first`, fetching each next one with `fetchPage`. Stops after `maxPages`
 * pages as a guard against a server that never ends.
 */
export async function* paginate<T>(
  first: ListPage<T>,
  fetchPage: (next: NextPage) => Promise<ListPage<T>>,
  maxPages = 100_000,
): AsyncGenerator<ListPage<T>> {
  let page = first;
  for (let n = 1; ; n++) {
    yield page;
    const next = nextPage(page);
    if (!next || n >= maxPages) return;
    page = await fetchPage(next);
  }
}
