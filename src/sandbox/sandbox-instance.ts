import crypto from 'node:crypto';
import type { InstanceDefinition } from '../instances/instance';

/** The id of the demo instance the sandbox adds. */
export const SANDBOX_INSTANCE_ID = 'sandbox';

/** The sandbox's secrets: made once and kept in `.snowgate/sandbox.json`, so printed curl lines stay valid across restarts. */
export interface SandboxSecrets {
  webhookSecret: string;
  webhookBearerToken: string;
  signatureKey: string;
}

export function newSandboxSecrets(): SandboxSecrets {
  const whsec = () => 'whsec_' + crypto.randomBytes(32).toString('base64');
  return { webhookSecret: whsec(), webhookBearerToken: crypto.randomBytes(24).toString('base64url'), signatureKey: whsec() };
}

/** The demo action: an access-management event becomes an incident (the template of issue 13). */
const CREATE_INCIDENT = {
  table: 'incident',
  operation: 'insert' as const,
  body: {
    caused_by: '{{ data.requester.name }}',
    short_description: '{{ data.access_groups.[0].integration.name }}',
    cause: '{{ event_type }}',
    description: '{ "event_type": "{{ event_type }}", "id": "{{ data.id }}", "requester_email": "{{ data.requester.email }}", "justification": "{{ data.justification }}" }',
    reopened_by: 'apono app',
  },
  triggers: { field: 'event_type', in: ['RequestCreated', 'RequestApproved', 'RequestRejected', 'RequestGranted', 'RequestExpired', 'RequestFailed', 'Manual'] },
};

/**
 * The demo instance `sandbox`: the embedded simulator as ServiceNow (client-credentials OAuth with the
 * seeded client), webhooks and polling on, events delivered to the built-in receiver, and the action
 * `create-incident` (posted to with the webhook bearer token).
 */
export function sandboxInstanceDefinition(simulatorUrl: string, gatewayUrl: string, secrets: SandboxSecrets): InstanceDefinition {
  return {
    id: SANDBOX_INSTANCE_ID,
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
    actions: { 'create-incident': { ...CREATE_INCIDENT, auth: { bearer_token: secrets.webhookBearerToken } } },
  };
}
