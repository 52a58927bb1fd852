import crypto from 'node:crypto';

/** Checks an RFC 7636 code_verifier against the challenge given at authorization (S256 or plain). */
export function verifyPkce(verifier: string, challenge: string, method: string | undefined): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed = (method ?? 'plain') === 'S256' ? crypto.createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Derives the S256 code_challenge of a verifier (for clients and tests). */
export function s256Challenge(verifier: string): string {
  return crypto.createHash('sha256').update(verifier).digest('base64url');
}
