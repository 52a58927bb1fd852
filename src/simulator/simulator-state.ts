import { silentLogger, type Logger } from '../lib/logger';
import { OAuthTokenStore, type OAuthClient } from './oauth-tokens';
import { seedDictionary } from './dictionary-rows';
import { RecordStore } from './record-store';
import { createClock, type SimulatorClock } from './simulator-clock';
import { applyKnobs, defaultKnobs, type SimulatorKnobs } from './simulator-knobs';
import { createStats, type SimulatorStats } from './simulator-stats';
import { WebhookEmitter } from './webhook-emitter';

/** The seeded OAuth application. */
export const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } as const;
/** The seeded interactive user (basic auth, password grant, and the "logged in" user of oauth_auth.do). */
export const SANDBOX_USER = { username: 'admin', password: 'admin' } as const;

/** Everything one simulator holds: knobs, clock, counters, data, tokens and the webhook emitter. */
export interface SimulatorState {
  knobs: SimulatorKnobs;
  clock: SimulatorClock;
  stats: SimulatorStats;
  store: RecordStore;
  tokens: OAuthTokenStore;
  webhooks: WebhookEmitter;
  logger: Logger;
  /** OAuth applications by client_id. */
  clients: Map<string, OAuthClient>;
  /** Passwords by user_name (basic auth and the password grant). */
  passwords: Map<string, string>;
}

/** Creates a state with no data but the dictionary (`sys_dictionary`), with default knobs overridden by `knobs`. */
export function createSimulatorState(options: { knobs?: Partial<SimulatorKnobs>; logger?: Logger } = {}): SimulatorState {
  const knobs = defaultKnobs();
  if (options.knobs) applyKnobs(knobs, options.knobs);
  const clock = createClock();
  const stats = createStats();
  const logger = options.logger ?? silentLogger;
  const webhooks = new WebhookEmitter(stats, logger, () => knobs.webhookConcurrency);
  const store = new RecordStore(clock, knobs, (change) => webhooks.onChange(change));
  seedDictionary(store);
  return {
    knobs,
    clock,
    stats,
    store,
    tokens: new OAuthTokenStore(clock, knobs),
    webhooks,
    logger,
    clients: new Map([[SANDBOX_CLIENT.clientId, { ...SANDBOX_CLIENT }]]),
    passwords: new Map([[SANDBOX_USER.username, SANDBOX_USER.password]]),
  };
}
