import type { EnvSettings } from '../config/env';
import type { SettingSource } from '../config/resolve-config';
import { secretFingerprint } from '../lib/secret-fingerprint';
import { webhookBody } from '../simulator';
import type { Sandbox } from './start-sandbox';

/** What the banner needs besides the sandbox. */
export interface BannerContext {
  settings: EnvSettings;
  /** Where the admin token came from: one given by the operator (`env`) is never printed. */
  adminTokenSource: SettingSource;
  /** The gateway's URL as a browser on this machine reaches it. */
  gatewayUrl: string;
  /** Unfinished jobs of the previous run that were dropped. */
  droppedJobs: number;
  /** The `.snowgate/` folder, for the line that says where the identity is kept. */
  stateDir: string;
}

const CASE = 'sn_customerservice_case';

/** The demo webhook: a real business rule's body for the record as it is now, so the event and its data agree. */
function demoWebhook(sandbox: Sandbox): string | undefined {
  const record = sandbox.simulator.store.list(CASE)[1];
  if (!record) return undefined;
  return webhookBody({ table: CASE, operation: 'update', record }).replace(/'/g, "'\\''");
}

/** What a new user needs to try the sandbox, printed once at start. */
export function sandboxBanner(sandbox: Sandbox, ctx: BannerContext): string {
  const url = ctx.gatewayUrl;
  const sim = sandbox.simulator.url;
  const webhookUrl = `${url}/webhooks/sandbox/${CASE}`;
  const patchCase = sandbox.simulator.store.list(CASE)[0]?.sys_id ?? '<case sys_id>';
  const patchNumber = sandbox.simulator.store.list(CASE)[0]?.number ?? 'its number';
  const ownToken = ctx.adminTokenSource === 'env';
  const token = ownToken ? '<your SNOWGATE_ADMIN_TOKEN>' : ctx.settings.adminToken;
  const demo = demoWebhook(sandbox);
  const lines = [
    '',
    'snowgate sandbox is running',
    `  gateway            ${url}`,
    `  ServiceNow (sim)   ${sim}   (OAuth client sandbox-client / sandbox-secret, user admin / admin)`,
    `  webhook URL        ${webhookUrl}`,
    `  webhook secret     ${sandbox.secrets.webhookSecret}   (fingerprint ${secretFingerprint(sandbox.secrets.webhookSecret)})`,
    `  webhook bearer     ${sandbox.secrets.webhookBearerToken}   (for senders that cannot sign)`,
    `  admin token        ${ownToken ? 'yours (SNOWGATE_ADMIN_TOKEN; not printed)' : `${token}   (kept in ${ctx.stateDir}/admin-token)`}`,
    `  event log          ${url}/ops/events?token=${ownToken ? token : encodeURIComponent(token)}   (every event and attempt; search a case by its number)`,
    `  queue dashboard    ${url}/ops/queues?token=${ownToken ? token : encodeURIComponent(token)}`,
    `  kept across restarts in ${ctx.stateDir}/: the secrets above, the encryption key; the previous run's changes are dropped${ctx.droppedJobs ? ` (${ctx.droppedJobs} unfinished jobs)` : ''}`,
    '',
    `Change a case in the simulated ServiceNow; its business rule posts the signed webhook, and the event shows up in the event log (search ${patchNumber}):`,
    `  curl -s -u admin:admin -X PATCH -H 'Content-Type: application/json' -H 'Accept: application/json' \\`,
    `       -d '{"short_description":"Printer on fire","priority":"1"}' ${sim}/api/now/table/${CASE}/${patchCase}`,
  ];
  if (demo) {
    lines.push(
      'Or post a webhook yourself (bearer token instead of a signature):',
      `  curl -s -X POST ${webhookUrl} -H 'Content-Type: application/json' -H 'Authorization: Bearer ${sandbox.secrets.webhookBearerToken}' \\`,
      `       -d '${demo}'`,
    );
  }
  lines.push(
    'In another terminal (same folder): npx snowgate backfill --instance sandbox --since "2025-09-01 00:00:00"; npx snowgate generate-scripts',
    `Simulator controls (README, "The sandbox"): POST ${sim}/__sim/knobs, ${sim}/__sim/revoke-all-tokens, ${sim}/__sim/expire-access-tokens`,
    '',
  );
  return lines.join('\n');
}
