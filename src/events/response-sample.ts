import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { redact } from '../lib/logger';

/** The first bytes of an answer's body, as text. */
export interface BodySample {
  text: string;
  /** The body went on past the sample. */
  truncated: boolean;
}

/**
 * Reads the first `maxBytes` of a response body, then drains the rest (so the socket goes back to its pool).
 * Resolves at the end of the body, at the bound, or when the response closes or fails — never rejects.
 */
export function sampleBody(res: IncomingMessage, maxBytes: number): Promise<BodySample> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      res.off('data', onData);
      res.resume();
      resolve({ text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), truncated });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) finish(true);
    };
    res.on('data', onData);
    res.on('end', () => finish(false));
    res.on('close', () => finish(size > maxBytes));
    res.on('error', () => finish(size > maxBytes));
  });
}

/** Header values as single strings, with secret-looking ones (signature, authorization, cookie, token…) redacted. */
export function redactHeaders(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : String(value);
  return redact(flat) as Record<string, string>;
}
