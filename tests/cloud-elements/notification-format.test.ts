import { javaDateString, toCloudElementsNotification, type CloudElementsContext } from '../../src/events/cloud-elements-notification';
import { cloudElementsSignature, signCloudElements } from '../../src/events/sign-cloud-elements';
import { toCloudEvent } from '../../src/events/to-cloud-event';
import { changeOf, instanceFor } from '../events/fixtures';

const ctx: CloudElementsContext = {
  instanceId: 'acme', instanceName: 'Acme', instanceTags: ['prod'], elementKey: 'servicenowoauth', hubKey: 'helpdesk',
  resourceOf: (table) => (table === 'incident' ? { objectType: 'incidents', idField: 'number' } : { objectType: table, idField: 'sys_id' }),
};

describe('the cloud-elements notification format', () => {
  it("when signed, then the signature is Cloud Elements' documented one (their sample key and body give their sample hash)", () => {
    expect(cloudElementsSignature('<INSERT_EVENT_NOTIFICATION_RESPONSE_BODY>', 'MySecretEventSignatureKey')).toBe('sha256=jHdbRx5EZAsOfTwAPJOGkNUzQMVVdu5VJlxcsk+G6jQ=');
    const whsec = 'whsec_' + Buffer.from('raw key bytes').toString('base64');
    expect(cloudElementsSignature('x', whsec)).toBe(cloudElementsSignature('x', 'raw key bytes')); // a whsec_ key means its decoded bytes
  });

  it('when an incident update is formatted, then the envelope, message, raw and single event are as Cloud Elements sent them, and every attempt sends the same bytes', () => {
    const change = { ...changeOf('incident', 'update', { number: 'INC0010001' }), receivedAt: Date.UTC(2026, 10, 22, 10, 0, 7) };
    const event = toCloudEvent(change, instanceFor('acme', 'https://x.example.com'), { table: 'incident', sys_id: change.sysId, record: { sys_id: change.sysId, number: 'INC0010001' } });
    expect(toCloudElementsNotification(event, ctx)).toEqual({
      severity: 'medium',
      createdDate: 'Sun Nov 22 10:00:07 UTC 2026',
      topic: 'instance-acme-servicenowoauth-events',
      action: 'update',
      id: change.eventId,
      user: 'snowgate',
      message: {
        elementKey: 'servicenowoauth',
        eventId: change.eventId,
        instanceId: 'acme',
        instance_id: 'acme',
        instanceName: 'Acme',
        instanceTags: ['prod'],
        raw: { incidents: [{ sys_id: change.sysId, number: 'INC0010001' }], objectType: 'incidents', pollDate: Date.UTC(2026, 10, 22, 10, 0, 7) },
        events: [{ date: '2026-11-22T10:00:00Z', elementKey: 'servicenowoauth', pollDate: '2026-11-22T10:00:07Z', eventType: 'UPDATED', hubKey: 'helpdesk', objectId: 'INC0010001', objectType: 'incidents' }],
      },
    });
    const first = signCloudElements(event, 'k', ctx);
    const again = signCloudElements(event, 'k', ctx);
    expect(again).toEqual(first);
    expect(first.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'elements-webhook-id': change.eventId, 'elements-webhook-signature': cloudElementsSignature(first.body, 'k') });
    expect(javaDateString(new Date(Date.UTC(2018, 7, 20, 15, 30, 7)))).toBe('Mon Aug 20 15:30:07 UTC 2018');
  });
});
