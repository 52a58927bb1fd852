/**
 * Child processes of the chaos run: gateway roles and the simulator from the built `dist/cli.js`, and a
 * private AOF redis-server that can be killed or shut down and started again on the same port and data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { GATEWAY_NODE_ARGS, ROOT } from './bench-kit';

/** A node child whose stdout/stderr go to a log file. */
export interface ChaosChild {
  label: string;
  child: ChildProcess;
  logFile: string;
  /** Set when the process exited without the run asking it to. */
  unexpectedExit?: string;
  /** SIGKILL, no goodbye (the crash under test). */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

function waitExit(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill(signal);
  });
}

/** Spawns `node dist/cli.js …args` and resolves once a stdout line matches `ready` (30 s at most). */
export function spawnCli(args: string[], env: Record<string, string>, label: string, ready: RegExp, logDir: string): Promise<ChaosChild> {
  const logFile = path.join(logDir, `${label}.log`);
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, [...GATEWAY_NODE_ARGS, path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let expected = false;
  const handle: ChaosChild = {
    label,
    child,
    logFile,
    kill: () => ((expected = true), waitExit(child, 'SIGKILL', 0)),
    stop: () => ((expected = true), waitExit(child, 'SIGTERM', 10_000)),
  };
  child.stderr?.pipe(log, { end: false });
  return new Promise((resolve, reject) => {
    let seen = '';
    let started = false;
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${label} did not start within 30 s (log: ${logFile})`))), 30_000);
    child.once('exit', (code, signal) => {
      if (!expected) handle.unexpectedExit = `exited with ${code ?? signal}`;
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code ?? signal} (log: ${logFile})`));
    });
    child.stdout?.on('data', (d: Buffer) => {
      log.write(d);
      if (started) return;
      seen += String(d);
      if (ready.test(seen)) {
        started = true;
        clearTimeout(timer);
        resolve(handle);
      }
    });
  });
}

/** How Redis goes down: SIGKILL (a crash: only what AOF already has survives) or SHUTDOWN (fsyncs, then exits). */
export type RedisRestartKind = 'kill' | 'shutdown';

/** A private redis-server with AOF on a fixed loopback port, restartable on the same data directory. */
export class ChaosRedis {
  private child?: ChildProcess;

  constructor(readonly port: number, readonly dir: string, private readonly appendfsync: 'always' | 'everysec') {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', this.appendfsync, '--maxmemory-policy', 'noeviction', '--logfile', path.join(this.dir, 'redis.log')];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      if (await this.answers()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on ${this.port} (see ${this.dir}/redis.log)`);
  }

  /** Takes Redis down the given way; resolves once the process is gone. */
  async down(kind: RedisRestartKind): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (kind === 'kill') child.kill('SIGKILL');
    else {
      const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      await client.connect().then(() => client.call('SHUTDOWN')).catch(() => undefined); // the reply is the connection closing
      client.disconnect();
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) await waitExit(child, 'SIGKILL', 0);
  }

  async stop(): Promise<void> {
    await this.down('kill');
  }

  private async answers(): Promise<boolean> {
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }
}
