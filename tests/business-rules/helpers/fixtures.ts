import crypto from 'node:crypto';
import { buildBusinessRuleBundle, type BusinessRuleBundle } from '../../../src/business-rules/business-rule-bundle';
import { WEBHOOK_PROPERTIES } from '../../../src/business-rules/system-properties';
import { FakeGlideRecord } from './servicenow-fakes';

/** A Standard Webhooks secret for the tests (never in a generated file). */
export const TEST_SECRET = `whsec_${crypto.randomBytes(32).toString('base64')}`;

export const sysId = (): string => crypto.randomBytes(16).toString('hex');

/** The bundle of the committed servicenow-scripts/ (sandbox instance, default public URL). */
export function sandboxBundle(): BusinessRuleBundle {
  return buildBusinessRuleBundle({ instanceId: 'sandbox', publicUrl: 'http://localhost:3000' });
}

/** The system properties as an admin sets them, pointing at `baseUrl`. */
export function properties(baseUrl: string, secret = TEST_SECRET): Record<string, string> {
  return { [WEBHOOK_PROPERTIES.url.name]: baseUrl, [WEBHOOK_PROPERTIES.secret.name]: secret, [WEBHOOK_PROPERTIES.enabled.name]: 'true' };
}

/** One change as a business rule sees it: the table, the rule's When, the operation and the row. */
export interface Change {
  table: string;
  operation: 'insert' | 'update' | 'delete';
  when: 'async' | 'after';
  values: Record<string, string>;
}

/** Every table and operation the generated rules handle, with realistic rows (quotes, newlines, non-ASCII, empties). */
export function allChanges(): Change[] {
  const caseId = sysId();
  const kase = {
    sys_id: caseId, sys_updated_on: '2026-11-22 10:00:00', sys_created_on: '2026-11-22 09:58:12',
    number: 'CS0001001', short_description: 'Printer "on fire" — ünïcødé ✓ <b>&</b>', state: '1', priority: '4',
    account: sysId(), contact: '', assigned_to: '', active: 'true',
  };
  const journal = {
    sys_id: sysId(), sys_created_on: '2026-11-22 10:01:00', element: 'comments', element_id: caseId,
    name: 'sn_customerservice_case', value: 'Customer says:\n"hello"\t\\ 😀',
  };
  const attachment = {
    sys_id: sysId(), sys_updated_on: '2026-11-22 10:02:00', sys_mod_count: '0', table_name: 'sn_customerservice_case',
    table_sys_id: caseId, file_name: 'screen shot.png', content_type: 'image/png', size_bytes: '48213',
  };
  return [
    { table: 'sn_customerservice_case', operation: 'insert', when: 'async', values: { ...kase, sys_mod_count: '0' } },
    { table: 'sn_customerservice_case', operation: 'update', when: 'async', values: { ...kase, sys_mod_count: '3', state: '10' } },
    { table: 'sn_customerservice_case', operation: 'delete', when: 'after', values: { ...kase, sys_mod_count: '4' } },
    { table: 'sys_journal_field', operation: 'insert', when: 'async', values: journal },
    { table: 'sys_attachment', operation: 'insert', when: 'async', values: attachment },
    { table: 'sys_attachment', operation: 'delete', when: 'after', values: { ...attachment, sys_mod_count: '1' } },
  ];
}

/** current for a change; in an async rule `current` is re-read, so the same row. */
export function currentFor(change: Change): FakeGlideRecord {
  return new FakeGlideRecord(change.table, change.values, change.operation);
}

/** `previous`: null in async rules, the row as it was in an after rule. */
export function previousFor(change: Change): FakeGlideRecord | null {
  return change.when === 'async' ? null : new FakeGlideRecord(change.table, change.values, change.operation);
}
