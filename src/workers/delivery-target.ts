import { signCloudElements } from '../events/sign-cloud-elements';
import type { DeliveryTarget } from '../events/send-event';
import { missingSubscriber } from '../events/subscriber-config';
import type { Instance } from '../instances/instance';
import { HELPDESK_HUB } from '../poller/hub-resources';
import { resourceOfTable } from '../poller/resource-of-table';

/** Why an instance's events cannot be sent: it is gone or has notifications off, or its subscriber is not configured. */
export interface UnavailableTarget {
  unavailable: 'not_configured' | 'no_subscriber';
  message: string;
}

/**
 * Where an instance's events go and in which format, looked up at each attempt so that a configuration change
 * applies to retries and replays. A missing callback URL or signature key while notifications are on is
 * `no_subscriber`: the event is kept as a dead letter for replay, never dropped.
 */
export function deliveryTarget(instance: Instance | undefined, instanceId: string): DeliveryTarget | UnavailableTarget {
  if (!instance) return { unavailable: 'not_configured', message: `unknown instance ${instanceId}` };
  if (!instance.events.enabled) return { unavailable: 'not_configured', message: `event notifications are disabled for ${instanceId}` };
  const missing = missingSubscriber(instance);
  if (missing) return { unavailable: 'no_subscriber', message: missing };
  const { callbackUrl, signatureKey, allowPrivateTargets, format } = instance.events;
  const target: DeliveryTarget = { callbackUrl: callbackUrl!, signatureKey: signatureKey!, allowPrivateTargets };
  if (format === 'cloud-elements') {
    const ctx = {
      instanceId: instance.id,
      instanceName: instance.name,
      instanceTags: instance.tags,
      elementKey: instance.element ?? (instance.auth.type === 'basic' ? 'servicenow' : 'servicenowoauth'),
      hubKey: HELPDESK_HUB,
      resourceOf: (table: string) => resourceOfTable(instance, table),
    };
    target.encode = (event, _now, userAgent) => signCloudElements(event, signatureKey!, ctx, userAgent);
  }
  return target;
}
