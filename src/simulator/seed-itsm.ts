import { stableSysId } from './glide-values';
import type { RecordStore } from './record-store';
import { SEED_IDS, seedAt } from './seed-ids';

const GROUPS: Array<[string, string, string]> = [
  ['Service Desk', 'First-line support for every request', 'fred.luddy'],
  ['Network', 'LAN, WAN, VPN and firewalls', 'abel.tuter'],
  ['Database', 'Database administration and backups', 'david.loo'],
  ['Customer Service', 'Customer cases and escalations', 'beth.anglin'],
];
const COMPANIES: Array<[string, string, string]> = [
  ['ACME North America', 'San Diego', 'USA'], ['Globex Corporation', 'Springfield', 'USA'], ['Initech Ltd', 'Austin', 'USA'],
];
const KNOWLEDGE_BASES: Array<[string, string, string]> = [['IT', 'Internal IT knowledge', 'admin'], ['Customer Service', 'Answers for customers', 'fred.luddy']];
const CHANGES = ['Upgrade the mail server to version 12', 'Replace the core switch in DC1'];

/** [short_description, impact, urgency, state, category, caller, assignee, group, extra fields] */
const INCIDENTS: Array<[string, string, string, string, string, string, string, number, Record<string, string>]> = [
  ['Email server not responding', '1', '1', '2', 'network', 'david.loo', 'beth.anglin', 0, { contact_type: 'phone', caused_by: SEED_IDS.change(0) }],
  ['VPN connection drops every hour', '2', '2', '1', 'network', 'abel.tuter', '', 1, { contact_type: 'email' }],
  ['Laptop battery not charging', '3', '2', '3', 'hardware', 'fred.luddy', 'david.loo', 0, { hold_reason: '4' }],
  ['Cannot access the shared drive', '2', '1', '6', 'software', 'beth.anglin', 'abel.tuter', 0, { close_code: 'Solution provided', close_notes: 'Permissions restored on the share.' }],
  ['Request for a second monitor', '3', '3', '7', 'inquiry', 'david.loo', 'beth.anglin', 0, { close_code: 'Solution provided', close_notes: 'Monitor delivered.' }],
  ['Database backup job failed', '1', '2', '2', 'database', 'admin', 'david.loo', 2, { correlation_id: 'monitoring:backup-job-42', correlation_display: 'Backup monitor' }],
];

/** Groups, companies, knowledge bases and changes: what incidents and articles refer to. */
export function seedItsmReferenceData(store: RecordStore): void {
  GROUPS.forEach(([name, description, manager], i) => store.insert('sys_user_group', {
    sys_id: SEED_IDS.group(i), name, description, manager: SEED_IDS.user(manager), email: `${name.toLowerCase().replace(/ /g, '.')}@example.com`,
  }, { ...seedAt(0.5), user: 'system' }));
  COMPANIES.forEach(([name, city, country], i) => store.insert('core_company', { sys_id: SEED_IDS.company(i), name, city, country }, { ...seedAt(0.5), user: 'system' }));
  KNOWLEDGE_BASES.forEach(([title, description, owner], i) => store.insert('kb_knowledge_base', {
    sys_id: SEED_IDS.knowledgeBase(i), title, description, owner: SEED_IDS.user(owner),
  }, { ...seedAt(0.5), user: 'system' }));
  CHANGES.forEach((short_description, i) => store.insert('change_request', {
    sys_id: SEED_IDS.change(i), number: `CHG${String(30001 + i).padStart(7, '0')}`, short_description,
  }, seedAt(6 + i)));
}

/** Six incidents INC0010001… in every state family, two journal entries on the first. */
export function seedIncidents(store: RecordStore): void {
  INCIDENTS.forEach(([short_description, impact, urgency, state, category, caller, assignee, group, extra], i) => store.insert('incident', {
    sys_id: SEED_IDS.incident(i), number: `INC${String(10001 + i).padStart(7, '0')}`, short_description, description: `${short_description}.`,
    impact, urgency, state, category, caller_id: SEED_IDS.user(caller), assigned_to: assignee ? SEED_IDS.user(assignee) : '',
    assignment_group: SEED_IDS.group(group), company: SEED_IDS.company(i % COMPANIES.length), ...extra,
  }, { ...seedAt(48 + i * 5), user: 'admin' }));
  const entries: Array<['comments' | 'work_notes', string, string]> = [
    ['comments', 'david.loo', 'Outlook shows "Disconnected" for everyone on floor 3.'],
    ['work_notes', 'beth.anglin', 'Exchange services restarted; monitoring the queue.'],
  ];
  entries.forEach(([element, user, value], i) => store.insert('sys_journal_field', {
    sys_id: stableSysId(`sys_journal_field:incident:${i}`), element, element_id: SEED_IDS.incident(0), name: 'incident', value,
  }, { ...seedAt(49 + i * 0.5), user }));
}
