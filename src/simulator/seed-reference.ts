import type { RecordStore } from './record-store';
import { SEED_IDS, seedAt } from './seed-ids';

/** [group index, user_name] */
const MEMBERSHIPS: Array<[number, string]> = [
  [0, 'fred.luddy'], [0, 'admin'], [1, 'abel.tuter'], [2, 'david.loo'], [3, 'beth.anglin'], [3, 'david.loo'], [3, 'abel.tuter'],
];
/** [display_name, model_number, manufacturer company index] */
const PRODUCTS: Array<[string, string, number]> = [['Acme Router X200', 'X200', 0], ['Globex Cloud Suite', 'GCS-3', 1], ['Initech TPS Printer', 'TPS-9', 2]];
const CONSUMERS: Array<[string, string]> = [['Kim', 'Novak'], ['Luis', 'Ortega']];
const CHANGE_TASKS = ['Back up the mail server', 'Install version 12 and verify mail flow'];

/**
 * Group memberships, products, B2C consumers and change tasks (seeded after users, groups, companies and
 * changes; before cases, which point at products and consumers).
 */
export function seedReferenceData(store: RecordStore): void {
  const system = { ...seedAt(0.75), user: 'system' };
  MEMBERSHIPS.forEach(([group, user], i) => store.insert('sys_user_grmember', { sys_id: SEED_IDS.membership(i), user: SEED_IDS.user(user), group: SEED_IDS.group(group) }, system));
  PRODUCTS.forEach(([display_name, model_number, company], i) => store.insert('cmdb_model', {
    sys_id: SEED_IDS.product(i), name: display_name, display_name, model_number, manufacturer: SEED_IDS.company(company),
  }, system));
  CONSUMERS.forEach(([first_name, last_name], i) => store.insert('csm_consumer', {
    sys_id: SEED_IDS.consumer(i), first_name, last_name, name: `${first_name} ${last_name}`, email: `${first_name}.${last_name}@example.net`.toLowerCase(),
  }, system));
  CHANGE_TASKS.forEach((short_description, i) => store.insert('change_task', {
    sys_id: SEED_IDS.changeTask(i), short_description, change_request: SEED_IDS.change(0), assigned_to: SEED_IDS.user('abel.tuter'),
  }, seedAt(7 + i)));
}
