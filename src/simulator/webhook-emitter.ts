import { GENERIC_WEBHOOK_FIELDS, WEBHOOK_FIELDS, webhookIdFor } from '../ingest/webhook-fields';
import type { Logger } from '../lib/logger';
import type { RecordChange } from './record-store';
import type { SimulatorStats } from './simulator-stats';
import { post } from './http-post';
import { WebhookSigner } from '../lib/webhook-signer';

/** Where the simulated business rules send their webhooks. */
export interface WebhookTarget {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:3000` (the path `/webhooks/{instanceId}/{table}` is appended). */
  gatewayUrl: string;
  instanceId: string;
  /** `whsec_<base64>` signing secret. */
  secret: string;
  /** Tables that have a business rule. Default: sn_customerservice_case, sys_journal_field, sys_attachment. */
  tables?: string[];
}

/** The default tables with webhook business rules. */
export const DEFAULT_WEBHOOK_TABLES = ['sn_customerservice_case', 'sys_journal_field', 'sys_attachment'];

const TIMEOUT_MS = 10_000;

/** The JSON body a generated business rule sends, keys in this exact order. */
export function webhookBody(change: RecordChange): string {
  const fields = WEBHOOK_FIELDS[change.table] ?? GENERIC_WEBHOOK_FIELDS;
  const record: Record<string, string> = {};
  for (const f of fields) record[f] = change.record[f] ?? '';
  return JSON.stringify({
    table: change.table,
    sys_id: change.record.sys_id,
    operation: change.operation,
    sys_updated_on: change.record.sys_updated_on,
    sys_mod_count: change.record.sys_mod_count,
    record,
  });
}

/**
 * Plays the generated business rules: after each committed write to a table with a rule, POSTs a
 * signed webhook (Standard Webhooks headers) to the gateway. Asynchronous and bounded; failures are
 * counted in `stats.webhooks`, never thrown into the write.
 */
export class WebhookEmitter {
  private target: WebhookTarget | null = null;
  private signer: WebhookSigner | null = null;
  private readonly queue: Array<() => Promise<void>> = [];
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly stats: SimulatorStats, private readonly logger: Logger, private readonly concurrency: () => number) {}

  /** Sets or clears the target (null stops firing; queued posts still go to the old target). */
  setTarget(target: WebhookTarget | null): void {
    this.target = target;
    this.signer = target ? new WebhookSigner(target.secret) : null;
  }

  /** Called after each committed write. */
  onChange(change: RecordChange): void {
    const target = this.target;
    const signer = this.signer;
    if (!target || !signer || !(target.tables ?? DEFAULT_WEBHOOK_TABLES).includes(change.table)) return;
    const body = webhookBody(change);
    const id = webhookIdFor(change.record.sys_id, change.operation, change.record.sys_mod_count);
    const url = `${target.gatewayUrl.replace(/\/+$/, '')}/webhooks/${encodeURIComponent(target.instanceId)}/${change.table}`;
    this.queue.push(() => this.post(url, id, body, signer));
    this.pump();
  }

  /** Resolves once every queued webhook has been attempted. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < Math.max(1, this.concurrency()) && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight += 1;
      void job().finally(() => {
        this.inFlight -= 1;
        this.pump();
        if (this.queue.length === 0 && this.inFlight === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
    }
  }

  private async post(url: string, id: string, body: string, signer: WebhookSigner): Promise<void> {
    const now = new Date();
    try {
      const status = await post(
        url,
        {
          'content-type': 'application/json',
          'user-agent': 'ServiceNow/1.0',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signer.sign(id, now, body),
        },
        body,
        TIMEOUT_MS,
      );
      if (status >= 200 && status < 300) this.stats.webhooks.sent += 1;
      else this.fail(`HTTP ${status} from ${url}`);
    } catch (err) {
      this.fail(`${(err as Error).message} (${url})`);
    }
  }

  private fail(message: string): void {
    this.stats.webhooks.failed += 1;
    this.stats.webhooks.lastError = message;
    this.logger.warn('simulator webhook failed', { error: message });
  }
}
