import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './redis-server';

const run = promisify(execFile);

/** A running 3-master Redis Cluster on loopback ports, private to one test file. */
export interface RedisCluster {
  /** Comma-separated `redis://127.0.0.1:{port}` seeds, the shape REDIS_URL takes with REDIS_CLUSTER=true. */
  seeds: string;
  /** The masters' client ports (as created; a failover may promote a replica since). */
  ports: number[];
  /** The replica of each master, by the master's port (with `replicas: 1`). */
  replicaOf: Map<number, number>;
  /** Sends a signal to the node on that port: SIGSTOP pauses it, SIGCONT resumes it, SIGKILL kills it. */
  signal(port: number, signal: NodeJS.Signals): void;
  /** The process id of the node on that port (benchmarks read its CPU time). */
  pid(port: number): number | undefined;
  /** Kills the nodes and removes their data directory. */
  stop(): Promise<void>;
}

/** How the cluster is built. */
export interface RedisClusterOptions {
  /** Replicas per master (default 0). */
  replicas?: 0 | 1;
  /** cluster-node-timeout: how long a master may be unreachable before its replica is promoted (default 2000 ms). */
  nodeTimeoutMs?: number;
  /** More redis-server arguments for every node (e.g. AOF). */
  extraArgs?: string[];
}

const MASTERS = 3;
const READY_TIMEOUT_MS = 20_000;
const ATTEMPTS = 3;
/** Redis Cluster's bus port is the client port + 10000 (the default on every Redis version). */
const BUS_OFFSET = 10_000;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Distinct free client ports whose bus ports (+10000) are free too. */
async function nodePorts(count: number): Promise<number[]> {
  const chosen: number[] = [];
  while (chosen.length < count) {
    const port = await freePort();
    const clash = chosen.some((c) => c === port || Math.abs(c - port) === BUS_OFFSET);
    if (!clash && port + BUS_OFFSET <= 65535 && (await isFree(port + BUS_OFFSET))) chosen.push(port);
  }
  return chosen;
}

function spawnNode(dir: string, index: number, port: number, options: RedisClusterOptions): ChildProcess {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--cluster-enabled', 'yes',
    '--cluster-config-file', `nodes-${index}.conf`,
    '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2000),
    '--save', '',
    '--appendonly', 'no',
    '--maxmemory-policy', 'noeviction',
    ...(options.extraArgs ?? []),
  ];
  return spawn('redis-server', args, { stdio: 'ignore' });
}

/** Polls `probe` until it yields a value; gives up at the deadline, or at once when `dead()` says a node died. */
async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, dead: () => string | undefined): Promise<T> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const died = dead();
    if (died) throw new Error(`Redis Cluster: ${died}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Redis Cluster: ${what} within ${READY_TIMEOUT_MS} ms${lastError ? ` (${(lastError as Error).message})` : ''}`);
}

/** Runs one command on one node, on a short-lived plain (non-cluster) connection. */
export async function onNode<T>(port: number, command: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await command(redis);
  } finally {
    redis.disconnect();
  }
}

/** Every key on one node (matching a pattern). */
export async function keysOn(port: number, pattern = '*'): Promise<string[]> {
  return onNode(port, async (redis) => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  });
}

/** The port of the master serving a slot, as the node on `port` sees it (CLUSTER SLOTS). */
export async function ownerOf(port: number, slot: number): Promise<number> {
  const ranges = (await onNode(port, (r) => r.cluster('SLOTS'))) as unknown as Array<[number, number, [string, number]]>;
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  if (!range) throw new Error(`no master serves slot ${slot}`);
  return Number(range[2][1]);
}

/** True when this node reports the cluster healthy, every slot served, all nodes known, and (a replica) its master link up. */
async function nodeReady(port: number, nodes: number): Promise<true | undefined> {
  const info = await onNode(port, (r) => r.cluster('INFO'));
  const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
  const ok = field('cluster_state') === 'ok' && field('cluster_slots_ok') === '16384' && field('cluster_known_nodes') === String(nodes);
  if (!ok) return undefined;
  const replication = await onNode(port, (r) => r.info('replication'));
  return /^role:master/m.test(replication) || /^master_link_status:up/m.test(replication) ? true : undefined;
}

/** Each replica's master, by port, from CLUSTER NODES (`<id> <ip:port@bus> <flags> <master id|-> …`). */
async function replicasByMaster(port: number): Promise<Map<number, number>> {
  const lines = String(await onNode(port, (r) => r.cluster('NODES'))).trim().split('\n').map((l: string) => l.split(' '));
  const portOf = new Map(lines.map((f) => [f[0]!, Number(/:(\d+)@/.exec(f[1]!)?.[1])]));
  const byMaster = new Map<number, number>();
  for (const f of lines) if (f[2]!.includes('slave')) byMaster.set(portOf.get(f[3]!)!, portOf.get(f[0]!)!);
  return byMaster;
}

async function killNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function startOnce(options: RedisClusterOptions): Promise<RedisCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-cluster-'));
  const replicas = options.replicas ?? 0;
  const ports = await nodePorts(MASTERS * (1 + replicas));
  const children = ports.map((port, i) => spawnNode(dir, i + 1, port, options));
  const stop = async () => {
    await Promise.all(children.map(killNode));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A node that exits at once lost its port to another process: fail fast, so the caller can retry
  const dead = () => {
    const i = children.findIndex((c) => c.exitCode !== null);
    return i < 0 ? undefined : `node on port ${ports[i]} exited with ${children[i]!.exitCode}`;
  };
  try {
    await Promise.all(ports.map((port) => waitUntil(`node ${port} did not answer PING`, () => onNode(port, (r) => r.ping()), dead)));
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], {
      timeout: READY_TIMEOUT_MS,
    });
    await Promise.all(ports.map((port) => waitUntil(`node ${port} did not report cluster_state:ok`, () => nodeReady(port, ports.length), dead)));
  } catch (err) {
    await stop();
    throw err;
  }
  const replicaOf = await replicasByMaster(ports[0]!);
  const masters = ports.filter((p) => ![...replicaOf.values()].includes(p));
  const child = (port: number) => children[ports.indexOf(port)];
  return {
    seeds: masters.map((p) => `redis://127.0.0.1:${p}`).join(','),
    ports: masters,
    replicaOf,
    signal: (port, signal) => void child(port)?.kill(signal),
    pid: (port) => child(port)?.pid,
    stop,
  };
}

/**
 * Starts 3 `redis-server` masters (and, if asked, a replica each) in cluster mode on free loopback ports (data
 * in a fresh temp directory, nothing persisted unless `extraArgs` say so), joins them with `redis-cli --cluster
 * create`, and resolves once every node reports `cluster_state:ok` with all slots served and every replica is
 * in sync. Retries with new ports when a node could not bind. Always `stop()` it: it kills the nodes and
 * removes the directory.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (attempt >= ATTEMPTS) throw err;
    }
  }
}
