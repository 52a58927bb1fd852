import crypto from 'node:crypto';
import type { Instance } from '../../src/instances/instance';
import { parseInstance } from '../../src/instances/parse-instance';
import type { ChangeJob, ChangeOperation } from '../../src/queues/change-job';

export const SIGNATURE_KEY = 'whsec_' + Buffer.alloc(32, 9).toString('base64');

export const sysId = (seed: string): string => crypto.createHash('md5').update(seed).digest('hex');

/** An instance whose events go to `callbackUrl`; private targets allowed unless said otherwise. */
export function instanceFor(id: string, callbackUrl: string, overrides: Record<string, unknown> = {}): Instance {
  return parseInstance({
    id,
    name: id,
    configuration: {
      'servicenow.instance_url': 'https://acme.service-now.com/',
      'oauth.api.key': 'client',
      'oauth.api.secret': 'secret',
      'webhook.secret': 'whsec_' + Buffer.alloc(24, 1).toString('base64'),
      'event.notification.callback.url': callbackUrl,
      'event.notification.signature.key': SIGNATURE_KEY,
      'event.notification.allow_private_targets': true,
      ...overrides,
    },
  });
}

let counter = 0;

/** A change of `table`, with a fresh event id. */
export function changeOf(table: string, operation: ChangeOperation, record: Record<string, string> = {}, instanceId = 'acme'): ChangeJob {
  counter += 1;
  const id = sysId(`${table}-${counter}-${Math.random()}`);
  return {
    eventId: `${id}-${counter}`,
    instanceId,
    table,
    sysId: id,
    operation,
    sysUpdatedOn: '2026-11-22 10:00:00',
    sysModCount: String(counter),
    record,
    source: 'webhook',
    receivedAt: Date.UTC(2026, 10, 22, 10, 0, 5),
  };
}

/** Enriched data for a case. */
export function caseData(change: ChangeJob): Record<string, unknown> {
  return {
    sys_id: change.sysId,
    number: 'CS0001001',
    short_description: 'Printer on fire',
    state: { value: '1', display_value: 'New' },
    account: { value: sysId('account'), display_value: 'Acme Corp', link: 'https://acme.service-now.com/api/now/table/customer_account/x' },
    sys_updated_on: change.sysUpdatedOn,
    sys_mod_count: change.sysModCount,
  };
}

export function journalData(change: ChangeJob, element: 'comments' | 'work_notes'): Record<string, unknown> {
  return {
    sys_id: change.sysId,
    element,
    element_id: sysId('case-1'),
    name: 'sn_customerservice_case',
    value: 'Customer called back',
    sys_created_by: 'admin',
    parent: { sys_id: sysId('case-1'), table: 'sn_customerservice_case', number: 'CS0001001', short_description: 'Printer on fire', state: 'New' },
  };
}

export function attachmentData(change: ChangeJob): Record<string, unknown> {
  return {
    sys_id: change.sysId,
    file_name: 'screenshot.png',
    content_type: 'image/png',
    size_bytes: '2048',
    table_name: 'sn_customerservice_case',
    table_sys_id: sysId('case-1'),
    sha256: crypto.createHash('sha256').update('bytes').digest('hex'),
    download_link: `https://acme.service-now.com/api/now/attachment/${change.sysId}/file`,
  };
}
