import crypto from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { signerFor, WebhookSigner } from '../../src/lib/webhook-signer';

const secret = () => 'whsec_' + crypto.randomBytes(32).toString('base64');

describe('WebhookSigner', () => {
  it('when it signs any body, id and time, then the signature is byte for byte the standardwebhooks one', () => {
    const key = secret();
    const ours = new WebhookSigner(key);
    const theirs = new Webhook(key);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 4_000_000_000_000 }), (body, id, ms) => {
        const at = new Date(ms);
        expect(ours.sign(id, at, body)).toBe(theirs.sign(id, at, body));
      }),
      { numRuns: 300 },
    );
  });

  it('when a JSON body carries non-ASCII text and escaped lone surrogates, then standardwebhooks verifies the signature', () => {
    const key = secret();
    const body = JSON.stringify({ text: 'Grüße — 日本語 🎉', odd: '\ud800x' });
    const at = new Date();
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new WebhookSigner(key).sign('evt_1', at, body) };
    expect(new Webhook(key).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('when the secret is not usable, then it throws like standardwebhooks (and signerFor does not remember it)', () => {
    for (const bad of ['whsec_', 'whsec_not base64!!']) {
      expect(() => new Webhook(bad)).toThrow();
      expect(() => new WebhookSigner(bad)).toThrow();
      expect(() => signerFor(bad)).toThrow();
    }
  });

  it('when asked twice for one secret, then signerFor returns the same signer', () => {
    const key = secret();
    expect(signerFor(key)).toBe(signerFor(key));
  });
});
