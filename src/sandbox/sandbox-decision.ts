import type { Role } from '../config/env';

/** What decides whether the sandbox runs. */
export interface SandboxInputs {
  /** SNOWGATE_SANDBOX: true forces it on, false off, undefined decides by the rest. */
  forced?: boolean;
  role: Role;
  /** SNOWGATE_CONFIG, when set. */
  configPath?: string;
  /** Instances in the config file. */
  configInstances: number;
  /** Instances created through the admin API (stored in Redis), readable or not. */
  storedInstances: number;
}

/** Whether the sandbox runs, and why (for the log line). */
export interface SandboxDecision {
  on: boolean;
  reason: string;
}

/**
 * The sandbox is for a first run on a laptop, never for a deployment: unless SNOWGATE_SANDBOX says otherwise,
 * it runs only in a single process (`SNOWGATE_ROLE=all`) with no config file and no instance stored in Redis.
 * Instances created through the admin API live in Redis only, so a gateway configured that way (`{"instances": []}`
 * in the config file, or no file) must count them before deciding: it used to count the config file's alone.
 */
export function decideSandbox(inputs: SandboxInputs): SandboxDecision {
  if (inputs.forced === false) return { on: false, reason: 'SNOWGATE_SANDBOX=false' };
  if (inputs.forced === true) return { on: true, reason: 'SNOWGATE_SANDBOX=true' };
  if (inputs.role !== 'all') return { on: false, reason: `SNOWGATE_ROLE=${inputs.role} (the sandbox runs only in a single process)` };
  if (inputs.configInstances > 0 || inputs.configPath) return { on: false, reason: `SNOWGATE_CONFIG is set (${inputs.configInstances} instance(s) in it)` };
  if (inputs.storedInstances > 0) return { on: false, reason: `${inputs.storedInstances} instance(s) created through the admin API are stored in Redis` };
  return { on: true, reason: 'no instance is configured (no SNOWGATE_CONFIG, none stored in Redis)' };
}
