import type { InstanceDefinition } from '../../src/instances/instance';
import { startSimulator, type Simulator, type SimulatorKnobs } from '../../src/simulator';
import { startEventSubscriber, type EventSubscriber, type ScriptedResponse } from './event-subscriber';
import { startTestGateway, type TestGateway } from './test-gateway';
import { newSecret } from './webhook-signing';

export interface TestPipeline {
  sim: Simulator;
  gateway: TestGateway;
  subscriber: EventSubscriber;
  instanceId: string;
  webhookSecret: string;
  signatureKey: string;
  close(): Promise<void>;
}

export interface TestPipelineOptions {
  /** Extra instance configuration keys (e.g. polling). */
  configuration?: Record<string, unknown>;
  /** The instance's actions (writes into ServiceNow). */
  actions?: InstanceDefinition['actions'];
  knobs?: Partial<SimulatorKnobs>;
  responses?: ScriptedResponse[];
  /** Point the simulator's business rules at the gateway (default true). */
  webhooks?: boolean;
  env?: Record<string, string>;
  redisUrl?: string;
}

/** Basic auth of the simulator's seeded admin user. */
export const SIM_ADMIN_AUTH = 'Basic ' + Buffer.from('admin:admin').toString('base64');

/** Changes a case through the simulator's Table API as its admin (so its business rule fires); resolves with the updated record. */
export async function patchCase(simulatorUrl: string, sysId: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${simulatorUrl}/api/now/table/sn_customerservice_case/${sysId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SIM_ADMIN_AUTH },
    body: JSON.stringify(fields),
  });
  if (res.status !== 200) throw new Error(`PATCH of case ${sysId} answered ${res.status}`);
  return ((await res.json()) as { result: Record<string, unknown> }).result;
}

/** The test instance `acme`: the simulator's sandbox OAuth client, webhooks signed with `webhookSecret`, events to the subscriber. */
export function acmeInstance(o: { simulatorUrl: string; subscriberUrl: string; webhookSecret: string; signatureKey: string; configuration?: Record<string, unknown> }): InstanceDefinition {
  return {
    id: 'acme',
    name: 'acme',
    configuration: {
      'servicenow.instance_url': o.simulatorUrl,
      'servicenow.allow_private_targets': true,
      'authentication.type': 'oauth2_client_credentials',
      'oauth.api.key': 'sandbox-client',
      'oauth.api.secret': 'sandbox-secret',
      'webhook.secret': o.webhookSecret,
      'event.notification.callback.url': o.subscriberUrl,
      'event.notification.signature.key': o.signatureKey,
      'event.notification.allow_private_targets': true,
      ...o.configuration,
    },
  };
}

/**
 * The whole walk on real parts: the ServiceNow simulator, a gateway playing every role on real Redis
 * (own prefix), and a local subscriber verifying signatures — an instance `acme` connecting them.
 */
export async function startTestPipeline(options: TestPipelineOptions = {}): Promise<TestPipeline> {
  const sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true, ...options.knobs } });
  const webhookSecret = newSecret();
  const signatureKey = newSecret();
  const subscriber = await startEventSubscriber({ signatureKey, responses: options.responses });
  const instance = { ...acmeInstance({ simulatorUrl: sim.url, subscriberUrl: subscriber.url, webhookSecret, signatureKey, configuration: options.configuration }), ...(options.actions ? { actions: options.actions } : {}) };
  const gateway = await startTestGateway({ instances: [instance], role: 'all', env: options.env, redisUrl: options.redisUrl });
  if (options.webhooks !== false) sim.setWebhookTarget({ gatewayUrl: gateway.url, instanceId: 'acme', secret: webhookSecret });
  return {
    sim,
    gateway,
    subscriber,
    instanceId: 'acme',
    webhookSecret,
    signatureKey,
    close: async () => {
      sim.setWebhookTarget(null);
      await gateway.close();
      await subscriber.close();
      await sim.close();
    },
  };
}
