import { CloudEvent, HTTP } from 'cloudevents';
import { eventTypeOf } from '../../src/events/event-type';
import { signEvent } from '../../src/events/sign-event';
import { eventSchemaFileFor, validateEventData } from '../../src/events/event-schemas';
import { glideToRfc3339 } from '../../src/events/glide-time';
import { eventFromJson, toCloudEvent } from '../../src/events/to-cloud-event';
import { attachmentData, caseData, changeOf, instanceFor, journalData, SIGNATURE_KEY, sysId } from './fixtures';

const instance = instanceFor('acme', 'https://consumer.example.com/events');

describe('toCloudEvent', () => {
  it('when a case is inserted, then a case.created CloudEvent carries the contract attributes', () => {
    const change = changeOf('sn_customerservice_case', 'insert');
    const event = toCloudEvent(change, instance, caseData(change));
    expect(event.toJSON()).toMatchObject({
      specversion: '1.0',
      id: change.eventId,
      type: 'com.servicenow.case.created',
      source: 'https://acme.service-now.com/sn_customerservice_case',
      subject: change.sysId,
      time: '2026-11-22T10:00:00.000Z',
      datacontenttype: 'application/json',
      snowgateinstance: 'acme',
      snowgatesource: 'webhook',
      data: { number: 'CS0001001' },
    });
    expect(event.validate()).toBe(true);
  });

  it.each([
    ['sn_customerservice_case', 'update', {}, 'com.servicenow.case.updated'],
    ['sn_customerservice_case', 'delete', {}, 'com.servicenow.case.deleted'],
    ['sys_journal_field', 'insert', { element: 'comments' }, 'com.servicenow.comment.created'],
    ['sys_journal_field', 'insert', { element: 'work_notes' }, 'com.servicenow.work_note.created'],
    ['sys_journal_field', 'insert', { element: 'approval_history' }, 'com.servicenow.sys_journal_field.created'],
    ['sys_attachment', 'insert', {}, 'com.servicenow.attachment.created'],
    ['sys_attachment', 'delete', {}, 'com.servicenow.attachment.deleted'],
    ['kb_knowledge', 'update', {}, 'com.servicenow.kb_knowledge.updated'],
  ] as const)('a %s %s (%j) becomes %s', (table, operation, record, type) => {
    expect(eventTypeOf({ table, operation, record })).toBe(type);
  });

  it('when sys_updated_on is unusable, then time falls back to the accept time', () => {
    const change = { ...changeOf('kb_knowledge', 'update'), sysUpdatedOn: 'yesterday' };
    expect(toCloudEvent(change, instance, { sys_id: change.sysId }).time).toBe('2026-11-22T10:00:05.000Z');
    expect(glideToRfc3339('2026-02-30 10:00:00')).toBeUndefined();
    expect(glideToRfc3339('2026-02-03 04:05:06')).toBe('2026-02-03T04:05:06.000Z');
  });

  it.each([
    ['sn_customerservice_case', 'insert', undefined],
    ['sn_customerservice_case', 'update', 'write-123'],
    ['sn_customerservice_case', 'delete', undefined],
    ['sys_journal_field', 'insert', undefined],
    ['sys_attachment', 'insert', undefined],
    ['kb_knowledge', 'update', undefined],
  ] as const)('when a %s %s (write %s) is built without the SDK checks, then the SDK validates it and the delivered body', (table, operation, writeId) => {
    const change = changeOf(table, operation);
    const event = toCloudEvent(change, instance, { sys_id: change.sysId, number: 'X1' }, writeId);
    expect(event.validate()).toBe(true);
    const signed = signEvent(event, SIGNATURE_KEY);
    expect(signed.body).toBe(HTTP.structured(event).body);
    const received = HTTP.toEvent({ headers: signed.headers, body: signed.body }) as CloudEvent;
    expect(received.validate()).toBe(true);
    expect(new CloudEvent(JSON.parse(signed.body)).validate()).toBe(true); // strict construction, as a subscriber's SDK does
  });

  it('survives the round trip through a job (JSON) unchanged', () => {
    const change = changeOf('sn_customerservice_case', 'update');
    const event = toCloudEvent(change, instance, caseData(change));
    const back = eventFromJson(JSON.parse(JSON.stringify(event.toJSON())));
    expect(back.toJSON()).toEqual(event.toJSON());
  });
});

describe('event data schemas (schemas/events)', () => {
  const fixtures = () => {
    const created = changeOf('sn_customerservice_case', 'insert');
    const comment = changeOf('sys_journal_field', 'insert', { element: 'comments' });
    const note = changeOf('sys_journal_field', 'insert', { element: 'work_notes' });
    const attachment = changeOf('sys_attachment', 'insert');
    const deleted = changeOf('sys_attachment', 'delete');
    const caseDeleted = changeOf('sn_customerservice_case', 'delete');
    const kb = changeOf('kb_knowledge', 'insert');
    return [
      toCloudEvent(created, instance, caseData(created)),
      toCloudEvent(comment, instance, journalData(comment, 'comments')),
      toCloudEvent(note, instance, journalData(note, 'work_notes')),
      toCloudEvent(attachment, instance, attachmentData(attachment)),
      toCloudEvent(deleted, instance, { sys_id: deleted.sysId, table: 'sys_attachment', file_name: 'old.pdf' }),
      toCloudEvent(caseDeleted, instance, { sys_id: caseDeleted.sysId, table: 'sn_customerservice_case' }),
      toCloudEvent(kb, instance, { sys_id: kb.sysId, short_description: 'How to reboot', workflow_state: { value: 'published', display_value: 'Published' } }),
    ];
  };

  it('every normalized fixture validates against the schema of its type', () => {
    const events = fixtures();
    expect(events.map((e) => eventSchemaFileFor(e.type))).toEqual([
      'case.schema.json',
      'journal-entry.schema.json',
      'journal-entry.schema.json',
      'attachment.schema.json',
      'deleted.schema.json',
      'deleted.schema.json',
      'record.schema.json',
    ]);
    for (const event of events) expect({ type: event.type, errors: validateEventData(event.type, event.data) }).toEqual({ type: event.type, errors: [] });
  });

  it('when data breaks its schema, then the errors name it', () => {
    expect(validateEventData('com.servicenow.case.updated', { sys_id: 'nope' }).length).toBeGreaterThan(0);
    expect(validateEventData('com.servicenow.comment.created', { sys_id: sysId('x'), element: 'comments' }).map((e) => e.params)).toEqual(
      expect.arrayContaining([{ missingProperty: 'element_id' }]),
    );
    const change = changeOf('sys_attachment', 'insert');
    expect(validateEventData('com.servicenow.attachment.created', { ...attachmentData(change), content_base64: 'AAAA' }).length).toBeGreaterThan(0);
  });
});
