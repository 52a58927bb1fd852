/**
 * node -r ./tests/helpers/swc-register.js bench/sandbox-to-event-log.ts — a new user's first minute, timed:
 * `npm start` in an empty folder (the sandbox, on a private Redis: REDIS_URL is the only variable set, so that
 * nothing else on the machine is touched), then what the banner says — the PATCH `curl` line — then, in
 * Chromium, the banner's event-log link, the case's number typed into the search, its event opened, its
 * delivery attempt expanded. Prints the time of each step from the start. The time a person takes to read
 * and type is not in it. With SCREENSHOTS=dir it keeps the list and the event page. Figures, not a test.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { benchRedis, freePort, machine, ROOT } from './bench-kit';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const redis = await benchRedis();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-first-minute-'));
  const [port, simPort] = [await freePort(), await freePort()];
  const started = Date.now();
  const marks: string[] = [];
  const mark = (what: string) => marks.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${what}`);
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'start'], { cwd, env: { ...process.env, REDIS_URL: redis.url, PORT: String(port), SNOWGATE_SIMULATOR_PORT: String(simPort), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless'] });
  try {
    while (!/curl -s -u admin:admin -X PATCH[\s\S]*?\n.*\n/.test(out)) {
      if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`npm start did not print its banner:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    mark('banner printed (gateway, simulator and sandbox up)');
    const link = /event log\s+(\S+)/.exec(out)![1];
    const number = /search (CS\d+)/.exec(out)![1];
    const patch = /(curl -s -u admin:admin -X PATCH[^\n]*\\\n[^\n]*)/.exec(out)![1].replace('\\\n', ' ');
    await new Promise<void>((resolve, reject) => spawn('sh', ['-c', `${patch} > /dev/null`], { stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`curl exited ${code}`)))));
    mark(`the case changed in the simulated ServiceNow (the banner's curl line) — ${number}`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(link.replace('localhost', '127.0.0.1'));
    mark('event log open in the browser');
    await page.getByLabel('Search').fill(number);
    await page.getByLabel('Search').press('Enter');
    const row = page.locator('#events tbody tr.event', { hasText: number }).first();
    for (let i = 0; i < 50 && !(await row.isVisible()); i++) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
    }
    if (process.env.SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'sandbox-first-minute-list.png') });
    await row.getByRole('link', { name: number }).click();
    mark(`${number} found by its number, its event opened`);
    await page.locator('#event details summary', { hasText: 'attempt 1' }).click();
    await page.locator('#event details[open]').getByText('Response').first().waitFor();
    mark('its delivery attempt expanded: request headers, response');
    if (process.env.SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'sandbox-first-minute-event.png') });
    process.stdout.write([`sandbox to event log (${machine()})`, ...marks, ''].join('\n'));
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await redis.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
