import { parseInstance } from '../../src/instances/parse-instance';
import { AppError } from '../../src/lib/errors';
import { compileBodyTemplate, compileTextTemplate, TemplateError } from '../../src/writes/action-template';
import { failedCondition, valueAt } from '../../src/writes/action-match';
import { webhookInstance, newSecret } from '../helpers/webhook-signing';
import { APONO_TEMPLATE } from './fixtures';

const event = {
  event_type: 'RequestCreated',
  data: {
    id: 'req_9f2c',
    requester: { name: 'Zoë "Z" O\'Brien 🚀', email: 'zoe@example.com' },
    justification: 'Needs prod DB access\nfor incident "INC-7" \\ rollback',
    access_groups: [{ integration: { name: 'PostgreSQL prod' } }, { integration: { name: 'other' } }],
  },
};

describe('action body templates', () => {
  it('when the issue\'s template meets an event with quotes, a newline, a backslash and emoji, then it renders valid JSON with those values intact', () => {
    const fields = compileBodyTemplate(APONO_TEMPLATE).render(event);
    expect(fields).toEqual({
      caused_by: 'Zoë "Z" O\'Brien 🚀',
      short_description: 'PostgreSQL prod',
      cause: 'RequestCreated',
      description: expect.any(String),
      reopened_by: 'apono app',
    });
    // inserted values are escaped for the body's JSON, once: the text arrives in the field exactly as sent
    expect(fields.description).toBe(`{ "event_type": "RequestCreated", "id": "req_9f2c", "requester_email": "zoe@example.com", "justification": "${event.data.justification}" }`);
  });

  it('when a value is missing, an object or an array, then it becomes empty text or its JSON text', () => {
    const t = compileBodyTemplate('{"a": "{{ nope.deeper }}", "b": "{{ data.requester }}", "c": "{{#each data.access_groups}}{{ integration.name }};{{/each}}"}');
    expect(t.render(event)).toEqual({ a: '', b: JSON.stringify(event.data.requester), c: 'PostgreSQL prod;other;' });
  });

  it('when the body is given as an object, then its strings are the templates', () => {
    const instance = parseInstance({ ...webhookInstance('obj', newSecret()), actions: { a: { table: 'incident', operation: 'insert', body: { short_description: '{{ data.id }}', n: 1 }, auth: { bearer_token: 'x'.repeat(16) } } } });
    expect(instance.actions.get('a')!.body.render(event)).toEqual({ short_description: 'req_9f2c', n: 1 });
  });

  it.each([
    ['an unclosed expression', '{\n  "a": "{{ data.id "\n}', { line: 2, column: 17 }],
    ['an expression outside a JSON string', '{\n  "a": {{ data.id }}\n}', { line: 2, column: 8 }],
    ['a missing comma', '{\n  "a": "{{ data.id }}"\n  "b": "x"\n}', { line: 3, column: 3 }],
    ['raw insertion', '{ "a": "{{{ data.id }}}" }', { line: 1, column: 9 }],
    ['an unknown helper', '{\n\n  "a": "{{ shout data.id }}" }', { line: 3, column: 9 }],
  ])('when a template has %s, then it is refused with its line and column', (_what, source, position) => {
    let error: unknown;
    try {
      compileBodyTemplate(source);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).position).toEqual(position);
  });

  it('when a template renders an array, then it is refused: the body must be a JSON object', () => {
    expect(() => compileBodyTemplate('["{{ a }}"]')).toThrow(/JSON object/);
  });

  it('when an instance definition carries a bad template, then it is refused as invalid_instance with the template\'s path, line and column', () => {
    const definition = { ...webhookInstance('bad', newSecret()), actions: { 'access-log': { table: 'incident', operation: 'insert', body: '{\n  "a": "{{ x }}",\n}', auth: { bearer_token: 'x'.repeat(16) } } } };
    let error: AppError | undefined;
    try {
      parseInstance(definition);
    } catch (err) {
      error = err as AppError;
    }
    expect(error).toMatchObject({ code: 'invalid_instance', httpStatus: 400 });
    expect(error!.options.details).toEqual([{ path: '/actions/access-log/body', message: expect.stringMatching(/^line 3, column 1: /), line: 3, column: 1 }]);
  });

  it('when an update action has neither sys_id nor number, then the definition is refused', () => {
    const definition = { ...webhookInstance('upd', newSecret()), actions: { u: { table: 'incident', operation: 'update', body: '{}', auth: { bearer_token: 'x'.repeat(16) } } } };
    expect(() => parseInstance(definition)).toThrow(/sys_id or number/);
  });

  it('when a one-line template (sys_id, number) renders, then escapes are undone and the text trimmed', () => {
    expect(compileTextTemplate(' {{ data.requester.name }} ').render(event)).toBe('Zoë "Z" O\'Brien 🚀');
  });
});

describe('triggers and filters', () => {
  it('reads paths with .[0], [0] and .0 segments alike', () => {
    for (const path of ['data.access_groups.[0].integration.name', 'data.access_groups[0].integration.name', 'data.access_groups.0.integration.name']) {
      expect(valueAt(event, path)).toBe('PostgreSQL prod');
    }
    expect(valueAt(event, 'data.__proto__')).toBeUndefined();
  });

  it('when the event type is not among the triggers, or a filter fails, then the first failing condition is named', () => {
    const conditions = [{ field: 'event_type', in: ['RequestCreated', 'RequestGranted'] }, { field: 'data.requester.email', not_equals: 'bot@example.com' }, { field: 'data.justification', exists: true }];
    expect(failedCondition(conditions, event)).toBeUndefined();
    expect(failedCondition(conditions, { ...event, event_type: 'RequestExpired' })).toBe(conditions[0]);
    expect(failedCondition(conditions, { ...event, data: { ...event.data, requester: { email: 'bot@example.com' } } })).toBe(conditions[1]);
    expect(failedCondition(conditions, { event_type: 'RequestGranted', data: {} })).toBe(conditions[2]);
  });
});
