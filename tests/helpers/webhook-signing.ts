import { Webhook } from 'standardwebhooks';
import type { InstanceDefinition } from '../../src/instances/instance';

/** A fresh `whsec_` secret. */
export function newSecret(): string {
  return 'whsec_' + Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64');
}

/** Standard Webhooks headers for a body, as a ServiceNow business rule sends them. */
export function signedHeaders(secret: string, id: string, body: string, timestamp = new Date()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
}

let counter = 0;

/** A valid case webhook body (unique sys_id unless given). */
export function caseBody(overrides: { sysId?: string; modCount?: number; operation?: string; record?: Record<string, string> } = {}): string {
  counter += 1;
  const sysId = overrides.sysId ?? (Date.now().toString(16) + counter.toString(16).padStart(8, '0')).padEnd(32, 'a').slice(0, 32);
  return JSON.stringify({
    table: 'sn_customerservice_case',
    sys_id: sysId,
    operation: overrides.operation ?? 'update',
    sys_updated_on: '2026-11-22 10:00:00',
    sys_mod_count: String(overrides.modCount ?? 1),
    record: { number: 'CS0001001', short_description: 'Printer on fire', state: '10', priority: '2', ...overrides.record },
  });
}

/** An instance whose webhooks are signed with `secret` (ServiceNow and the subscriber are placeholders, nothing is enriched). */
export function webhookInstance(id: string, secret: string, extra: Record<string, unknown> = {}): InstanceDefinition {
  return {
    id,
    name: id,
    configuration: {
      'servicenow.instance_url': 'https://acme.service-now.com',
      'oauth.api.key': 'client',
      'oauth.api.secret': 'client-secret',
      'webhook.secret': secret,
      'event.notification.callback.url': 'https://consumer.example.com/events',
      ...extra,
    },
  };
}
