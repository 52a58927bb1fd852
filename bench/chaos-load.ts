/**
 * The chaos run's load: real records in the simulator (cases and attachments the enrichment reads), one
 * distinct change per webhook, and a sender that behaves like ServiceNow's outbound queue — a steady,
 * bounded rate, and a retry (same webhook-id) for every 503, 429 or network error.
 */
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** One change, ready to sign and send. */
export interface ChangeToSend {
  table: string;
  webhookId: string;
  body: string;
}

interface CaseFixture {
  sysId: string;
  number: string;
  account: string;
  contact: string;
  /** The next sys_mod_count to send for this case. */
  nextModCount: number;
}

interface AttachmentFixture {
  sysId: string;
  record: Record<string, string>;
}

export interface Fixtures {
  cases: CaseFixture[];
  attachments: AttachmentFixture[];
}

const ADMIN = 'Basic ' + Buffer.from('admin:admin').toString('base64');

const value = (field: unknown): string => (field && typeof field === 'object' ? String((field as { value?: unknown }).value ?? '') : String(field ?? ''));

async function sim<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { authorization: ADMIN, accept: 'application/json', ...init.headers }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`simulator ${init.method ?? 'GET'} ${url}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: T }).result;
}

/** Runs `fn` over `items`, `concurrency` at a time. */
async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

/** Creates `caseCount` cases (the 20 seeded ones included) and `attachmentCount` small attachments on them. */
export async function createFixtures(simUrl: string, caseCount: number, attachmentCount: number): Promise<Fixtures> {
  const table = `${simUrl}/api/now/table/sn_customerservice_case`;
  const seeded = await sim<Record<string, unknown>[]>(`${table}?sysparm_fields=sys_id,number,account,contact,sys_mod_count&sysparm_limit=1000`);
  const created = await pool(Array.from({ length: Math.max(0, caseCount - seeded.length) }, (_, i) => i), 8, (i) => {
    const like = seeded[i % seeded.length];
    const body = JSON.stringify({ short_description: `Chaos case ${i}: scanner drops the connection`, account: value(like.account), contact: value(like.contact), priority: '3' });
    return sim<Record<string, unknown>>(table, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  });
  const cases = [...seeded, ...created].slice(0, caseCount).map((row) => ({
    sysId: value(row.sys_id), number: value(row.number), account: value(row.account), contact: value(row.contact), nextModCount: Number(value(row.sys_mod_count) || 0) + 1,
  }));
  const attachments = await pool(Array.from({ length: attachmentCount }, (_, i) => i), 8, async (i) => {
    const parent = cases[i % cases.length];
    const url = `${simUrl}/api/now/attachment/file?table_name=sn_customerservice_case&table_sys_id=${parent.sysId}&file_name=chaos-${i}.txt`;
    const meta = await sim<Record<string, unknown>>(url, { method: 'POST', body: `scanner log ${i}\n`.repeat(20), headers: { 'content-type': 'text/plain' } });
    const record = Object.fromEntries(['table_name', 'table_sys_id', 'file_name', 'content_type', 'size_bytes'].map((k) => [k, value(meta[k])]));
    return { sysId: value(meta.sys_id), record };
  });
  return { cases, attachments };
}

const glideNow = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

function envelope(table: string, sysId: string, operation: string, modCount: string, record: Record<string, string>): ChangeToSend {
  const body = JSON.stringify({ table, sys_id: sysId, operation, sys_updated_on: glideNow(), sys_mod_count: modCount, record });
  return { table, webhookId: `${sysId}-${operation === 'delete' ? 'deleted' : modCount}`, body };
}

/** `total` distinct changes, shuffled: every attachment insert once, 20 % journal entries, the rest case updates. */
export function planChanges(fixtures: Fixtures, total: number): ChangeToSend[] {
  const attachments = Math.min(fixtures.attachments.length, Math.floor(total * 0.05));
  const journal = Math.floor(total * 0.2);
  const kinds = [...Array<string>(attachments).fill('a'), ...Array<string>(journal).fill('j'), ...Array<string>(total - attachments - journal).fill('c')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  let a = 0;
  return kinds.map((kind, i) => {
    const kase = fixtures.cases[crypto.randomInt(fixtures.cases.length)];
    if (kind === 'a') {
      const att = fixtures.attachments[a++];
      return envelope('sys_attachment', att.sysId, 'insert', '0', att.record);
    }
    if (kind === 'j') {
      const element = i % 3 === 0 ? 'work_notes' : 'comments';
      return envelope('sys_journal_field', crypto.randomBytes(16).toString('hex'), 'insert', '0', { element, element_id: kase.sysId, name: 'sn_customerservice_case', value: `Update ${i}: still failing after reboot` });
    }
    const modCount = String(kase.nextModCount++);
    return envelope('sn_customerservice_case', kase.sysId, 'update', modCount, {
      number: kase.number, short_description: `Scanner drops the connection (change ${modCount})`, state: String(1 + (i % 3)), priority: '3', account: kase.account, contact: kase.contact, assigned_to: '', active: 'true',
    });
  });
}

/** What the sender saw. */
export interface SendTally {
  /** Webhooks sent at least once. */
  sent: number;
  /** Accepted webhooks: 202, or 200 duplicate on a retry. webhook-id → event id. */
  accepted: Map<string, string>;
  /** 200 duplicate answers to a retry (the earlier attempt had been accepted after all). */
  acceptedOnRetryAsDuplicate: number;
  /** Extra attempts after a 503, 429 or network error. */
  retries: number;
  retriesBy: Map<string, number>;
  /** Final answers other than accepted (status → count), and webhooks given up on. */
  rejected: Map<string, number>;
}

export interface SenderOptions {
  url: string;
  secret: string;
  /** Webhooks started per second. */
  rate: number;
  /** Webhooks started together (default 1): bursts of several make the api group them into intake jobs. */
  burst?: number;
  /** Most requests in flight. */
  concurrency: number;
  /** Attempts per webhook (default 40) and longest time spent on one (default 120 s). */
  maxAttempts?: number;
  maxMsPerWebhook?: number;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends every change at the given rate, retrying each until accepted or its bounds are spent. */
export async function sendAll(changes: ChangeToSend[], options: SenderOptions, tally: SendTally, stop: () => boolean): Promise<void> {
  const signer = new Webhook(options.secret);
  const maxAttempts = options.maxAttempts ?? 40;
  const maxMs = options.maxMsPerWebhook ?? 120_000;

  const sendOne = async (change: ChangeToSend): Promise<void> => {
    const began = Date.now();
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const now = new Date();
      let retryReason: string;
      let retryAfterMs = 0;
      try {
        const res = await fetch(`${options.url}/webhooks/chaos/${change.table}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'ServiceNow/1.0', 'webhook-id': change.webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signer.sign(change.webhookId, now, change.body) },
          body: change.body,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        if (res.status === 202 || res.status === 200) {
          tally.accepted.set(change.webhookId, (JSON.parse(text) as { id: string }).id);
          if (res.status === 200 && attempt > 1) tally.acceptedOnRetryAsDuplicate += 1;
          if (res.status === 200 && attempt === 1) bump(tally.rejected, 'duplicate on first attempt');
          return;
        }
        if (res.status !== 503 && res.status !== 429) return void bump(tally.rejected, `HTTP ${res.status}`);
        retryReason = `HTTP ${res.status}`;
        retryAfterMs = Math.min(5_000, Number(res.headers.get('retry-after') ?? 0) * 1000 || 0);
      } catch (err) {
        retryReason = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network error';
      }
      if (attempt === maxAttempts || Date.now() - began > maxMs || stop()) return void bump(tally.rejected, `gave up (${retryReason})`);
      tally.retries += 1;
      bump(tally.retriesBy, retryReason);
      // ServiceNow's outbound queue retries later; a short backoff keeps this run within minutes
      await sleep(Math.max(retryAfterMs > 0 ? Math.min(retryAfterMs, 2_000) : 0, Math.min(4_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)));
    }
  };

  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < changes.length && !stop(); i++) {
    const burst = options.burst ?? 1;
    const wait = started + (Math.floor(i / burst) * burst * 1000) / options.rate - Date.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    tally.sent += 1;
    const p: Promise<void> = sendOne(changes[i]).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}
