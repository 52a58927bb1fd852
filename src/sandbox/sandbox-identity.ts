import type { LocalState } from '../config/local-state';
import type { InstanceDefinition } from '../instances/instance';
import { newSandboxSecrets, sandboxInstanceDefinition, type SandboxSecrets } from './sandbox-instance';

/** The file of `.snowgate/` that holds the sandbox's identity. */
export const SANDBOX_FILE = 'sandbox.json';

/** What `.snowgate/sandbox.json` holds: the sandbox's secrets, and where its last run listened. */
export interface SandboxRecord extends SandboxSecrets {
  /** The embedded simulator (the sandbox instance's ServiceNow), e.g. http://127.0.0.1:3100. */
  simulatorUrl?: string;
  /** The gateway as the simulator and the receiver reach it (loopback, the real port). */
  gatewayUrl?: string;
}

function isSecrets(value: Partial<SandboxRecord> | undefined): value is SandboxRecord {
  return typeof value?.webhookSecret === 'string' && typeof value.webhookBearerToken === 'string' && typeof value.signatureKey === 'string';
}

/** The sandbox's record, or undefined when no sandbox ever started in this folder. */
export function readSandboxRecord(local: LocalState): SandboxRecord | undefined {
  const record = local.readJson<Partial<SandboxRecord>>(SANDBOX_FILE);
  return isSecrets(record) ? record : undefined;
}

/** The kept secrets, or new ones (kept at once): the same webhook secret, bearer and signing key at every start. */
export function sandboxSecrets(local: LocalState): SandboxSecrets {
  const kept = readSandboxRecord(local);
  if (kept) return { webhookSecret: kept.webhookSecret, webhookBearerToken: kept.webhookBearerToken, signatureKey: kept.signatureKey };
  const secrets = newSandboxSecrets();
  local.writeJson(SANDBOX_FILE, secrets);
  return secrets;
}

/** Records where this run's simulator and gateway listen, for `backfill` and `generate-scripts` in another terminal. */
export function recordSandboxRun(local: LocalState, secrets: SandboxSecrets, where: { simulatorUrl: string; gatewayUrl: string }): void {
  local.writeJson(SANDBOX_FILE, { ...secrets, ...where } satisfies SandboxRecord);
}

/** The sandbox instance as the running gateway defined it, rebuilt from the record (undefined before any run). */
export function recordedSandboxInstance(local: LocalState): InstanceDefinition | undefined {
  const record = readSandboxRecord(local);
  if (!record?.simulatorUrl || !record.gatewayUrl) return undefined;
  return sandboxInstanceDefinition(record.simulatorUrl, record.gatewayUrl, record);
}
