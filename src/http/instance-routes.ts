import crypto from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { InstanceStore } from '../instances/instance-store';
import { redactInstance, webhookUrls } from '../instances/redact-instance';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { requireAdmin } from './admin-auth';

/** What the admin instance routes need. */
export interface InstanceRoutesDeps {
  store: InstanceStore;
  /** This process's registry: a write is applied to it at once (other processes follow through the store's sync). */
  registry: InstanceRegistry;
  adminToken: string;
  /** Base of the webhook URLs shown, e.g. `https://gateway.example.com`. */
  publicUrl: string;
  logger: Logger;
  /** Largest admin JSON body. Default 256 KiB. */
  maxBodyBytes?: number;
}

/** A fresh Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** A JSON body up to `limit` bytes (415 for another content type). */
export function jsonBody(limit: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
      return next(new AppError('unsupported_media_type', 'Content-Type must be application/json', 415));
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true })];
}

/** Adds a generated `webhook.secret` when the body brings neither a secret nor a bearer token. */
function withWebhookSecret(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const configuration = (body as { configuration?: unknown }).configuration;
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) return body;
  if ('webhook.secret' in configuration) return body;
  return { ...body, configuration: { ...configuration, 'webhook.secret': generateWebhookSecret() } };
}

/**
 * The admin API of instances, all behind the admin bearer token:
 * `POST /instances` → 201 `{id, name, webhookUrls, webhookSecret}` (the only time the secret is shown),
 * `GET /instances`, `GET|PATCH|DELETE /instances/:id` — secrets redacted in every response. Bodies are never logged.
 */
export function createInstanceRoutes(deps: InstanceRoutesDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken);
  const body = jsonBody(deps.maxBodyBytes ?? 256 * 1024);
  const { store, registry, publicUrl, logger } = deps;

  router.post('/instances', admin, ...body, async (req, res) => {
    const instance = await store.create(withWebhookSecret(req.body));
    registry.set(instance);
    logger.info('instance created', { instanceId: instance.id });
    res.status(201).json({
      id: instance.id,
      name: instance.name,
      webhookUrls: webhookUrls(instance, publicUrl),
      webhookSecret: instance.webhook.secrets[0] ?? null,
    });
  });

  router.get('/instances', admin, async (_req, res) => {
    const all = await store.list();
    res.json({ instances: all.map(({ instance, source }) => redactInstance(instance, source, publicUrl)) });
  });

  router.get('/instances/:id', admin, async (req, res) => {
    const { instance, source } = await store.get(String(req.params.id));
    res.json(redactInstance(instance, source, publicUrl));
  });

  router.patch('/instances/:id', admin, ...body, async (req, res) => {
    const instance = await store.update(String(req.params.id), req.body);
    registry.set(instance);
    logger.info('instance updated', { instanceId: instance.id });
    res.json(redactInstance(instance, 'api', publicUrl));
  });

  router.delete('/instances/:id', admin, async (req, res) => {
    const id = String(req.params.id);
    await store.delete(id);
    registry.remove(id);
    logger.info('instance deleted', { instanceId: id });
    res.status(204).end();
  });

  return router;
}
