import type { DeliveryHooks } from '../events/delivery-record';
import type { Metrics } from './metrics';

/**
 * Delivery hooks that feed the metrics: each attempt (`snowgate_deliveries_total`, attempt time),
 * each delivered event (`snowgate_end_to_end_seconds` from its CloudEvent `time`, i.e. sys_updated_on)
 * and each dead letter.
 */
export function deliveryMetricsHooks(metrics: Metrics): Required<Omit<DeliveryHooks, 'onHeld'>> {
  return {
    onAttempt: (report) => metrics.delivery(report.instanceId, report.kind, report.durationMs / 1000),
    onDelivered: (event) => {
      const instanceId = String((event as unknown as Record<string, unknown>).snowgateinstance ?? instanceFromSource(event.source));
      if (event.time) metrics.endToEnd(instanceId, event.type, event.time);
    },
    onDeadLettered: (entry) => metrics.deadLettered(entry.instanceId, entry.reason),
  };
}

/** `https://acme.service-now.com/table` → `acme.service-now.com` when the event carries no instance id. */
function instanceFromSource(source: string): string {
  try {
    return new URL(source).hostname;
  } catch {
    return 'unknown';
  }
}

/**
 * The webhook door's `onOutcome` callback (webhook-routes) feeding `snowgate_webhooks_received_total`
 * and `snowgate_ingest_duration_seconds`.
 */
export function webhookOutcomeHook(metrics: Metrics): (instanceId: string, table: string, outcome: string, startedAt: bigint) => void {
  return (instanceId, table, outcome, startedAt) =>
    metrics.webhookReceived(instanceId, table, outcome, Number(process.hrtime.bigint() - startedAt) / 1e9);
}
