import crypto from 'node:crypto';
import { parseDurationList } from '../lib/durations';
import { ConfigError } from '../lib/errors';
import { MAX_PARTITIONS } from '../queues/partition-layout';
import { DEFAULT_RETRY_STEPS, DEFAULT_WRITE_STEPS } from '../events/retry-schedule';

export type Role = 'all' | 'api' | 'worker' | 'scheduler';
const ROLES: readonly Role[] = ['all', 'api', 'worker', 'scheduler'];

/** Settings read from the environment, validated once at start-up. */
export interface EnvSettings {
  /** PORT — HTTP port (default 3000). */
  port: number;
  /** HOST — bind address (default 0.0.0.0). */
  host: string;
  /** REDIS_URL — default redis://127.0.0.1:6379; comma-separated seeds with REDIS_CLUSTER=true. */
  redisUrl: string;
  /** Whether REDIS_URL was set explicitly (if not, start may run a private redis-server). */
  redisUrlExplicit: boolean;
  /** REDIS_CLUSTER — treat REDIS_URL as Redis Cluster seeds (default false). */
  redisCluster: boolean;
  /** SNOWGATE_QUEUE_PREFIX — BullMQ prefix, a hash tag so a queue's keys share one cluster slot (default {snowgate}). */
  queuePrefix: string;
  /** SNOWGATE_PARTITIONS — partitions the queues, claims, lanes and caches are split into, each under its own hash tag (default 1: one slot). */
  partitions: number;
  /** SNOWGATE_WORKER_PARTITIONS — the partitions a worker process consumes, e.g. `0,2` or `0-3` (default every one). */
  workerPartitions?: number[];
  /** SNOWGATE_REDIS_WAIT_REPLICAS — replicas that must hold an accepted change or write before it is acknowledged (default 0: no WAIT). */
  redisWaitReplicas: number;
  /** SNOWGATE_CONFIG — path of the JSON config file of instances. */
  configPath?: string;
  /** SNOWGATE_ADMIN_TOKEN — bearer for admin and ops routes; generated (and printed) when unset. */
  adminToken: string;
  adminTokenGenerated: boolean;
  /** SNOWGATE_ENCRYPTION_KEY — base64 of 32 bytes; encrypts tokens and secrets at rest. */
  encryptionKey: Buffer;
  /** True when SNOWGATE_ENCRYPTION_KEY was not set (the start command then keeps a local key file). */
  encryptionKeyGenerated: boolean;
  /** SNOWGATE_PUBLIC_URL — where ServiceNow reaches the gateway (default http://localhost:PORT). */
  publicUrl: string;
  /** LOG_LEVEL — error | warn | info | debug | silent (default info). */
  logLevel: string;
  /** SNOWGATE_ROLE — all | api | worker | scheduler (default all). */
  role: Role;
  /** SNOWGATE_MAX_BODY_BYTES — webhook body limit (default 1 MiB). */
  maxBodyBytes: number;
  /** SNOWGATE_WORKER_CONCURRENCY — jobs each worker processes at once, per queue (default 50). */
  workerConcurrency: number;
  /**
   * SNOWGATE_JOB_LOCK_MS — job lock (default 5000, renewed every half): a job whose worker died is taken up again
   * once it lapses and the next stalled-job check sees it (see lockOptions) — within 7.5 s by default.
   */
  jobLockMs: number;
  /** SNOWGATE_JOB_DEADLINE_MS — longest an enrichment attempt may take before it is failed and retried (default 120000). */
  jobDeadlineMs: number;
  /**
   * SNOWGATE_DELIVERY_SCHEDULE — the delays between delivery attempts, e.g. `5s,5m,30m,2h,5h,10h,10h` (the
   * default: 8 attempts over ~27.6 h); each delay gets ±10 % jitter. An instance may set its own
   * (`event.notification.retry_schedule`).
   */
  deliveryRetryDelaysMs: number[];
  /** SNOWGATE_WRITE_SCHEDULE — the delays between attempts of a write into ServiceNow (default `1s,2s,4s,8s,16s,32s,1m,2m,4m`: 10 attempts over ~8.5 min), each ±10 %. */
  writeRetryDelaysMs: number[];
  /** The subscriber circuit breaker (see SubscriberBreaker). */
  breaker: {
    /** SNOWGATE_BREAKER_FAILURES — consecutive failed deliveries that open a subscriber's breaker (default 5). */
    failureThreshold: number;
    /** SNOWGATE_BREAKER_OPEN_MS — how long it stays open before the first probe; doubles after each failed probe (default 10000). */
    openMs: number;
    /** SNOWGATE_BREAKER_MAX_OPEN_MS — the longest it stays open between probes (default 600000). */
    maxOpenMs: number;
  };
  /** SNOWGATE_METRICS_PUBLIC — serve /metrics without the admin token (default false). */
  metricsPublic: boolean;
  /**
   * SNOWGATE_INTAKE — when webhooks go as intake jobs for the workers to fan out: `auto` (groups of ≥ 4
   * concurrent webhooks, while the api's event loop is saturated; default), `always` (every group) or `never`.
   */
  intake: IntakeMode;
  /**
   * SNOWGATE_SANDBOX — force (true) or forbid (false) the embedded sandbox; default: on only when no instance
   * exists anywhere (see decideSandbox).
   */
  sandbox?: boolean;
  /** SNOWGATE_SIMULATOR_PORT — where the sandbox's ServiceNow simulator listens (default 3100; 0 = any free port). */
  simulatorPort: number;
  /** The event log: every event's and write's life, kept in Redis (see EventRecorder). */
  eventLog: {
    /** SNOWGATE_EVENT_LOG_DAYS — how long an event is kept after it was received (default 7, 1 to 365). */
    days: number;
    /** SNOWGATE_EVENT_LOG_MAX — most events kept per instance, the oldest dropped first (default 10000; 0 turns the log off); with N partitions each keeps ceil(max / N) of an instance, so the bound is approximate. */
    maxPerInstance: number;
  };
}

/** Default port of the sandbox's simulator and of `snowgate simulator`. */
export const DEFAULT_SIMULATOR_PORT = 3100;

const INTAKE_MODES = ['auto', 'always', 'never'] as const;
export type IntakeMode = (typeof INTAKE_MODES)[number];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string, protocols: string[]): string {
  const raw = env[name] ?? fallback;
  for (const part of raw.split(',')) {
    let parsed: URL;
    try {
      parsed = new URL(part.trim());
    } catch {
      throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}), got "${raw}"`);
    }
    if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw.replace(/\/+$/, '');
}

function encryptionKey(env: NodeJS.ProcessEnv): { key: Buffer; generated: boolean } {
  const raw = env.SNOWGATE_ENCRYPTION_KEY;
  if (raw === undefined || raw === '') return { key: crypto.randomBytes(32), generated: true };
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) {
    throw new ConfigError('SNOWGATE_ENCRYPTION_KEY must be base64 of exactly 32 bytes (openssl rand -base64 32)');
  }
  return { key, generated: false };
}

/**
 * Whether every key `${prefix}:…` hashes to the prefix's cluster slot: Redis hashes only the part between
 * the first `{` and the first `}` after it, when that part is not empty.
 */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open >= 0 && prefix.indexOf('}', open + 1) > open + 1;
}

/** A retry schedule from `name`: up to 20 comma-separated delays of 1ms to 7d, `fallback` when unset. */
function retrySteps(env: NodeJS.ProcessEnv, name: string, fallback: string): number[] {
  const raw = env[name] || fallback;
  const delays = parseDurationList(raw);
  if (!delays || delays.length > 20 || delays.some((ms) => ms < 1 || ms > 7 * 86_400_000)) {
    throw new ConfigError(`${name} must be up to 20 comma-separated delays of 1ms to 7d (e.g. "${fallback}"), got "${raw}"`);
  }
  return delays;
}

/** The delivery retry schedule: SNOWGATE_DELIVERY_SCHEDULE; the variables it replaced stop start-up with a pointer to it. */
function deliverySchedule(env: NodeJS.ProcessEnv): number[] {
  for (const old of ['SNOWGATE_DELIVERY_ATTEMPTS', 'SNOWGATE_DELIVERY_BACKOFF_MS']) {
    if (env[old]) throw new ConfigError(`${old} was replaced by SNOWGATE_DELIVERY_SCHEDULE (the delays between delivery attempts, e.g. "${DEFAULT_RETRY_STEPS}") and SNOWGATE_WRITE_SCHEDULE (between write attempts, e.g. "${DEFAULT_WRITE_STEPS}")`);
  }
  return retrySteps(env, 'SNOWGATE_DELIVERY_SCHEDULE', DEFAULT_RETRY_STEPS);
}

/** The subscriber breaker's knobs (SNOWGATE_BREAKER_*). */
function breakerSettings(env: NodeJS.ProcessEnv): EnvSettings['breaker'] {
  const openMs = integer(env, 'SNOWGATE_BREAKER_OPEN_MS', 10_000, 1, 86_400_000);
  const maxOpenMs = integer(env, 'SNOWGATE_BREAKER_MAX_OPEN_MS', Math.max(600_000, openMs), 1, 86_400_000);
  if (maxOpenMs < openMs) throw new ConfigError(`SNOWGATE_BREAKER_MAX_OPEN_MS (${maxOpenMs}) must not be less than SNOWGATE_BREAKER_OPEN_MS (${openMs})`);
  return { failureThreshold: integer(env, 'SNOWGATE_BREAKER_FAILURES', 5, 1, 1000), openMs, maxOpenMs };
}

/** A list of partitions such as `0,2` or `0-3` (SNOWGATE_WORKER_PARTITIONS), each below `count`. */
function partitionList(env: NodeJS.ProcessEnv, name: string, count: number): number[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const picked = new Set<number>();
  for (const part of raw.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const [from, to] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
    if (!(from <= to && to < count)) throw new ConfigError(`${name} must list partitions from 0 to ${count - 1} (SNOWGATE_PARTITIONS=${count}), e.g. "0,2" or "0-1", got "${raw}"`);
    for (let p = from; p <= to; p++) picked.add(p);
  }
  return [...picked].sort((a, b) => a - b);
}

/** Reads and validates the environment; throws ConfigError naming the bad variable. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvSettings {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const role = (env.SNOWGATE_ROLE ?? 'all') as Role;
  if (!ROLES.includes(role)) throw new ConfigError(`SNOWGATE_ROLE must be one of ${ROLES.join(', ')}, got "${env.SNOWGATE_ROLE}"`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be error, warn, info, debug or silent, got "${logLevel}"`);
  }
  const adminToken = env.SNOWGATE_ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken !== '' && adminToken.length < 16) {
    throw new ConfigError('SNOWGATE_ADMIN_TOKEN must be at least 16 characters');
  }
  const queuePrefix = env.SNOWGATE_QUEUE_PREFIX ?? '{snowgate}';
  if (!/^[A-Za-z0-9_{}-]{1,64}$/.test(queuePrefix)) throw new ConfigError(`SNOWGATE_QUEUE_PREFIX may hold only letters, digits, _, -, { and }, got "${queuePrefix}"`);
  const redisCluster = bool(env, 'REDIS_CLUSTER') ?? false;
  if (redisCluster && !hasHashTag(queuePrefix)) {
    throw new ConfigError(`SNOWGATE_QUEUE_PREFIX must hold a non-empty {hash tag} with REDIS_CLUSTER=true (e.g. {snowgate}), got "${queuePrefix}"`);
  }
  const key = encryptionKey(env);
  const partitions = integer(env, 'SNOWGATE_PARTITIONS', 1, 1, MAX_PARTITIONS);
  const jobLockMs = integer(env, 'SNOWGATE_JOB_LOCK_MS', 5000, 1000, 600_000);
  const intake = (env.SNOWGATE_INTAKE || 'auto') as IntakeMode;
  if (!INTAKE_MODES.includes(intake)) throw new ConfigError(`SNOWGATE_INTAKE must be one of ${INTAKE_MODES.join(', ')}, got "${env.SNOWGATE_INTAKE}"`);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisUrlExplicit: env.REDIS_URL !== undefined && env.REDIS_URL !== '',
    redisCluster,
    queuePrefix,
    partitions,
    workerPartitions: partitionList(env, 'SNOWGATE_WORKER_PARTITIONS', partitions),
    redisWaitReplicas: integer(env, 'SNOWGATE_REDIS_WAIT_REPLICAS', 0, 0, 16),
    configPath: env.SNOWGATE_CONFIG || undefined,
    adminToken: adminToken || crypto.randomBytes(24).toString('base64url'),
    adminTokenGenerated: !adminToken,
    encryptionKey: key.key,
    encryptionKeyGenerated: key.generated,
    publicUrl: url(env, 'SNOWGATE_PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']),
    logLevel,
    role,
    maxBodyBytes: integer(env, 'SNOWGATE_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    sandbox: bool(env, 'SNOWGATE_SANDBOX'),
    simulatorPort: integer(env, 'SNOWGATE_SIMULATOR_PORT', DEFAULT_SIMULATOR_PORT, 0, 65535),
    metricsPublic: bool(env, 'SNOWGATE_METRICS_PUBLIC') ?? false,
    intake,
    workerConcurrency: integer(env, 'SNOWGATE_WORKER_CONCURRENCY', 50, 1, 1000),
    jobLockMs,
    jobDeadlineMs: integer(env, 'SNOWGATE_JOB_DEADLINE_MS', 120_000, 1000, 3_600_000),
    deliveryRetryDelaysMs: deliverySchedule(env),
    writeRetryDelaysMs: retrySteps(env, 'SNOWGATE_WRITE_SCHEDULE', DEFAULT_WRITE_STEPS),
    breaker: breakerSettings(env),
    eventLog: { days: integer(env, 'SNOWGATE_EVENT_LOG_DAYS', 7, 1, 365), maxPerInstance: integer(env, 'SNOWGATE_EVENT_LOG_MAX', 10_000, 0, 1_000_000) },
  };
}
