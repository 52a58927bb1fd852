import type { Router } from 'express';
import type { EnvSettings } from '../config/env';
import type { InstanceDefinition } from '../instances/instance';
import type { Logger } from '../lib/logger';
import type { RunningSnowgate, SnowgateParts } from '../main';
import { startSimulator, type Simulator } from '../simulator';
import { createEventReceiverRoutes, ReceivedEventStore } from './event-receiver';
import { forgetSandboxHistory } from './forget-sandbox-history';
import { newSandboxSecrets, sandboxInstanceDefinition, type SandboxSecrets } from './sandbox-instance';

/** The embedded sandbox: a simulated ServiceNow, the demo instance on it, and the built-in event receiver. */
export interface Sandbox {
  simulator: Simulator;
  secrets: SandboxSecrets;
  instanceDefinition: InstanceDefinition;
  /** Routers the gateway mounts: `/sandbox/receiver` and `/sandbox/events`. */
  routers(parts: SnowgateParts): Router[];
  /** Forgets earlier runs' sandbox history and points the simulator's business rules at the running gateway. */
  connect(snowgate: RunningSnowgate): Promise<void>;
  close(): Promise<void>;
}

/** The gateway's own address as the simulator and the receiver reach it (loopback, the real port). */
function localGatewayUrl(settings: EnvSettings): string {
  return `http://127.0.0.1:${settings.port}`;
}

export async function startSandbox(settings: EnvSettings, logger: Logger): Promise<Sandbox> {
  const simulator = await startSimulator({ port: Number(process.env.SNOWGATE_SIMULATOR_PORT ?? 0), logger, knobs: { clientCredentialsEnabled: true } });
  const secrets = newSandboxSecrets();
  const store = new ReceivedEventStore();
  const instanceDefinition = sandboxInstanceDefinition(simulator.url, localGatewayUrl(settings), secrets);
  logger.info('sandbox: ServiceNow simulator started', { url: simulator.url });
  return {
    simulator,
    secrets,
    instanceDefinition,
    routers: () => [createEventReceiverRoutes({ signatureKey: secrets.signatureKey, store })],
    connect: async (snowgate) => {
      const forgotten = await forgetSandboxHistory(snowgate.commands, settings.queuePrefix);
      if (forgotten) logger.info('sandbox: forgot the previous run\'s sandbox changes (its ServiceNow starts fresh too)', { keys: forgotten });
      const port = snowgate.http?.port ?? settings.port;
      simulator.setWebhookTarget({ gatewayUrl: `http://127.0.0.1:${port}`, instanceId: 'sandbox', secret: secrets.webhookSecret });
    },
    close: () => simulator.close(),
  };
}

/** What a new user needs to try the sandbox, printed once at start. */
export function printSandboxBanner(settings: EnvSettings, sandbox: Sandbox, snowgate: RunningSnowgate): void {
  const url = snowgate.http?.url ?? settings.publicUrl;
  const sim = sandbox.simulator.url;
  const webhookUrl = `${url}/webhooks/sandbox/sn_customerservice_case`;
  const caseId = sandbox.simulator.store.list('sn_customerservice_case')[0]?.sys_id ?? '<case sys_id>';
  const lines = [
    '',
    'snowgate sandbox is running',
    `  gateway            ${url}`,
    `  ServiceNow (sim)   ${sim}   (OAuth client sandbox-client / sandbox-secret, user admin / admin)`,
    `  webhook URL        ${webhookUrl}`,
    `  webhook secret     ${sandbox.secrets.webhookSecret}`,
    `  webhook bearer     ${sandbox.secrets.webhookBearerToken}   (for senders that cannot sign)`,
    `  admin token        ${settings.adminToken}`,
    `  delivered events   ${url}/sandbox/events`,
    `  queue dashboard    ${url}/ops/queues?token=${encodeURIComponent(settings.adminToken)}`,
    '',
    'Change a case in the simulated ServiceNow; its business rule posts the signed webhook, and the event shows up at /sandbox/events:',
    `  curl -s -u admin:admin -X PATCH -H 'Content-Type: application/json' -H 'Accept: application/json' \\`,
    `       -d '{"short_description":"Printer on fire","priority":"1"}' ${sim}/api/now/table/sn_customerservice_case/${caseId}`,
    'Or post a webhook yourself (bearer token instead of a signature):',
    `  curl -s -X POST ${webhookUrl} -H 'Content-Type: application/json' -H 'Authorization: Bearer ${sandbox.secrets.webhookBearerToken}' \\`,
    `       -d '{"table":"sn_customerservice_case","sys_id":"${caseId}","operation":"update","sys_updated_on":"2026-11-22 10:00:00","sys_mod_count":"99","record":{"number":"CS0001001"}}'`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
