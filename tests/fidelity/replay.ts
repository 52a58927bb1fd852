import { SANDBOX_USER } from '../../src/simulator';

/**
 * Replays one HTTP request exactly as a third-party client builds it (method, path with its query as the
 * client writes it, headers, body) and reads the answer the way such clients do.
 */
export interface ReplayedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** The JSON body, or undefined (no body, or not JSON). */
  json: any;
  bytes: Buffer;
}

/** What axios sends by default (the three clients use axios). */
export const AXIOS_HEADERS = { accept: 'application/json, text/plain, */*', 'user-agent': 'axios/1.7.9' };

/** `auth: { username, password }` as axios turns it into a header. */
export function basicAuth(username: string = SANDBOX_USER.username, password: string = SANDBOX_USER.password): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

export async function replay(baseUrl: string, req: ReplayedRequest): Promise<Answer> {
  const headers: Record<string, string> = { ...req.headers };
  const res = await fetch(baseUrl + req.path, {
    method: req.method,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  try {
    json = bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, bytes };
}
