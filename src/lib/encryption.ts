import crypto from 'node:crypto';

/** Version tag of the compact format; a future key rotation or algorithm change gets a new one. */
const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('encryption key must be exactly 32 bytes');
}

/**
 * Encrypts a UTF-8 string with AES-256-GCM under a random 96-bit IV.
 * Returns the compact string `v1.<iv>.<tag>.<ciphertext>` (each part base64url), safe to store in Redis.
 */
export function encrypt(key: Buffer, plaintext: string): string {
  checkKey(key);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/**
 * Decrypts what `encrypt` produced. Throws when the format or version is unknown, or when the
 * authentication tag does not verify (wrong key or tampered data).
 */
export function decrypt(key: Buffer, ciphertext: string): string {
  checkKey(key);
  const parts = ciphertext.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('unsupported ciphertext format');
  const [, ivPart, tagPart, bodyPart] = parts;
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('malformed ciphertext');
  const decipher = crypto.createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(bodyPart, 'base64url')), decipher.final()]).toString('utf8');
}
