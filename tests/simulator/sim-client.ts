import { defaultKnobs, SANDBOX_CLIENT, SANDBOX_USER, startSimulator, type Simulator } from '../../src/simulator';
import { applyKnobs } from '../../src/simulator/simulator-knobs';

/** Basic auth header of the sandbox admin. */
export const BASIC = 'Basic ' + Buffer.from(`${SANDBOX_USER.username}:${SANDBOX_USER.password}`).toString('base64');

/** A JSON request to the simulator with admin basic auth (override headers as needed). */
export async function api(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: BASIC, ...init.headers };
  if (init.body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** POSTs a form to oauth_token.do. */
export async function tokenRequest(base: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/oauth_token.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: await res.json() };
}

/** The password-grant form for the sandbox client and user. */
export const PASSWORD_GRANT = {
  grant_type: 'password', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret,
  username: SANDBOX_USER.username, password: SANDBOX_USER.password,
};

/**
 * One seeded simulator for a test file, with every knob back at its default after each test (so a
 * test that turns a fault on cannot leak it). Returns a getter, valid inside tests.
 */
export function simulatorForFile(): () => Simulator {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim?.close());
  afterEach(() => {
    if (sim) applyKnobs(sim.knobs, defaultKnobs());
  });
  return () => sim!;
}
