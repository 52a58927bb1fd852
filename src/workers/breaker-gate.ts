import type { Queue } from 'bullmq';
import type { AttemptOutcome } from '../events/delivery-outcome';
import type { Admission, BreakerTransition, SubscriberBreaker } from '../events/subscriber-breaker';
import type { Logger } from '../lib/logger';
import { releaseDeliveries } from '../queues/held-deliveries';

/** What the gate needs. */
export interface BreakerGateOptions {
  breaker: SubscriberBreaker;
  /** The `deliver` queue: held deliveries wait in its delayed set and are woken from there. */
  deliveries: Pick<Queue, 'getJob'>;
  logger: Logger;
  /** Called on every transition (metrics). Must not throw. */
  onTransition?: (instanceId: string, to: NonNullable<BreakerTransition['to']>) => void;
  /** How long the inline path reuses a breaker's state read from Redis. Default 1000 ms. */
  stateTtlMs?: number;
  /** How often the prober looks for breakers due a probe. Default: half the open time, 50 ms to 1 s. */
  tickMs?: number;
}

/**
 * The subscriber breaker as the workers use it: admits or holds deliveries, records what each send did,
 * wakes the held deliveries when the breaker closes, and — every `tickMs`, in every worker process — wakes
 * the delivery chosen as the probe once a breaker's open time is over. A held delivery also wakes by itself
 * after {@link holdRecheckMs}, should a wake-up be lost with a dying process.
 */
export class BreakerGate {
  private readonly seen = new Map<string, { clean: boolean; closed: boolean; until: number }>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(private readonly o: BreakerGateOptions) {}

  /** How long a held delivery sleeps before looking again by itself: six times the longest open time (1 h by default). */
  get holdRecheckMs(): number {
    return 6 * this.o.breaker.settings.maxOpenMs;
  }

  admit(instanceId: string, jobId: string): Promise<Admission> {
    return this.o.breaker.admit(instanceId, jobId);
  }

  hold(instanceId: string, jobId: string): Promise<void> {
    return this.o.breaker.hold(instanceId, jobId);
  }

  forget(instanceId: string, jobId: string): Promise<void> {
    return this.o.breaker.forget(instanceId, jobId);
  }

  isClosed(instanceId: string): Promise<boolean> {
    return this.o.breaker.isClosed(instanceId);
  }

  /** For the inline first attempt: whether the breaker is closed, read from Redis at most once per `stateTtlMs`. */
  async allowsInline(instanceId: string, now = Date.now()): Promise<boolean> {
    const known = this.seen.get(instanceId);
    if (known && now < known.until) return known.closed;
    const [state] = await this.o.breaker.states([instanceId]);
    this.seen.set(instanceId, { closed: state.state === 'closed', clean: state.state === 'closed' && state.failures === 0, until: now + (this.o.stateTtlMs ?? 1000) });
    return state.state === 'closed';
  }

  /**
   * Records a send: a retryable failure counts against the subscriber; any other HTTP answer clears it. A send
   * that reached nobody (refused target, bad configuration) is not the subscriber's doing and is not recorded.
   * With `inline`, a success on a breaker last seen clean is not written (the hot path stays one request).
   */
  async record(instanceId: string, jobId: string, outcome: AttemptOutcome, { inline = false } = {}): Promise<void> {
    if (outcome.kind !== 'retryable' && outcome.status === undefined) return;
    const answered = outcome.kind !== 'retryable';
    if (inline && answered && this.seen.get(instanceId)?.clean) return;
    const transition = await this.o.breaker.record(instanceId, jobId, answered);
    this.seen.delete(instanceId);
    if (transition.to) this.transitioned(instanceId, transition);
  }

  /** Starts the prober. */
  start(): void {
    const tickMs = this.o.tickMs ?? Math.min(1000, Math.max(50, this.o.breaker.settings.openMs / 2));
    this.timer = setInterval(() => {
      this.ticking ??= this.probeDue().finally(() => (this.ticking = undefined));
    }, tickMs);
    this.timer.unref();
  }

  /** Stops the prober (and waits for a round in progress). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  private async probeDue(): Promise<void> {
    try {
      const probes = await this.o.breaker.claimDueProbes();
      if (probes.length > 0) await releaseDeliveries(this.o.deliveries, probes.map((p) => p.jobId));
    } catch (err) {
      this.o.logger.debug('breaker prober round failed', { err: (err as Error).message });
    }
  }

  private transitioned(instanceId: string, transition: BreakerTransition): void {
    const to = transition.to!;
    try {
      this.o.onTransition?.(instanceId, to);
    } catch {
      // a metrics hook must never break delivery
    }
    if (to === 'opened') this.o.logger.warn('subscriber circuit breaker opened: deliveries held until a probe succeeds', { instanceId });
    if (to === 'reopened') this.o.logger.info('subscriber still failing: breaker open again', { instanceId });
    if (to !== 'closed') return;
    this.o.logger.info('subscriber circuit breaker closed: held deliveries released', { instanceId, released: transition.released.length });
    releaseDeliveries(this.o.deliveries, transition.released).catch((err: Error) =>
      this.o.logger.warn('could not wake held deliveries (they wake by themselves later)', { instanceId, err: err.message }),
    );
  }
}
