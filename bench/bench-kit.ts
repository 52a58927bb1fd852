import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, PrivateRedis } from '../tests/helpers/redis-server';

export const ROOT = path.resolve(__dirname, '..');
export const REGISTER = path.join(ROOT, 'tests/helpers/swc-register.js');

/** The node flags `npm start` runs the gateway with (package.json's start script), so benchmarks measure the same. */
export const GATEWAY_NODE_ARGS: string[] = (() => {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return /^node ((?:--\S+ )*)dist\/cli\.js/.exec(start)?.[1].trim().split(' ').filter(Boolean) ?? [];
})();

/** A child process that printed "ready <url>". */
export interface ReadyChild {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Spawns `node [args]` and waits for a line "ready <url>" on stdout. */
export function spawnReady(args: string[], env: Record<string, string>, label: string): Promise<ReadyChild> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d) => (err += String(d)));
  const logFile = process.env.BENCH_LOG_DIR ? path.join(process.env.BENCH_LOG_DIR, `${label}.log`) : undefined;
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const sink = fs.createWriteStream(logFile);
    child.stdout?.on('data', (d) => sink.write(d));
    child.stderr?.on('data', (d) => sink.write(d));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start: ${err}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}: ${err}`)));
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /ready (\S+)/.exec(out) ?? /(?:gateway listening|ops listener).*?"url":"([^"]+)"/.exec(out) ?? /simulator listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1],
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

/** A private redis-server for a benchmark (no persistence unless asked). */
export async function benchRedis(extra: string[] = []): Promise<PrivateRedis> {
  return PrivateRedis.start(['--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...extra]);
}

export { freePort };

/** What machine the figures come from. */
export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Percentile of a sorted array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
    return ticks / 100;
  } catch {
    return NaN;
  }
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Calls per command so far (INFO commandstats) of the Redis at `url`: the round trips a benchmark makes. */
export async function redisCommandCalls(url: string): Promise<Map<string, number>> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url);
  try {
    const info = await client.info('commandstats');
    return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  } finally {
    client.disconnect();
  }
}

/** "evalsha 3.1, hgetall 0.2, …": the commands sent between two `redisCommandCalls`, per event, most first. */
export function commandsPerEvent(before: Map<string, number>, after: Map<string, number>, events: number): string {
  const diffs = [...after].map(([cmd, n]) => [cmd, (n - (before.get(cmd) ?? 0)) / Math.max(1, events)] as const).filter(([cmd, n]) => n >= 0.01 && cmd !== 'info');
  const total = diffs.reduce((a, [, n]) => a + n, 0);
  return `${total.toFixed(1)} per event: ` + diffs.sort((a, b) => b[1] - a[1]).map(([cmd, n]) => `${cmd} ${n.toFixed(2)}`).join(', ');
}
