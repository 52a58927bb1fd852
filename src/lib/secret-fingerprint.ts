import crypto from 'node:crypto';

/**
 * A short, non-reversible name for a secret, so that a person can tell which secret is meant without
 * seeing it: the first 8 hex digits of SHA-256 over the whole secret as configured (`whsec_…` included).
 * The same as `printf %s 'whsec_…' | sha256sum | cut -c1-8`.
 */
export function secretFingerprint(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex').slice(0, 8);
}
