import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { EnvSettings } from '../config/env';
import { recordGateway, resolveConfig, type ResolvedConfig } from '../config/resolve-config';
import type { Instance } from '../instances/instance';
import { InstanceStore } from '../instances/instance-store';
import { parseInstance } from '../instances/parse-instance';
import { ensureRedis } from '../lib/ensure-redis';
import { createLogger, type Logger } from '../lib/logger';
import { checkPort, listenError } from '../lib/port-check';
import { closeRedis, connectRedis } from '../lib/redis-connections';
import { Shutdown } from '../lib/shutdown';
import { startSnowgate, type RunningSnowgate } from '../main';
import { forgetSandboxHistory } from '../sandbox/forget-sandbox-history';
import { PartitionLayout } from '../queues/partition-layout';
import { sandboxBanner } from '../sandbox/sandbox-banner';
import { decideSandbox, type SandboxDecision } from '../sandbox/sandbox-decision';
import { startSandbox, type Sandbox } from '../sandbox/start-sandbox';

/** How `start` runs (tests give their own environment, folder and output). */
export interface StartOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Whose `.snowgate/` is used. Default process.cwd(). */
  cwd?: string;
  /** Close on SIGTERM / SIGINT and exit. Default true. */
  handleSignals?: boolean;
  /** Where the sandbox banner goes. Default stdout. */
  print?: (text: string) => void;
}

/** A running `start`: the gateway and, when it runs, the sandbox. */
export interface StartedGateway {
  snowgate: RunningSnowgate;
  sandbox?: Sandbox;
  decision: SandboxDecision;
}

function noteGenerated(resolved: ResolvedConfig, logger: Logger): void {
  if (resolved.encryptionKeySource === 'created') {
    logger.warn(`SNOWGATE_ENCRYPTION_KEY is not set: generated one in ${resolved.local.file('encryption-key')}; set SNOWGATE_ENCRYPTION_KEY (openssl rand -base64 32) when running several processes`);
  }
  if (resolved.adminTokenSource === 'created' || resolved.adminTokenSource === 'local') {
    logger.info(`SNOWGATE_ADMIN_TOKEN is not set: using the one kept in ${resolved.local.file('admin-token')}`);
  }
}

/** Instances created through the admin API, counted (readable or not) before the sandbox is decided. */
async function countStoredInstances(settings: EnvSettings): Promise<number> {
  const target = { url: settings.redisUrl, cluster: settings.redisCluster };
  const redis = connectRedis(target, 'worker');
  redis.on('error', () => undefined);
  try {
    const store = new InstanceStore({ redis, target, prefix: settings.queuePrefix, encryptionKey: settings.encryptionKey });
    return await redis.hlen(store.hashKey);
  } finally {
    await closeRedis(redis);
  }
}

async function dropPreviousSandboxRun(settings: EnvSettings, logger: Logger): Promise<number> {
  const redis = connectRedis({ url: settings.redisUrl, cluster: settings.redisCluster }, 'worker');
  redis.on('error', () => undefined);
  try {
    const forgotten = await forgetSandboxHistory(redis, new PartitionLayout(settings.queuePrefix, settings.partitions));
    if (forgotten.jobs || forgotten.keys) logger.info('sandbox: dropped the previous run whole (its ServiceNow starts fresh too)', { ...forgotten });
    return forgotten.jobs;
  } finally {
    await closeRedis(redis);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * `snowgate start` / `npm start`. Starts, in order: the port check, Redis (a private one if allowed), the
 * sandbox when {@link decideSandbox} says so (dropping the previous sandbox run before any worker runs), then
 * the gateway's roles — all on one shutdown, so SIGINT stops them in reverse: the gateway's workers finish
 * their enrichments while the simulator they read still answers.
 */
export async function runStartCommand(options: StartOptions = {}): Promise<StartedGateway> {
  const env = options.env ?? process.env;
  const resolved = resolveConfig({ env, cwd: options.cwd, forStart: true });
  const { settings, local } = resolved;
  const logger = createLogger(settings.logLevel);
  noteGenerated(resolved, logger);
  const shutdown = new Shutdown(logger);
  try {
    settings.port = await checkPort(settings.port, settings.host, 'PORT');
    if (!env.SNOWGATE_PUBLIC_URL) settings.publicUrl = `http://localhost:${settings.port}`;
    const redisChild = await ensureRedis(settings.redisUrl, settings.redisUrlExplicit || settings.redisCluster, path.join(local.dir, 'redis'), logger);
    if (redisChild) shutdown.add('private redis-server', () => stopChild(redisChild));

    const decision = decideSandbox({
      forced: settings.sandbox,
      role: settings.role,
      configPath: settings.configPath,
      configInstances: resolved.configInstances.length,
      storedInstances: await countStoredInstances(settings),
    });
    logger.info(`sandbox ${decision.on ? 'on' : 'off'}: ${decision.reason}`);
    const instances: Instance[] = [...resolved.configInstances];
    let sandbox: Sandbox | undefined;
    let droppedJobs = 0;
    if (decision.on) {
      droppedJobs = await dropPreviousSandboxRun(settings, logger);
      sandbox = await startSandbox(settings, logger, local);
      shutdown.add('sandbox simulator', () => sandbox?.close());
      instances.push(parseInstance(sandbox.instanceDefinition));
    }

    const snowgate = await startSnowgate({ settings, instances, logger, shutdown, routers: () => sandbox?.routers() ?? [] }).catch((err: unknown) => {
      throw listenError(err, settings.port, 'PORT');
    });
    const gatewayUrl = snowgate.http?.url ?? settings.publicUrl;
    if (settings.role === 'all') recordGateway(local, {
      publicUrl: env.SNOWGATE_PUBLIC_URL ? settings.publicUrl : gatewayUrl,
      redisUrl: settings.redisUrl,
      redisCluster: settings.redisCluster,
      queuePrefix: settings.queuePrefix,
    });
    if (sandbox) {
      sandbox.connect();
      const banner = sandboxBanner(sandbox, { settings, adminTokenSource: resolved.adminTokenSource, gatewayUrl, droppedJobs, stateDir: local.dir });
      (options.print ?? ((text) => process.stdout.write(text)))(banner);
    }
    if (options.handleSignals ?? true) shutdown.onSignals();
    return { snowgate, sandbox, decision };
  } catch (err) {
    await shutdown.run('start failed');
    throw err;
  }
}
