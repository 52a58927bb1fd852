import crypto from 'node:crypto';
import type { Queue } from 'bullmq';
import { readEnv, type EnvSettings } from '../../src/config/env';
import type { InstanceDefinition } from '../../src/instances/instance';
import { InstanceStore } from '../../src/instances/instance-store';
import { parseInstance } from '../../src/instances/parse-instance';
import { silentLogger, type Logger } from '../../src/lib/logger';
import { startSnowgate, type RunningSnowgate } from '../../src/main';
import { Metrics } from '../../src/ops/metrics';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';

export const ADMIN_TOKEN = 'ops-admin-token-0123456789';
/** One key for every "process" of a test, as SNOWGATE_ENCRYPTION_KEY would be. */
export const ENCRYPTION_KEY = crypto.randomBytes(32).toString('base64');

export interface OpsGatewayOptions {
  prefix?: string;
  redisUrl?: string;
  configInstances?: InstanceDefinition[];
  /** Default: a silent one. */
  logger?: Logger;
}

export interface OpsGateway {
  url: string;
  prefix: string;
  settings: EnvSettings;
  snowgate: RunningSnowgate;
  store: InstanceStore;
  metrics: Metrics;
  queues: Queue[];
  close(): Promise<void>;
}

/** A real gateway (api role) as main.ts wires it: the instance store synced into its registry, the admin and ops routes mounted. */
export async function startOpsGateway(options: OpsGatewayOptions = {}): Promise<OpsGateway> {
  const prefix = options.prefix ?? uniquePrefix('ops');
  const redisUrl = options.redisUrl ?? SHARED_REDIS_URL;
  const settings = readEnv({
    PORT: '0', HOST: '127.0.0.1', REDIS_URL: redisUrl, SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_ADMIN_TOKEN: ADMIN_TOKEN,
    SNOWGATE_ENCRYPTION_KEY: ENCRYPTION_KEY, SNOWGATE_ROLE: 'api', LOG_LEVEL: 'silent', SNOWGATE_PUBLIC_URL: 'https://gw.example.com',
  });
  const configInstances = (options.configInstances ?? []).map((d) => parseInstance(d));
  const snowgate = await startSnowgate({ settings, instances: configInstances, logger: options.logger ?? silentLogger });
  return {
    url: snowgate.http?.url ?? '',
    prefix,
    settings,
    snowgate,
    store: snowgate.store,
    metrics: snowgate.metrics,
    queues: snowgate.opsQueues,
    close: async () => {
      await Promise.all(snowgate.opsQueues.map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await snowgate.close();
      await deleteKeys(redisUrl, `${prefix}*`);
    },
  };
}

/** A valid instance body (basic auth against a fake ServiceNow). */
export function instanceBody(name: string, configuration: Record<string, unknown> = {}): InstanceDefinition {
  return {
    name,
    tags: ['test'],
    configuration: {
      'servicenow.instance_url': 'https://acme.service-now.com',
      'authentication.type': 'basic',
      username: 'admin',
      password: 'pa55word-very-secret',
      ...configuration,
    },
  };
}
