import type { Router } from 'express';
import type { EnvSettings } from '../config/env';
import type { LocalState } from '../config/local-state';
import type { InstanceDefinition } from '../instances/instance';
import type { Logger } from '../lib/logger';
import { listenError } from '../lib/port-check';
import { startSimulator, type Simulator } from '../simulator';
import { createEventReceiverRoutes, ReceivedEventStore } from './event-receiver';
import { recordSandboxRun, sandboxSecrets } from './sandbox-identity';
import { SANDBOX_INSTANCE_ID, sandboxInstanceDefinition, type SandboxSecrets } from './sandbox-instance';

/** The embedded sandbox: a simulated ServiceNow, the demo instance on it, and the built-in event receiver. */
export interface Sandbox {
  simulator: Simulator;
  secrets: SandboxSecrets;
  instanceDefinition: InstanceDefinition;
  /** The gateway as the simulator and the receiver reach it. */
  gatewayUrl: string;
  /** Routers the gateway mounts: `/sandbox/receiver` and `/sandbox/events`. */
  routers(): Router[];
  /** Points the simulator's business rules at the running gateway and records this run in `.snowgate/`. */
  connect(): void;
  close(): Promise<void>;
}

/**
 * Starts the sandbox's simulator on SNOWGATE_SIMULATOR_PORT (default 3100) with the secrets kept in
 * `.snowgate/sandbox.json`. `settings.port` must be the port the gateway will listen on (not 0): the demo
 * instance delivers its events to the gateway's own receiver.
 */
export async function startSandbox(settings: EnvSettings, logger: Logger, local: LocalState): Promise<Sandbox> {
  const simulator = await startSimulator({ port: settings.simulatorPort, logger, knobs: { clientCredentialsEnabled: true } }).catch((err: unknown) => {
    throw listenError(err, settings.simulatorPort, 'SNOWGATE_SIMULATOR_PORT');
  });
  const secrets = sandboxSecrets(local);
  const store = new ReceivedEventStore();
  const gatewayUrl = `http://127.0.0.1:${settings.port}`;
  logger.info('sandbox: ServiceNow simulator started', { url: simulator.url });
  return {
    simulator,
    secrets,
    gatewayUrl,
    instanceDefinition: sandboxInstanceDefinition(simulator.url, gatewayUrl, secrets),
    routers: () => [createEventReceiverRoutes({ signatureKey: secrets.signatureKey, store, eventLogUrl: settings.eventLog.maxPerInstance > 0 ? `/ops/events?instance=${SANDBOX_INSTANCE_ID}` : undefined })],
    connect: () => {
      simulator.setWebhookTarget({ gatewayUrl, instanceId: SANDBOX_INSTANCE_ID, secret: secrets.webhookSecret });
      recordSandboxRun(local, secrets, { simulatorUrl: simulator.url, gatewayUrl });
    },
    close: () => simulator.close(),
  };
}
