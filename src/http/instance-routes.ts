import crypto from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { subscriberState } from '../events/subscriber-config';
import type { Instance } from '../instances/instance';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { InstanceStore } from '../instances/instance-store';
import { redactInstance, webhookUrls } from '../instances/redact-instance';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { parseInstance } from '../instances/parse-instance';
import { pollerView } from '../poller/poller-view';
import type { TokenManager } from '../servicenow/token-manager';
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
  /** Exchanges a Cloud Elements `providerData.code` at creation; without it such a code is refused (501). */
  tokens?: Pick<TokenManager, 'redeemProvidedCode' | 'adoptTokens'>;
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

/** Cloud Elements' `providerData.code` of a body, if it has one. */
function providerCodeOf(body: unknown): string | undefined {
  const code = (body as { providerData?: { code?: unknown } } | undefined)?.providerData?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/**
 * Creates an instance whose body carries an authorization code (Cloud Elements' flow): the code is exchanged
 * first, with the redirect URI it was issued for (`oauth.callback.url`), and the tokens are stored only once
 * the instance exists — a refused code is a 400 and leaves no instance behind.
 */
async function createWithCode(deps: InstanceRoutesDeps, body: Record<string, unknown>, code: string): Promise<Instance> {
  const { providerData: _given, ...definition } = body;
  const candidate = parseInstance(definition);
  if (!deps.tokens) throw new AppError('oauth_unavailable', 'providerData.code cannot be exchanged in this process', 501);
  if (await deps.store.exists(candidate.id)) throw new AppError('instance_exists', `an instance with id ${candidate.id} already exists`, 409);
  const redirectUri = candidate.auth.callbackUrl ?? `${deps.publicUrl.replace(/\/+$/, '')}/oauth/callback`;
  const tokens = await deps.tokens.redeemProvidedCode(candidate, code, redirectUri);
  const instance = await deps.store.create(definition);
  try {
    await deps.tokens.adoptTokens(instance.id, tokens);
  } catch (err) {
    await deps.store.delete(instance.id).catch(() => undefined);
    throw err;
  }
  return instance;
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
 * `POST /instances` → 201 `{id, name, webhookUrls, webhookSecret, warnings, poller}` (the only time the secret is
 * shown; a Cloud Elements `providerData.code` is exchanged for tokens first), `GET /instances`,
 * `GET|PATCH|DELETE /instances/:id` (one instance shows its subscriber state, its poller with each query
 * translated, and its warnings) — secrets redacted in every response. Bodies are never logged.
 */
export function createInstanceRoutes(deps: InstanceRoutesDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken);
  const body = jsonBody(deps.maxBodyBytes ?? 256 * 1024);
  const { store, registry, publicUrl, logger } = deps;

  router.post('/instances', admin, ...body, async (req, res) => {
    const definition = withWebhookSecret(req.body);
    const code = providerCodeOf(definition);
    const exchange = code !== undefined && parseInstance(definition).auth.type === 'oauth2';
    const instance = exchange ? await createWithCode(deps, definition as Record<string, unknown>, code) : await store.create(definition);
    registry.set(instance);
    logger.info('instance created', { instanceId: instance.id, warnings: instance.warnings.length, authorizedWithCode: exchange });
    res.status(201).json({
      id: instance.id,
      name: instance.name,
      webhookUrls: webhookUrls(instance, publicUrl),
      webhookSecret: instance.webhook.secrets[0] ?? null,
      warnings: instance.warnings,
      poller: pollerView(instance),
    });
  });

  router.get('/instances', admin, async (_req, res) => {
    const all = await store.list();
    res.json({ instances: all.map(({ instance, source }) => redactInstance(instance, source, publicUrl)) });
  });

  router.get('/instances/:id', admin, async (req, res) => {
    const { instance, source } = await store.get(String(req.params.id));
    res.json({ ...redactInstance(instance, source, publicUrl), subscriber: subscriberState(instance), poller: pollerView(instance), warnings: instance.warnings });
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
