import express from 'express';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { signEvent } from '../../src/events/sign-event';
import { sendEvent } from '../../src/events/send-event';
import { toCloudEvent } from '../../src/events/to-cloud-event';
import { createEventReceiverRoutes, ReceivedEventStore } from '../../src/sandbox/event-receiver';
import { startEventSubscriber } from '../helpers/event-subscriber';
import { caseData, changeOf, instanceFor, SIGNATURE_KEY } from './fixtures';

const instance = instanceFor('acme', 'http://127.0.0.1/');
function newEvent() {
  const change = changeOf('sn_customerservice_case', 'update');
  return toCloudEvent(change, instance, caseData(change));
}

describe('sandbox event receiver', () => {
  const store = new ReceivedEventStore(2);
  const app = express().use(createEventReceiverRoutes({ signatureKey: SIGNATURE_KEY, store }));

  it('when a delivery is signed, then it answers 204 and lists the event, newest first, bounded', async () => {
    const events = [newEvent(), newEvent(), newEvent()];
    for (const event of events) {
      const signed = signEvent(event, SIGNATURE_KEY);
      await request(app).post('/sandbox/receiver').set(signed.headers).send(signed.body).expect(204);
    }
    const list = await request(app).get('/sandbox/events').set('Accept', 'application/json').expect(200);
    expect(list.body.map((e: { event: { id: string } }) => e.event.id)).toEqual([events[2].id, events[1].id]);
    expect(list.body[0]).toMatchObject({ webhookId: events[2].id, event: { type: 'com.servicenow.case.updated', data: { number: 'CS0001001' } } });

    const page = await request(app).get('/sandbox/events').set('Accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain(events[2].id);
    expect(page.text).toContain('<table>');
  });

  it('when the event log is on and a browser asks for the page, then it is sent to the log\'s preset view; API clients still get JSON', async () => {
    const withLog = express().use(createEventReceiverRoutes({ signatureKey: SIGNATURE_KEY, store, eventLogUrl: '/ops/events?instance=sandbox' }));
    const page = await request(withLog).get('/sandbox/events').set('Accept', 'text/html').expect(303);
    expect(page.headers.location).toBe('/ops/events?instance=sandbox');
    const list = await request(withLog).get('/sandbox/events').set('Accept', 'application/json').expect(200);
    expect(Array.isArray(list.body)).toBe(true);
  });

  it('when the signature is wrong, then 401 invalid_signature and nothing is stored', async () => {
    store.clear();
    const signed = signEvent(newEvent(), 'whsec_' + Buffer.alloc(32, 3).toString('base64'));
    const res = await request(app).post('/sandbox/receiver').set(signed.headers).send(signed.body).expect(401);
    expect(res.body.error.code).toBe('invalid_signature');
    expect(store.list()).toEqual([]);
  });

  it('when the signed body is not a CloudEvent, then 400 invalid_cloudevent', async () => {
    const body = JSON.stringify({ hello: 'world' });
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'not-an-event',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(SIGNATURE_KEY).sign('not-an-event', now, body),
    };
    const res = await request(app).post('/sandbox/receiver').set(headers).send(body).expect(400);
    expect(res.body.error.code).toBe('invalid_cloudevent');
  });
});

describe('test subscriber helper', () => {
  it('answers 401 to a badly signed delivery and records it as invalid', async () => {
    const subscriber = await startEventSubscriber({ signatureKey: 'whsec_' + Buffer.alloc(32, 4).toString('base64') });
    try {
      const outcome = await sendEvent(newEvent(), { callbackUrl: subscriber.url, signatureKey: SIGNATURE_KEY, allowPrivateTargets: true });
      expect(outcome).toMatchObject({ kind: 'permanent', status: 401 });
      const [got] = await subscriber.waitFor(1);
      expect(got).toMatchObject({ signatureValid: false, status: 401, attempt: 1 });
    } finally {
      await subscriber.close();
    }
  });

  it('fails waitFor after its timeout', async () => {
    const subscriber = await startEventSubscriber({ signatureKey: SIGNATURE_KEY });
    await expect(subscriber.waitFor(1, 50)).rejects.toThrow(/expected 1 deliveries/);
    await subscriber.close();
  });
});
