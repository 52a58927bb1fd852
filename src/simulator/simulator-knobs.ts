/**
 * Fault and behaviour knobs of the ServiceNow simulator. Every knob is read on each request, so a
 * test (or `POST /__sim/knobs`) may change it at run time.
 */
export interface SimulatorKnobs {
  /** Milliseconds added before every API and token response. Default 0. */
  latencyMs: number;
  /** Fraction (0..1) of API requests answered with one of `errorStatuses`. Default 0. */
  errorRate: number;
  /** Statuses `errorRate` picks from (500, 502, 503). Default all three. */
  errorStatuses: number[];
  /** When set, every API request gets 429 with this `Retry-After`. Default null. */
  rateLimitStorm: { retryAfterSec: number } | null;
  /** A rate-limit rule: requests per hour per user; adds the X-RateLimit-* headers. Default null (no rule). */
  rateLimitPerHour: number | null;
  /** Every request (API, OAuth) answers 200 with the HTML "Instance Hibernating" page. Default false. */
  hibernating: boolean;
  /** Every API call answers 401 User Not Authenticated, whatever the credentials. Default false. */
  force401: boolean;
  /** Access token lifespan in seconds. Default 1800. */
  accessTokenLifespanSec: number;
  /** Refresh token lifespan in seconds. Default 8640000 (100 days). */
  refreshTokenLifespanSec: number;
  /** Whether the client_credentials grant is enabled (a system property on a real instance). Default true. */
  clientCredentialsEnabled: boolean;
  /** Show an HTML consent page on /oauth_auth.do instead of auto-approving. Default false. */
  requireConsent: boolean;
  /** Tables whose deletes write no sys_audit_delete row (`glide.db.audit.ignore.delete`). Default []. */
  auditDeleteSuppressedTables: string[];
  /** `glide.invalid_query.returns_no_rows`: an invalid query part yields no rows instead of being ignored. Default false. */
  invalidQueryReturnsNoRows: boolean;
  /**
   * Enforce the documented request headers strictly: a missing `Accept` on any write and a missing
   * `Content-Type` on DELETE give 400. Default false (a write with a body always needs a JSON Content-Type).
   */
  strictHeaders: boolean;
  /** How many webhook POSTs may be in flight at once. Default 4. */
  webhookConcurrency: number;
  /**
   * What `sysparm_input_display_value=true` does with a reference display value that matches no record
   * (UNCONFIRMED): `keep` stores the text as given (like a write without the parameter), `empty` stores "",
   * `reject` answers 403 Operation Failed. Default `keep`. Unknown choice labels are always kept as given.
   */
  unknownInputDisplayValue: 'keep' | 'empty' | 'reject';
  /** A POST repeating an existing sys_id (UNCONFIRMED): `error` = 403 unique-key violation, `new-sys-id` = a new record. Default `error`. */
  duplicateSysIdInsert: 'error' | 'new-sys-id';
  /** `glide.rest.table_api.admin_only_sys_fields`: only `admin` may set sys_id / sys_created_* / sys_updated_* on insert. Default false. */
  adminOnlySysFields: boolean;
  /** Tables whose ACLs deny every API write: 403 `ACL Exception {Insert|Update|Delete} Failed due to security constraints`. Default []. */
  readOnlyTables: string[];
  /** Status of a PUT/PATCH sent with `X-no-response-body: true` (UNCONFIRMED; a POST stays 201 + Location). Default 204. */
  noResponseBodyStatus: 200 | 204;
  /** Probability (0..1) that a committed API write loses its answer: the socket is destroyed instead. Default 0. */
  dropResponseAfterCommit: number;
  /** The next N committed API writes lose their answer (counts down; combines with the probability). Default 0. */
  dropNextWriteResponses: number;
  /** Max concurrent API writes (the API_INT semaphore); the rest wait in a queue of `writeQueueSize`. Default null (no limit). */
  writeConcurrencyLimit: number | null;
  /** Writes that may wait for the semaphore; one more gets 429 without Retry-After. Default 50. */
  writeQueueSize: number;
  /** "REST Table API request timeout" quota: a request that would take longer is cancelled with 500. Default 60000; null = none. */
  quotaTimeoutMs: number | null;
  /** The OAuth Application User of client_credentials tokens; "" makes the grant fail (401). Default `snowgate.integration`. */
  oauthApplicationUser: string;
}

/** The knobs of a fresh simulator. */
export function defaultKnobs(): SimulatorKnobs {
  return {
    latencyMs: 0,
    errorRate: 0,
    errorStatuses: [500, 502, 503],
    rateLimitStorm: null,
    rateLimitPerHour: null,
    hibernating: false,
    force401: false,
    accessTokenLifespanSec: 1800,
    refreshTokenLifespanSec: 8_640_000,
    clientCredentialsEnabled: true,
    requireConsent: false,
    auditDeleteSuppressedTables: [],
    invalidQueryReturnsNoRows: false,
    strictHeaders: false,
    webhookConcurrency: 4,
    unknownInputDisplayValue: 'keep',
    duplicateSysIdInsert: 'error',
    adminOnlySysFields: false,
    readOnlyTables: [],
    noResponseBodyStatus: 204,
    dropResponseAfterCommit: 0,
    dropNextWriteResponses: 0,
    writeConcurrencyLimit: null,
    writeQueueSize: 50,
    quotaTimeoutMs: 60_000,
    oauthApplicationUser: 'snowgate.integration',
  };
}

/** Copies the known keys of `patch` onto `knobs` (unknown keys are ignored); returns the names applied. */
export function applyKnobs(knobs: SimulatorKnobs, patch: Partial<SimulatorKnobs> | Record<string, unknown>): string[] {
  const applied: string[] = [];
  const target = knobs as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in knobs) || value === undefined) continue;
    target[key] = value;
    applied.push(key);
  }
  return applied;
}
