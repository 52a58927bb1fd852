import { renderUpdateSetXml, updateSetName } from '../../src/business-rules/update-set-xml';
import { buildBusinessRuleBundle } from '../../src/business-rules/business-rule-bundle';
import { sandboxBundle } from './helpers/fixtures';
import { child, childrenNamed, parseXml, textOf, type XmlElement } from './helpers/xml-parser';

const bundle = sandboxBundle();
const xml = renderUpdateSetXml(bundle, new Date('2026-11-22T10:00:00Z'));
const root = parseXml(xml);
const field = (el: XmlElement, name: string): string => textOf(child(el, name));

/** Each sys_update_xml with its payload parsed (the payload is an XML document of its own, escaped). */
const updates = childrenNamed(root, 'sys_update_xml').map((u) => {
  const payload = parseXml(field(u, 'payload'));
  const record = child(payload, payload.attributes.table!);
  return { update: u, payload, record };
});

describe('the update set XML', () => {
  it('is a well-formed unload with one retrieved update set and one update per rule and property', () => {
    expect(root.name).toBe('unload');
    expect(root.attributes.unload_date).toBe('2026-11-22 10:00:00');
    const set = child(root, 'sys_remote_update_set');
    expect(field(set, 'name')).toBe(updateSetName('sandbox'));
    expect(field(set, 'state')).toBe('loaded');
    expect(updates).toHaveLength(bundle.rules.length + bundle.properties.length);
    for (const { update } of updates) {
      expect(field(update, 'remote_update_set')).toBe(field(set, 'sys_id'));
      expect(field(update, 'action')).toBe('INSERT_OR_UPDATE');
    }
  });

  it('holds every rule as a sys_script with its table, When, actions, Advanced, Order, Condition and script', () => {
    const rules = updates.filter((u) => u.payload.attributes.table === 'sys_script');
    expect(rules.map((u) => field(u.record, 'name'))).toEqual(bundle.rules.map((r) => r.name));
    for (const rule of bundle.rules) {
      const { update, record } = rules.find((u) => field(u.record, 'name') === rule.name)!;
      const script = bundle.scripts.find((s) => s.table === rule.table)!.script;
      expect({
        collection: field(record, 'collection'), when: field(record, 'when'), order: field(record, 'order'),
        insert: field(record, 'action_insert'), update: field(record, 'action_update'), delete: field(record, 'action_delete'),
        query: field(record, 'action_query'), advanced: field(record, 'advanced'), active: field(record, 'active'),
        condition: field(record, 'condition'), script: field(record, 'script'),
      }).toEqual({
        collection: rule.table, when: rule.when, order: String(rule.order),
        insert: String(rule.actions.includes('insert')), update: String(rule.actions.includes('update')),
        delete: String(rule.actions.includes('delete')), query: 'false', advanced: 'true', active: 'true',
        condition: rule.condition, script,
      });
      const sysId = field(record, 'sys_id');
      expect(sysId).toMatch(/^[0-9a-f]{32}$/);
      expect(field(update, 'name')).toBe(`sys_script_${sysId}`);
      expect(field(record, 'sys_update_name')).toBe(`sys_script_${sysId}`);
      expect(field(update, 'type')).toBe('Business Rule');
      expect(field(update, 'table')).toBe(rule.table);
      expect(field(record, 'sys_scope')).toBe('global');
    }
  });

  it('holds every property; the secret one as password2 with no value at all', () => {
    const props = updates.filter((u) => u.payload.attributes.table === 'sys_properties');
    expect(props.map((u) => field(u.record, 'name'))).toEqual(bundle.properties.map((p) => p.name));
    for (const p of bundle.properties) {
      const { record, update } = props.find((u) => field(u.record, 'name') === p.name)!;
      expect(field(record, 'type')).toBe(p.type);
      expect(field(update, 'name')).toBe(`sys_properties_${field(record, 'sys_id')}`);
      if (p.value === undefined) expect(childrenNamed(record, 'value')).toEqual([]);
      else expect(field(record, 'value')).toBe(p.value);
    }
    const url = props.find((u) => field(u.record, 'name') === 'snowgate.webhook.url')!;
    expect(field(url.record, 'value')).toBe('http://localhost:3000/webhooks/sandbox');
    const secret = props.find((u) => field(u.record, 'name') === 'snowgate.webhook.secret')!;
    expect(field(secret.record, 'type')).toBe('password2');
    expect(field(secret.record, 'is_private')).toBe('true');
  });

  it('record ids are stable per instance and rule (a re-import updates) and differ between instances', () => {
    const ids = (x: string) => childrenNamed(parseXml(x), 'sys_update_xml').map((u) => field(u, 'name'));
    const again = renderUpdateSetXml(sandboxBundle(), new Date());
    const other = renderUpdateSetXml(buildBusinessRuleBundle({ instanceId: 'acme', publicUrl: 'http://localhost:3000' }));
    expect(ids(again)).toEqual(ids(xml));
    expect(new Set([...ids(other), ...ids(xml)]).size).toBe(2 * ids(xml).length);
  });

  it('the checker really rejects malformed XML', () => {
    for (const bad of ['<a><b></a></b>', '<a>&nbsp;</a>', '<a x="1" x="2"/>', '<a>1 < 2</a>', '<a/><b/>', '<a x=1/>', '<a>\u0001</a>', '<a>& b</a>']) {
      expect(() => parseXml(bad)).toThrow(/not well-formed/);
    }
    expect(textOf(parseXml('<?xml version="1.0"?><a>&lt;&#65;&#x42;<![CDATA[<&>]]></a>'))).toBe('<AB<&>');
  });
});
