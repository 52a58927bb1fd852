import crypto from 'node:crypto';
import type { Instance } from '../instances/instance';
import { readEnv, type EnvSettings } from './env';
import { loadInstancesFile } from './load-instances-file';
import { LocalState } from './local-state';

/** Files of `.snowgate/` the resolver reads and `start` writes. */
export const LOCAL_FILES = {
  encryptionKey: 'encryption-key',
  adminToken: 'admin-token',
  /** The last gateway started here: {@link RecordedGateway}. */
  gateway: 'gateway.json',
} as const;

/** Where a generated setting came from: the environment, `.snowgate/`, made now (and kept there), or made for this process only. */
export type SettingSource = 'env' | 'local' | 'created' | 'ephemeral';

/** The configuration every command sees, resolved one way: env, then the config file, then `.snowgate/`. */
export interface ResolvedConfig {
  settings: EnvSettings;
  /** The instances of SNOWGATE_CONFIG (empty without it). */
  configInstances: Instance[];
  /** The working directory's `.snowgate/`. */
  local: LocalState;
  encryptionKeySource: SettingSource;
  adminTokenSource: SettingSource;
  /** The variables this command took from the gateway `start` recorded (`.snowgate/gateway.json`), for messages. */
  fromRecordedGateway: string[];
}

/** How to resolve. */
export interface ResolveOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Whose `.snowgate/` is read. Default process.cwd(). */
  cwd?: string;
  /**
   * `start`: what the environment does not give is generated and kept in `.snowgate/`, and the gateway's
   * address comes from PORT / SNOWGATE_PUBLIC_URL alone. Other commands only read `.snowgate/` and, unless
   * told otherwise, address the gateway that `start` recorded there.
   */
  forStart?: boolean;
}

function localKey(local: LocalState): Buffer | undefined {
  const text = local.read(LOCAL_FILES.encryptionKey);
  const key = text === undefined ? undefined : Buffer.from(text, 'base64');
  return key?.length === 32 ? key : undefined;
}

function resolveEncryptionKey(settings: EnvSettings, local: LocalState, forStart: boolean): SettingSource {
  if (!settings.encryptionKeyGenerated) return 'env';
  const kept = localKey(local);
  if (kept) {
    settings.encryptionKey = kept;
    return 'local';
  }
  if (!forStart) return 'ephemeral';
  local.write(LOCAL_FILES.encryptionKey, settings.encryptionKey.toString('base64'));
  return 'created';
}

function resolveAdminToken(settings: EnvSettings, local: LocalState, forStart: boolean): SettingSource {
  if (!settings.adminTokenGenerated) return 'env';
  const kept = local.read(LOCAL_FILES.adminToken);
  if (kept && kept.length >= 16) {
    settings.adminToken = kept;
    return 'local';
  }
  if (!forStart) return 'ephemeral';
  settings.adminToken = crypto.randomBytes(24).toString('base64url');
  local.write(LOCAL_FILES.adminToken, settings.adminToken);
  return 'created';
}

/** Where the last gateway started in a folder listens and keeps its data (`.snowgate/gateway.json`). */
export interface RecordedGateway {
  publicUrl: string;
  redisUrl: string;
  redisCluster: boolean;
  queuePrefix: string;
}

/**
 * A command without its own settings reaches the gateway `start` recorded: the same Redis and queue prefix,
 * and its public URL (unless PORT or SNOWGATE_PUBLIC_URL say otherwise). What the environment sets wins.
 */
function withRecordedGateway(env: NodeJS.ProcessEnv, local: LocalState): { env: NodeJS.ProcessEnv; filled: string[] } {
  const recorded = local.readJson<Partial<RecordedGateway>>(LOCAL_FILES.gateway);
  if (!recorded) return { env, filled: [] };
  const fill: Record<string, string | undefined> = {
    SNOWGATE_PUBLIC_URL: env.PORT ? undefined : recorded.publicUrl,
    REDIS_URL: env.REDIS_CLUSTER ? undefined : recorded.redisUrl,
    REDIS_CLUSTER: env.REDIS_URL ? undefined : recorded.redisCluster === undefined ? undefined : String(recorded.redisCluster),
    SNOWGATE_QUEUE_PREFIX: recorded.queuePrefix,
  };
  const merged = { ...env };
  const filled: string[] = [];
  for (const [name, value] of Object.entries(fill)) {
    if (merged[name] || typeof value !== 'string' || value === '') continue;
    merged[name] = value;
    filled.push(name);
  }
  return { env: merged, filled };
}

/**
 * The one resolution of configuration, shared by `start`, `backfill` and `generate-scripts`: the environment
 * (validated by readEnv), the instances of SNOWGATE_CONFIG, and what `start` keeps in `.snowgate/` when the
 * environment does not say — the encryption key and admin token (0600), and the gateway's public URL, Redis
 * and queue prefix.
 * Throws ConfigError naming the variable or file at fault.
 */
export function resolveConfig(options: ResolveOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const forStart = options.forStart ?? false;
  const local = LocalState.of(options.cwd ?? process.cwd());
  const recorded = forStart ? { env, filled: [] } : withRecordedGateway(env, local);
  const settings = readEnv(recorded.env);
  const configInstances = settings.configPath ? loadInstancesFile(settings.configPath) : [];
  const encryptionKeySource = resolveEncryptionKey(settings, local, forStart);
  const adminTokenSource = resolveAdminToken(settings, local, forStart);
  return { settings, configInstances, local, encryptionKeySource, adminTokenSource, fromRecordedGateway: recorded.filled };
}

/**
 * Records where the gateway `start` just started listens and keeps its data, for the other commands. Only a
 * single-process gateway (`SNOWGATE_ROLE=all`) records itself: the processes of a split deployment (and the
 * benchmarks' gateways) share their settings through the environment. Best effort: a read-only folder only
 * loses the hint.
 */
export function recordGateway(local: LocalState, gateway: RecordedGateway): boolean {
  try {
    local.writeJson(LOCAL_FILES.gateway, gateway);
    return true;
  } catch {
    return false;
  }
}
