import crypto from 'node:crypto';
import { decrypt, encrypt } from '../../src/lib/encryption';

describe('encryption (AES-256-GCM, versioned compact format)', () => {
  const key = crypto.randomBytes(32);

  it('round-trips text and never shows the plaintext', () => {
    const secret = 'access-token-üñí-' + 'x'.repeat(300);
    const sealed = encrypt(key, secret);
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain('access-token');
    expect(decrypt(key, sealed)).toBe(secret);
  });

  it('uses a fresh IV each time, so equal plaintexts give different ciphertexts', () => {
    expect(encrypt(key, 'same')).not.toBe(encrypt(key, 'same'));
  });

  it('refuses a wrong key, a tampered ciphertext and an unknown version', () => {
    const sealed = encrypt(key, 'hello');
    expect(() => decrypt(crypto.randomBytes(32), sealed)).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => decrypt(key, [parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => decrypt(key, sealed.replace(/^v1/, 'v9'))).toThrow(/format/);
  });

  it('demands a 32-byte key', () => {
    expect(() => encrypt(Buffer.alloc(16), 'x')).toThrow(/32 bytes/);
  });
});
