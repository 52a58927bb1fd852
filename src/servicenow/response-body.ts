import { AppError } from '../lib/errors';

/** True for `application/json` and `+json` media types. */
export function isJsonContentType(contentType: string | null): boolean {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || mime.endsWith('+json');
}

/**
 * The error for HTML (or anything not JSON) where JSON was expected. A hibernating developer
 * instance answers 200 with an HTML page: `servicenow_hibernating` (503, retryable later);
 * anything else is `unexpected_content_type` (502).
 */
export function unexpectedContent(instanceUrl: string, contentType: string | null, bodyText: string): AppError {
  const html = /text\/html/i.test(contentType ?? '') || /^\s*</.test(bodyText);
  if (html && /hibernat/i.test(bodyText)) {
    return new AppError('servicenow_hibernating', `The ServiceNow instance ${instanceUrl} is hibernating; wake it up`, 503, { retryable: true });
  }
  return new AppError('unexpected_content_type', `ServiceNow answered ${contentType || 'no content type'} where JSON was expected`, 502, { retryable: true });
}

/** Reads a response expected to be ServiceNow JSON (`{"result": …}`); throws `unexpectedContent` otherwise. */
export async function readJson<T>(res: Response, instanceUrl: string): Promise<T> {
  const text = await res.text();
  const contentType = res.headers.get('content-type');
  if (!isJsonContentType(contentType)) throw unexpectedContent(instanceUrl, contentType, text);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AppError('unexpected_content_type', 'ServiceNow answered a JSON content type with a body that is not JSON', 502, { retryable: true, cause: err });
  }
}
