import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadInstancesFile } from '../config/load-instances-file';
import { readEnv } from '../config/env';
import type { Instance } from '../instances/instance';
import { parseInstance } from '../instances/parse-instance';
import { ensureRedis } from '../lib/ensure-redis';
import { createLogger, type Logger } from '../lib/logger';
import { startSnowgate, type RunningSnowgate } from '../main';
import { startSandbox, printSandboxBanner, type Sandbox } from '../sandbox/start-sandbox';

/** Where `npm start` keeps its private Redis data and sandbox state. */
export const DATA_DIR = path.resolve(process.cwd(), '.snowgate');

/**
 * Without SNOWGATE_ENCRYPTION_KEY a single local process keeps one key in `.snowgate/encryption-key`
 * (mode 0600), so tokens and instances stored in Redis survive a restart. Several processes must share
 * SNOWGATE_ENCRYPTION_KEY instead.
 */
function localEncryptionKey(logger: Logger): Buffer {
  const file = path.join(DATA_DIR, 'encryption-key');
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
  }
  const key = crypto.randomBytes(32);
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  logger.warn(`SNOWGATE_ENCRYPTION_KEY is not set: generated one in ${file}; set SNOWGATE_ENCRYPTION_KEY (openssl rand -base64 32) when running several processes`);
  return key;
}

/**
 * `snowgate start` / `npm start`: read the environment and the config file, make sure Redis answers
 * (starting a private one if allowed), start the sandbox when no instance is configured, then the roles.
 */
export async function runStartCommand(): Promise<RunningSnowgate> {
  const settings = readEnv();
  const logger = createLogger(settings.logLevel);
  if (settings.encryptionKeyGenerated) settings.encryptionKey = localEncryptionKey(logger);
  const redisChild = await ensureRedis(settings.redisUrl, settings.redisUrlExplicit || settings.redisCluster, path.join(DATA_DIR, 'redis'), logger);

  const instances: Instance[] = settings.configPath ? loadInstancesFile(settings.configPath) : [];
  const useSandbox = settings.sandbox ?? instances.length === 0;
  let sandbox: Sandbox | undefined;
  if (useSandbox) {
    sandbox = await startSandbox(settings, logger);
    instances.push(parseInstance(sandbox.instanceDefinition));
  }

  const snowgate = await startSnowgate({ settings, instances, logger, routers: (parts) => sandbox?.routers(parts) ?? [] });
  if (redisChild) snowgate.shutdown.add('private redis-server', () => void redisChild.kill('SIGTERM'));
  if (sandbox) {
    snowgate.shutdown.add('sandbox', () => sandbox?.close());
    await sandbox.connect(snowgate);
    printSandboxBanner(settings, sandbox, snowgate);
  } else if (settings.adminTokenGenerated) {
    logger.warn('SNOWGATE_ADMIN_TOKEN is not set: generated one for this run', { hint: 'set SNOWGATE_ADMIN_TOKEN to keep it stable' });
    process.stdout.write(`admin token for this run: ${settings.adminToken}\n`);
  }
  snowgate.shutdown.onSignals();
  return snowgate;
}
