/** Which REST API a request hit. */
export type ApiName = 'table' | 'case' | 'attachment';

/** One request as the simulator saw it (the last 500 are kept). */
export interface LoggedRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  api: ApiName | 'oauth';
  status?: number;
}

/** Counters for tests and benchmarks; `reset()` zeroes them all. */
export interface SimulatorStats {
  /** Token requests by grant_type (`authorization_code`, `refresh_token`, `client_credentials`, `password`, or what was sent). */
  tokenRequests: Record<string, number>;
  /** Token requests that failed (401). */
  tokenFailures: number;
  /** GET /oauth_auth.do hits. */
  authorizeRequests: number;
  /** API requests by API, counted on arrival (faulted requests included). */
  apiRequests: Record<ApiName, number>;
  /** API requests by table (the Case API counts as sn_customerservice_case, attachments as sys_attachment). */
  tableRequests: Record<string, number>;
  /** Answers sent by each fault knob (`latency`, `error`, `storm`, `rateLimited`, `hibernating`, `force401`). */
  faults: Record<string, number>;
  /** Webhook POSTs that got a 2xx / anything else or a network error, and the last error. */
  webhooks: { sent: number; failed: number; lastError?: string };
  /** The last requests received, oldest first. */
  recentRequests: LoggedRequest[];
  reset(): void;
}

const RECENT_LIMIT = 500;

/** Creates zeroed counters. */
export function createStats(): SimulatorStats {
  const stats: SimulatorStats = {
    tokenRequests: {},
    tokenFailures: 0,
    authorizeRequests: 0,
    apiRequests: { table: 0, case: 0, attachment: 0 },
    tableRequests: {},
    faults: {},
    webhooks: { sent: 0, failed: 0 },
    recentRequests: [],
    reset() {
      stats.tokenRequests = {};
      stats.tokenFailures = 0;
      stats.authorizeRequests = 0;
      stats.apiRequests = { table: 0, case: 0, attachment: 0 };
      stats.tableRequests = {};
      stats.faults = {};
      stats.webhooks = { sent: 0, failed: 0 };
      stats.recentRequests = [];
    },
  };
  return stats;
}

/** Adds one to a named counter. */
export function bump(counters: Record<string, number>, key: string): void {
  counters[key] = (counters[key] ?? 0) + 1;
}

/** Appends to the recent-request log, keeping it bounded. */
export function logRequest(stats: SimulatorStats, entry: LoggedRequest): void {
  stats.recentRequests.push(entry);
  if (stats.recentRequests.length > RECENT_LIMIT) stats.recentRequests.splice(0, stats.recentRequests.length - RECENT_LIMIT);
}
