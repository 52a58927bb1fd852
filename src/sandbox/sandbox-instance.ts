import crypto from 'node:crypto';
import type { InstanceDefinition } from '../instances/instance';

/** Secrets of the sandbox, fresh at every start unless given. */
export interface SandboxSecrets {
  webhookSecret: string;
  webhookBearerToken: string;
  signatureKey: string;
}

export function newSandboxSecrets(): SandboxSecrets {
  const whsec = () => 'whsec_' + crypto.randomBytes(32).toString('base64');
  return { webhookSecret: whsec(), webhookBearerToken: crypto.randomBytes(24).toString('base64url'), signatureKey: whsec() };
}

/**
 * The demo instance `sandbox`: the embedded simulator as ServiceNow (client-credentials OAuth with the
 * seeded client), webhooks and polling on, events delivered to the built-in receiver.
 */
export function sandboxInstanceDefinition(simulatorUrl: string, gatewayUrl: string, secrets: SandboxSecrets): InstanceDefinition {
  return {
    id: 'sandbox',
    name: 'sandbox',
    tags: ['sandbox'],
    configuration: {
      'servicenow.instance_url': simulatorUrl,
      'servicenow.allow_private_targets': true,
      'authentication.type': 'oauth2_client_credentials',
      'oauth.api.key': 'sandbox-client',
      'oauth.api.secret': 'sandbox-secret',
      capabilities: ['helpdesk'],
      'webhook.secret': secrets.webhookSecret,
      'webhook.bearer_token': secrets.webhookBearerToken,
      'event.notification.enabled': true,
      'event.vendor.type': 'webhooks',
      'event.notification.callback.url': `${gatewayUrl}/sandbox/receiver`,
      'event.notification.signature.key': secrets.signatureKey,
      'event.notification.allow_private_targets': true,
      'event.poller.refresh_interval': '0.5',
    },
  };
}
