import { Webhook } from 'standardwebhooks';
import { classifyStatus, parseRetryAfter } from '../../src/events/delivery-outcome';
import { signEvent, USER_AGENT } from '../../src/events/sign-event';
import { toCloudEvent } from '../../src/events/to-cloud-event';
import { caseData, changeOf, instanceFor, SIGNATURE_KEY } from './fixtures';

describe('classifyStatus', () => {
  it.each([
    [200, 'delivered'], [202, 'delivered'], [204, 'delivered'],
    [408, 'retryable'], [429, 'retryable'], [500, 'retryable'], [502, 'retryable'], [503, 'retryable'],
    [410, 'gone'],
    [400, 'permanent'], [401, 'permanent'], [404, 'permanent'], [422, 'permanent'], [301, 'permanent'],
  ])('%i → %s', (status, kind) => expect(classifyStatus(status)).toBe(kind));
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  it('reads delay-seconds', () => expect(parseRetryAfter('120', now)).toBe(120_000));
  it('reads an HTTP-date', () => expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000));
  it('treats a past date as now', () => expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0));
  it('ignores garbage', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('signEvent', () => {
  it('signs the structured-mode body so standardwebhooks verifies it, with webhook-id = event id', () => {
    const change = changeOf('sn_customerservice_case', 'update');
    const event = toCloudEvent(change, instanceFor('acme', 'https://x.example.com/'), caseData(change));
    const signed = signEvent(event, SIGNATURE_KEY);
    expect(signed.headers).toMatchObject({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'webhook-id': event.id,
      'user-agent': USER_AGENT,
    });
    expect(USER_AGENT).toMatch(/^snowgate\/\d+\.\d+\.\d+/);
    expect(new Webhook(SIGNATURE_KEY).verify(signed.body, signed.headers)).toMatchObject({ id: event.id, type: 'com.servicenow.case.updated' });
    expect(() => new Webhook('whsec_' + Buffer.alloc(32, 1).toString('base64')).verify(signed.body, signed.headers)).toThrow();
  });
});
