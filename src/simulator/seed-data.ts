import { attachFile, solidPng } from './attachment-files';
import { stableSysId } from './glide-values';
import type { RecordStore } from './record-store';
import { SEED_IDS, seedAt } from './seed-ids';
import { seedIncidents, seedItsmReferenceData } from './seed-itsm';

export { SEED_IDS } from './seed-ids';

const at = seedAt;

const USERS = [
  ['admin', 'System', 'Administrator', 'admin@example.com', 'System Administrator'],
  ['beth.anglin', 'Beth', 'Anglin', 'beth.anglin@example.com', 'Customer Service Agent'],
  ['david.loo', 'David', 'Loo', 'david.loo@example.com', 'Customer Service Agent'],
  ['abel.tuter', 'Abel', 'Tuter', 'abel.tuter@example.com', 'Senior Support Engineer'],
  ['fred.luddy', 'Fred', 'Luddy', 'fred.luddy@example.com', 'Customer Service Manager'],
  ['snowgate.integration', 'Snowgate', 'Integration', 'snowgate.integration@example.com', 'Integration user (OAuth Application User)'],
];

const ACCOUNTS = [
  ['Acme Corporation', 'San Diego', 'USA', '+1 619 555 0100', 'https://acme.example.com'],
  ['Globex Industries', 'Springfield', 'USA', '+1 217 555 0142', 'https://globex.example.com'],
  ['Initech', 'Austin', 'USA', '+1 512 555 0199', 'https://initech.example.com'],
  ['Umbrella Health', 'London', 'United Kingdom', '+44 20 7946 0321', 'https://umbrella.example.com'],
  ['Stark Logistics', 'Rotterdam', 'Netherlands', '+31 10 555 0177', 'https://stark.example.com'],
];

const CONTACTS = [
  ['Alice', 'Johnson', 'IT Manager'], ['Bob', 'Martinez', 'Procurement Lead'], ['Carla', 'Nguyen', 'Operations Director'],
  ['Dmitri', 'Ivanov', 'Systems Engineer'], ['Emma', 'Lawson', 'Office Manager'], ['Farid', 'Haddad', 'Network Administrator'],
  ['Grace', 'Okafor', 'Head of Clinical IT'], ['Henry', 'Walsh', 'Service Desk Lead'], ['Ingrid', 'de Vries', 'Fleet Coordinator'],
  ['Jonas', 'Bakker', 'Finance Controller'],
];

const CASES = [
  'Unable to log in to the customer portal', 'Invoice shows the wrong VAT rate', 'Shipment tracking page returns an error',
  'Request to add five user licences', 'Mobile app crashes on start-up after update', 'Data export to CSV is missing columns',
  'SSO login loops back to the sign-in page', 'Password reset email never arrives', 'API rate limit reached during nightly sync',
  'Dashboard widgets load very slowly', 'Need a copy of the signed contract', 'Printer integration stopped working',
  'Duplicate orders created from the web shop', 'Change billing contact to the finance team', 'Report scheduler sends empty reports',
  'Question about the upcoming maintenance window', 'Attachment upload fails for large PDFs', 'Two-factor codes rejected as expired',
  'Warehouse scanner cannot reach the server', 'Request for on-site training session',
];

const STATES = ['1', '10', '18', '10', '6', '3', '1', '10', '18', '6'];
const PRIORITIES = ['4', '3', '2', '1', '3', '4', '2', '3'];

const KB = [
  ['How to reset your portal password', 'Use the Forgot password link on the sign-in page; the link in the email is valid for 30 minutes.'],
  ['Configuring single sign-on with SAML', 'Upload the identity provider metadata and map the email attribute to the user name.'],
  ['Exporting data to CSV', 'Open the list, choose Export > CSV. Exports over 50,000 rows are emailed when ready.'],
  ['Understanding API rate limits', 'Each integration user may send a fixed number of requests per hour; watch the X-RateLimit headers.'],
  ['Setting up two-factor authentication', 'Scan the QR code with an authenticator app and enter the six-digit code to confirm.'],
];

/**
 * Loads the deterministic sandbox data: users, groups, companies, accounts, contacts, 20 cases
 * (CS0001001…), comments and work notes, attachments with real bytes, knowledge bases and articles,
 * changes and incidents (INC0010001…). Dates start 2025-09-01 UTC.
 */
export function seedData(store: RecordStore): void {
  USERS.forEach(([user_name, first_name, last_name, email, title]) => store.insert('sys_user', {
    sys_id: SEED_IDS.user(user_name), user_name, first_name, last_name, name: `${first_name} ${last_name}`, email, title,
  }, { ...at(0), user: 'system' }));
  seedItsmReferenceData(store);
  ACCOUNTS.forEach(([name, city, country, phone, website], i) => store.insert('customer_account', {
    sys_id: SEED_IDS.account(i), name, city, country, phone, website,
  }, at(1)));
  CONTACTS.forEach(([first_name, last_name, title], i) => store.insert('customer_contact', {
    sys_id: SEED_IDS.contact(i), first_name, last_name, title, name: `${first_name} ${last_name}`, account: SEED_IDS.account(Math.floor(i / 2)),
    email: `${first_name}.${last_name}`.toLowerCase().replace(/ /g, '') + `@${ACCOUNTS[Math.floor(i / 2)][0].split(' ')[0].toLowerCase()}.example.com`,
    user_name: `${first_name}.${last_name}`.toLowerCase().replace(/ /g, ''), phone: `+1 555 01${String(i).padStart(2, '0')}`,
  }, at(1)));
  for (const i of ACCOUNTS.keys()) store.update('customer_account', SEED_IDS.account(i), { primary_contact: SEED_IDS.contact(i * 2) }, at(2));
  seedCases(store);
  seedKnowledge(store);
  seedIncidents(store);
}

function seedCases(store: RecordStore): void {
  const agents = USERS.slice(1, 4).map(([u]) => SEED_IDS.user(u));
  CASES.forEach((short_description, i) => {
    const contact = i % CONTACTS.length;
    const opened = 24 + i * 7;
    store.insert('sn_customerservice_case', {
      sys_id: SEED_IDS.case(i), number: `CS${String(1001 + i).padStart(7, '0')}`, short_description,
      description: `${short_description}. Reported by ${CONTACTS[contact][0]} ${CONTACTS[contact][1]}.`,
      priority: PRIORITIES[i % PRIORITIES.length], account: SEED_IDS.account(Math.floor(contact / 2)), contact: SEED_IDS.contact(contact),
      contact_type: ['web', 'email', 'phone'][i % 3], assigned_to: i % 5 === 4 ? '' : agents[i % agents.length],
    }, { ...at(opened), user: 'admin' });
    const state = STATES[i % STATES.length];
    if (state !== '1') {
      const closing = state === '3' ? { closed_at: at(opened + 30).at.toISOString().slice(0, 19).replace('T', ' '), active: 'false', close_notes: 'Resolved with the customer.' } : {};
      store.update('sn_customerservice_case', SEED_IDS.case(i), { state, ...closing }, { ...at(opened + 2 + (i % 4)), user: 'beth.anglin' });
    }
  });
  seedJournal(store);
  seedAttachments(store);
}

function seedJournal(store: RecordStore): void {
  const entries: Array<[number, 'comments' | 'work_notes', string, string]> = [
    [0, 'comments', 'alice.johnson', 'I still cannot log in, the page says my account is locked.'],
    [0, 'work_notes', 'beth.anglin', 'Account was locked after 5 failed attempts; unlocked in the identity store.'],
    [0, 'comments', 'beth.anglin', 'We unlocked your account. Please try again and let us know.'],
    [1, 'comments', 'bob.martinez', 'The invoice INV-2231 applies 21% instead of 9%.'],
    [2, 'comments', 'carla.nguyen', 'Tracking number 1Z999AA10123456784 gives error 500.'],
    [3, 'work_notes', 'abel.tuter', 'Licence order raised with sales, waiting for approval.'],
    [4, 'comments', 'emma.lawson', 'Crash happens on Android 14 only.'],
    [4, 'work_notes', 'david.loo', 'Reproduced on a Pixel 8; stack trace attached to the engineering ticket.'],
    [7, 'comments', 'henry.walsh', 'Checked spam folders as well, nothing there.'],
    [7, 'work_notes', 'beth.anglin', 'Mail relay shows the message bounced: SPF failure.'],
  ];
  entries.forEach(([c, element, user, value], i) => store.insert('sys_journal_field', {
    sys_id: stableSysId(`sys_journal_field:${i}`), element, element_id: SEED_IDS.case(c), name: 'sn_customerservice_case', value,
  }, { ...at(24 + c * 7 + 1 + i * 0.25), user }));
}

function seedAttachments(store: RecordStore): void {
  const files: Array<[number, string, string, Buffer]> = [
    [0, 'login-error.txt', 'text/plain', Buffer.from('2025-09-02 09:14:03 ERROR auth: account locked (5 failed attempts)\n')],
    [0, 'screenshot.png', 'image/png', solidPng(4, 3, [200, 40, 40])],
    [1, 'invoice-INV-2231.csv', 'text/csv', Buffer.from('line,description,amount,vat\n1,Support plan,1200.00,21%\n')],
    [4, 'crash-log.txt', 'text/plain', Buffer.from('FATAL EXCEPTION: main\njava.lang.NullPointerException at MainActivity.onCreate\n')],
    [7, 'mail-headers.txt', 'text/plain', Buffer.from('Received-SPF: fail (domain does not designate sender)\n')],
    [9, 'dashboard.png', 'image/png', solidPng(2, 2, [30, 120, 200])],
  ];
  files.forEach(([c, fileName, contentType, content], i) => attachFile(store, {
    sysId: stableSysId(`sys_attachment:${i}`), tableName: 'sn_customerservice_case', tableSysId: SEED_IDS.case(c), fileName, contentType, content,
  }, { ...at(24 + c * 7 + 3), user: 'admin' }));
}

function seedKnowledge(store: RecordStore): void {
  KB.forEach(([short_description, text], i) => store.insert('kb_knowledge', {
    sys_id: SEED_IDS.knowledge(i), short_description, text: `<p>${text}</p>`, workflow_state: 'published', kb_knowledge_base: SEED_IDS.knowledgeBase(i % 2),
    author: SEED_IDS.user(USERS[1 + (i % 4)][0]), published: '2025-09-01',
  }, at(12 + i)));
}
