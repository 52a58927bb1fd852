import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { patchCase, startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';

/** Debian's chromium package; CI must install it (`apt-get install -y chromium`). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const CASES = 'sn_customerservice_case';
/** Set to a folder to keep screenshots of both pages (for release notes; the test asserts nothing about them). */
const SCREENSHOTS = process.env.EVENT_LOG_SCREENSHOTS;

/** Markup that would run if any page inserted it unescaped: each sets a flag the test looks for. */
const XSS_RECORD = '<script>window.__xss = "record"</script><img src=x onerror="window.__xss=\'record-img\'">';
const XSS_ANSWER = '<script>window.__xss = "answer"</script><img src=x onerror="window.__xss=\'answer-img\'">';

const browserMissing = !fs.existsSync(CHROMIUM) && !process.env.CI;
if (browserMissing) {
  process.stderr.write(`\n[event-log-browser] skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); CI installs it and runs this suite\n`);
}

async function noScriptRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => (globalThis as { __xss?: string }).__xss)).toBeUndefined();
}

(browserMissing ? describe.skip : describe)('the event log in a real browser', () => {
  jest.setTimeout(60_000);
  let p: TestPipeline;
  let browser: BrowserContext;
  let profile: string;
  let deadNumber: string;
  let deadId: string;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
    p = await startTestPipeline({ env: { SNOWGATE_DELIVERY_SCHEDULE: '100ms,200ms' } });
    // one event refused by the subscriber (dead-lettered, its answer carrying markup), a few delivered ones
    const [refused, ...others] = p.sim.store.list(CASES).slice(0, 4);
    p.subscriber.setResponses([{ status: 400, headers: { 'content-type': 'text/html' }, body: XSS_ANSWER }]);
    await patchCase(p.sim.url, refused.sys_id, { short_description: XSS_RECORD });
    const dead = await p.subscriber.waitForMatch((d) => d.event?.subject === refused.sys_id, 0, 15_000);
    deadId = String(dead.event!.id);
    deadNumber = String(refused.number);
    for (const [i, c] of others.entries()) await patchCase(p.sim.url, c.sys_id, { short_description: `Delivered change ${i}` });
    await p.subscriber.waitFor(4, 15_000);
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-chromium-'));
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 } });
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: p.gateway.url });
  });

  afterAll(async () => {
    await browser?.close();
    await p?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('when opened without the token, then a sign-in page; with it, the list of events, newest first, with status colours', async () => {
    const page = await browser.newPage();
    const signIn = await page.goto(`${p.gateway.url}/ops/events?status=dead_lettered`);
    expect(signIn?.status()).toBe(401);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Open the event log' }).click();
    await page.waitForURL(`${p.gateway.url}/ops/events?status=dead_lettered`);
    await page.goto(`${p.gateway.url}/ops/events`);
    await page.locator('#events tbody tr.event').nth(3).waitFor({ timeout: 15_000 });
    expect(await page.locator('#events tbody tr.event').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#events .badge.s-delivered').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#events .badge.s-dead_lettered').count()).toBe(1);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'event-log-list.png'), fullPage: true });
    await noScriptRan(page);
    await page.close();
  });

  it('when filtered to dead-lettered events, then opening the one there shows its attempt, and its replay from the page is delivered', async () => {
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(`${p.gateway.url}/ops/events?token=${ADMIN_TOKEN}`);
    await page.getByLabel('Status').selectOption('dead_lettered');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=dead_lettered/);
    const rows = page.locator('#events tbody tr.event');
    expect(await rows.count()).toBe(1);
    await rows.first().getByRole('link', { name: deadNumber }).click();
    await page.waitForURL(`${p.gateway.url}/ops/events/${deadId}`);

    const event = page.locator('#event');
    await event.locator('.badge.s-dead_lettered').waitFor();
    await event.getByText('attempt 1 · 400').click();
    const attempt = event.locator('details', { hasText: 'attempt 1 · 400' });
    await attempt.getByText('webhook-signature').waitFor();
    expect(await attempt.innerText()).toContain('[redacted]');
    // the subscriber's answer and the record's text are shown as text, and nothing in them ran
    expect(await attempt.locator('pre').innerText()).toBe(XSS_ANSWER);
    expect(await event.locator('pre.json').innerText()).toContain(XSS_RECORD.replace(/"/g, '\\"'));
    await noScriptRan(page);

    await page.getByRole('button', { name: 'Copy as curl' }).click();
    const curl = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    expect(curl).toContain(`curl -X POST '${p.subscriber.url}'`);
    expect(curl).toContain("'webhook-signature: [redacted]'");

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(`Replayed as ${deadId}-r1`).waitFor();
    await event.locator('.badge.s-delivered').waitFor({ timeout: 15_000 });
    await page.locator('#event').getByText('attempt 2 · 204').waitFor();
    expect(p.subscriber.events.filter((d) => d.event?.id === deadId).map((d) => d.status)).toEqual([400, 204]);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'event-log-event.png'), fullPage: true });
    await noScriptRan(page);
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('when a case number is typed into the search, then its events are listed', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.gateway.url}/ops/events?token=${ADMIN_TOKEN}`);
    await page.getByLabel('Search').fill(deadNumber);
    await page.getByLabel('Search').press('Enter');
    await page.waitForURL(/q=/);
    const rows = page.locator('#events tbody tr.event');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(deadNumber);
    await page.close();
  });
});
