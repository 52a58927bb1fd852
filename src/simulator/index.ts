import type { AddressInfo } from 'node:net';
import http from 'node:http';
import type { Logger } from '../lib/logger';
import { createSimulatorApp } from './create-simulator-app';
import { seedData } from './seed-data';
import type { SimulatorClock } from './simulator-clock';
import type { SimulatorKnobs } from './simulator-knobs';
import { createSimulatorState, type SimulatorState } from './simulator-state';
import type { SimulatorStats } from './simulator-stats';
import { createSimulatorStore, type SimulatorStore } from './simulator-store';
import type { WebhookTarget } from './webhook-emitter';

export { createSimulatorApp } from './create-simulator-app';
export { createSimulatorState, SANDBOX_CLIENT, SANDBOX_USER, type SimulatorState } from './simulator-state';
export { defaultKnobs, type SimulatorKnobs } from './simulator-knobs';
export type { SimulatorClock } from './simulator-clock';
export type { SimulatorStats } from './simulator-stats';
export type { SimulatorStore } from './simulator-store';
export type { GlideRecord, WriteOptions } from './record-store';
export type { NewAttachment } from './attachment-files';
export { DEFAULT_WEBHOOK_TABLES, webhookBody, type WebhookTarget } from './webhook-emitter';
export { SEED_IDS } from './seed-ids';
export { WriteError } from './write-error';
export { s256Challenge } from './pkce';

/** How to start a simulator. */
export interface SimulatorOptions {
  /** TCP port; 0 (default) = a random free port. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Knobs to start with (the rest default). */
  knobs?: Partial<SimulatorKnobs>;
  /** Load the sandbox data. Default true. */
  seed?: boolean;
  logger?: Logger;
}

/** A running simulator. */
export interface Simulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Live knobs: changes apply to the next request. */
  knobs: SimulatorKnobs;
  stats: SimulatorStats;
  store: SimulatorStore;
  clock: SimulatorClock;
  /** Where the simulated business rules POST their webhooks; null stops them. */
  setWebhookTarget(target: WebhookTarget | null): void;
  /** Resolves when every webhook queued so far has been attempted (sent or failed). */
  webhooksIdle(): Promise<void>;
  /** Kills every refresh and access token. */
  revokeAllTokens(): void;
  /** Expires every access token now (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** The internals, for advanced tests. */
  state: SimulatorState;
  close(): Promise<void>;
}

/** Starts a seeded ServiceNow simulator on a local port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state = createSimulatorState({ knobs: options.knobs, logger: options.logger });
  if (options.seed !== false) seedData(state.store);
  const server = http.createServer(createSimulatorApp(state));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    knobs: state.knobs,
    stats: state.stats,
    store: createSimulatorStore(state.store),
    clock: state.clock,
    setWebhookTarget: (target) => state.webhooks.setTarget(target),
    webhooksIdle: () => state.webhooks.idle(),
    revokeAllTokens: () => state.tokens.revokeAll(),
    expireAccessTokens: () => state.tokens.expireAccessTokens(),
    state,
    close: () => new Promise<void>((resolve, reject) => {
      state.webhooks.setTarget(null);
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
