import express from 'express';
import { applyKnobs } from './simulator-knobs';
import type { SimulatorState } from './simulator-state';
import type { WebhookTarget } from './webhook-emitter';

/**
 * Out-of-process control (benchmarks, manual runs), never subject to faults or auth:
 * `GET|POST /__sim/knobs`, `GET /__sim/stats`, `POST /__sim/stats/reset`, `POST /__sim/revoke-all-tokens`,
 * `POST /__sim/expire-access-tokens`, `POST /__sim/webhook-target` (body a target or null),
 * `POST /__sim/clock` (`{"set": "..."}` | `{"advanceMs": n}` | `{"real": true}`).
 */
export function adminRoutes(state: SimulatorState): express.Router {
  const router = express.Router();
  router.use(express.json({ strict: false }));
  router.get('/knobs', (_req, res) => {
    res.json(state.knobs);
  });
  router.post('/knobs', (req, res) => {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      res.status(400).json({ error: 'body must be a JSON object of knobs' });
      return;
    }
    const applied = applyKnobs(state.knobs, body as Record<string, unknown>);
    res.json({ applied, knobs: state.knobs });
  });
  router.get('/stats', (_req, res) => {
    res.json(state.stats);
  });
  router.post('/stats/reset', (_req, res) => {
    state.stats.reset();
    res.status(204).end();
  });
  router.post('/revoke-all-tokens', (_req, res) => {
    state.tokens.revokeAll();
    res.status(204).end();
  });
  router.post('/expire-access-tokens', (_req, res) => {
    state.tokens.expireAccessTokens();
    res.status(204).end();
  });
  router.post('/webhook-target', (req, res) => {
    const target = (req.body ?? null) as WebhookTarget | null;
    state.webhooks.setTarget(target && target.gatewayUrl ? target : null);
    res.status(204).end();
  });
  router.post('/clock', (req, res) => {
    const body = (req.body ?? {}) as { set?: string; advanceMs?: number; real?: boolean };
    if (body.real) state.clock.useRealTime();
    if (body.set) state.clock.set(body.set);
    if (typeof body.advanceMs === 'number') state.clock.advance(body.advanceMs);
    res.json({ now: state.clock.now().toISOString() });
  });
  return router;
}
