import { Counter, Histogram, type Registry } from 'prom-client';
import type { WriteHooks } from '../writes/write-record';

const WORK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const E2E_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800];

/** The metrics of the write direction, on the registry of {@link Metrics} (`metrics.writes`). */
export class WriteMetrics {
  private readonly received: Counter<'instance_id' | 'door' | 'outcome'>;
  private readonly attempts: Counter<'instance_id' | 'outcome' | 'status'>;
  private readonly attemptDuration: Histogram<'outcome'>;
  private readonly endToEnd: Histogram<'instance_id'>;
  private readonly deadLetters: Counter<'instance_id' | 'reason'>;
  private readonly echoes: Counter<'instance_id' | 'handling'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.received = new Counter({ name: 'snowgate_writes_received_total', help: 'Writes posted to the action door and the direct-write route, by outcome', labelNames: ['instance_id', 'door', 'outcome'], registers });
    this.attempts = new Counter({ name: 'snowgate_write_attempts_total', help: 'Write attempts to ServiceNow, by outcome and ServiceNow status (0 = no answer)', labelNames: ['instance_id', 'outcome', 'status'], registers });
    this.attemptDuration = new Histogram({ name: 'snowgate_write_attempt_duration_seconds', help: 'Time of one write attempt', labelNames: ['outcome'], buckets: WORK_BUCKETS, registers });
    this.endToEnd = new Histogram({ name: 'snowgate_write_end_to_end_seconds', help: 'From a write accepted to ServiceNow having it', labelNames: ['instance_id'], buckets: E2E_BUCKETS, registers });
    this.deadLetters = new Counter({ name: 'snowgate_write_dead_letters_total', help: 'Writes given up, by reason', labelNames: ['instance_id', 'reason'], registers });
    this.echoes = new Counter({ name: 'snowgate_own_write_events_total', help: "Changes that snowgate's own writes caused, tagged or suppressed", labelNames: ['instance_id', 'handling'], registers });
  }

  /** A post to a door answered: `queued`, `duplicate`, `filtered` or the error code. */
  receivedAt(instance: string, door: 'action' | 'direct', outcome: string): void {
    this.received.inc({ instance_id: instance, door, outcome });
  }

  /** A change that snowgate wrote came back: `tagged` (snowgatewrite) or `suppressed` (skip_own_writes). */
  echo(instance: string, handling: 'tagged' | 'suppressed'): void {
    this.echoes.inc({ instance_id: instance, handling });
  }

  /** Hooks of the write worker that feed these metrics. */
  hooks(): Required<WriteHooks> {
    return {
      onAttempt: (r) => {
        this.attempts.inc({ instance_id: r.instanceId, outcome: r.outcome, status: String(r.status ?? 0) });
        this.attemptDuration.observe({ outcome: r.outcome }, r.durationMs / 1000);
      },
      onSucceeded: (job, _result, ms) => this.endToEnd.observe({ instance_id: job.instanceId }, ms / 1000),
      onDeadLettered: (entry) => this.deadLetters.inc({ instance_id: entry.instanceId, reason: entry.reason }),
    };
  }
}
