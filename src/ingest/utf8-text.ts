import { AppError } from '../lib/errors';

// ignoreBOM keeps a byte order mark in the text: the signature is then checked over the bytes as sent (the
// decoder would otherwise drop it unseen), and JSON.parse refuses it as RFC 8259 senders must not add one
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A request body's bytes as text; 400 `invalid_json` when they are not UTF-8. */
export function utf8Text(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid UTF-8', 400);
  }
}
