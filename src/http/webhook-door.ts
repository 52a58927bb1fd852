import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookIntake } from '../ingest/webhook-intake';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { asAppError } from './error-handler';
import { readBody } from './read-body';
import { requestIdOf } from './request-id';

export interface WebhookDoorDeps {
  intake: WebhookIntake;
  maxBodyBytes: number;
  logger: Logger;
  /** Called once per webhook with its outcome (`accepted`, `duplicate` or the error code), for metrics. */
  onOutcome?: (instanceId: string, table: string, outcome: string, startedAt: bigint) => void;
}

/** Answers the request if it is `POST /webhooks/{instanceId}/{table}`; returns false for anything else. */
export type WebhookDoor = (req: IncomingMessage, res: ServerResponse) => boolean;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const PATH = /^\/webhooks\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(text);
}

function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The webhook door ServiceNow's business rules knock on, served in front of the Express app. It is the hot
 * path, so it skips the general router and middleware (measured: Express alone cost ~2.5× a bare handler
 * per request here) and does only what the contract asks: cheap checks first (404, 415, 429) before a byte
 * of the body is read, then the raw body to the intake (signature, JSON, schema, durable enqueue). Errors
 * answer in the one JSON error shape, like the rest of the app.
 */
export function createWebhookDoor(deps: WebhookDoorDeps): WebhookDoor {
  const { intake, logger } = deps;
  const debug = logger.isLevelEnabled('debug');

  async function handle(req: IncomingMessage, res: ServerResponse, instanceId: string, table: string, startedAt: bigint): Promise<void> {
    try {
      const instance = intake.target(instanceId, table);
      if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) throw new AppError('unsupported_media_type', 'Content-Type must be application/json', 415);
      intake.admit(instance);
      const body = await readBody(req, deps.maxBodyBytes);
      const result = await intake.accept(instance, table, body, req.headers as Record<string, string>, res.getHeader('X-Request-Id') as string | undefined);
      deps.onOutcome?.(instanceId, table, result.duplicate ? 'duplicate' : 'accepted', startedAt);
      send(res, result.duplicate ? 200 : 202, { id: result.id, status: result.duplicate ? 'duplicate' : 'queued' });
      if (debug) logger.debug('request', { method: 'POST', path: req.url?.split('?')[0], status: res.statusCode, requestId: res.getHeader('X-Request-Id') });
    } catch (err) {
      const error = asAppError(err);
      // rejections are counted under known instances and tables only: unknown ones would let anyone mint labels
      const known = intake.registryInstance(instanceId);
      deps.onOutcome?.(known?.id ?? '_unknown', known?.webhook.tables.includes(table) ? table : '_unknown', error.code, startedAt);
      const level = error.httpStatus >= 500 ? 'error' : 'info';
      // never the body, the headers or the signature: path, status and code only
      logger.log(level, 'webhook rejected', { path: req.url?.split('?')[0], status: error.httpStatus, code: error.code, requestId: res.getHeader('X-Request-Id'), ...(error.httpStatus >= 500 ? { err } : {}) });
      if (!res.headersSent) send(res, error.httpStatus, error.toBody(), error.options.headers);
    }
  }

  return (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/webhooks/')) return false;
    const match = PATH.exec(req.url);
    if (!match) return false;
    res.setHeader('X-Request-Id', requestIdOf(req.headers['x-request-id']));
    void handle(req, res, segment(match[1]), segment(match[2]), process.hrtime.bigint());
    return true;
  };
}
