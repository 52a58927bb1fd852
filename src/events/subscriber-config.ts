import type { Instance } from '../instances/instance';

/**
 * Whether an instance's events have somewhere to go: `ok`; `not_configured` — notifications are on but the
 * callback URL or signature key is missing (events are dead-lettered `no_subscriber`, replayable once it is
 * set); `off` — notifications are disabled.
 */
export type SubscriberState = 'ok' | 'not_configured' | 'off';

export function subscriberState(instance: Instance): SubscriberState {
  if (!instance.events.enabled) return 'off';
  return instance.events.callbackUrl && instance.events.signatureKey ? 'ok' : 'not_configured';
}

/** What is missing for `not_configured`, in words. */
export function missingSubscriber(instance: Instance): string | undefined {
  if (!instance.events.enabled) return undefined;
  if (!instance.events.callbackUrl) return `instance ${instance.id} has no event.notification.callback.url`;
  if (!instance.events.signatureKey) return `instance ${instance.id} has no event.notification.signature.key`;
  return undefined;
}
