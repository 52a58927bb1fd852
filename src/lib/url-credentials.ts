/** What a credential inside a URL is replaced with wherever the URL is shown. */
export const URL_REDACTED = '********';

/**
 * Query parameter names that carry credentials: `access_token`, `api_key`, `apikey`, `client_secret`,
 * `password`, `sig`, `signature`, `auth`, `code`, `session`, `key`, `x-api-key`, … (case-insensitive).
 */
const SECRET_PARAM = /(token|secret|passw(or)?d|pwd|api[-_.]?key|credential|signature|session|auth|^sig$|^code$|^key$|[-_.]key$)/i;

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** An absolute http(s) URL, or undefined for anything else (relative paths, plain strings). */
function httpUrl(value: string): URL | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** The query string's `name=value` pairs whose name looks like a credential. */
function secretParams(search: string): string[] {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && SECRET_PARAM.test(decodedName(pair.split('=')[0])));
}

/** True when `value` is an http(s) URL carrying credentials: a user or password, or a secret-looking query parameter. */
export function urlCarriesCredentials(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const url = httpUrl(value);
  return url !== undefined && (url.username !== '' || url.password !== '' || secretParams(url.search).length > 0);
}

/**
 * The URL with its credentials replaced by `********`: user and password, and the value of every
 * secret-looking query parameter (other parameters are left byte for byte). Anything else — not an
 * http(s) URL, or one without credentials — comes back unchanged.
 */
export function redactUrl(value: string): string {
  const url = httpUrl(value);
  if (!url || !urlCarriesCredentials(value)) return value;
  if (url.username) url.username = URL_REDACTED;
  if (url.password) url.password = URL_REDACTED;
  if (url.search) {
    url.search = url.search
      .slice(1)
      .split('&')
      .map((pair) => (pair !== '' && SECRET_PARAM.test(decodedName(pair.split('=')[0])) ? `${pair.split('=')[0]}=${URL_REDACTED}` : pair))
      .join('&');
  }
  return url.href;
}
