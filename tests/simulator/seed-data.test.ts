import { createSimulatorState } from '../../src/simulator';
import { seedData } from '../../src/simulator/seed-data';

function seeded() {
  const state = createSimulatorState();
  seedData(state.store);
  return state.store;
}

describe('seed data', () => {
  it('is the same on every start: same sys_ids, numbers and values', () => {
    const a = seeded();
    const b = seeded();
    const tables = [
      'sys_user', 'sys_user_group', 'core_company', 'customer_account', 'customer_contact', 'sn_customerservice_case', 'sys_journal_field',
      'sys_attachment', 'kb_knowledge_base', 'kb_knowledge', 'change_request', 'incident',
    ];
    for (const table of tables) {
      expect(a.rows(table)).toEqual(b.rows(table));
      expect(a.rows(table).length).toBeGreaterThan(0);
    }
  });

  it('has 20 cases CS0001001… with valid states, priorities and references, and attachments with bytes', () => {
    const store = seeded();
    const cases = store.rows('sn_customerservice_case');
    expect(cases).toHaveLength(20);
    expect(cases[0].number).toBe('CS0001001');
    expect(cases[19].number).toBe('CS0001020');
    for (const c of cases) {
      expect(['1', '3', '6', '10', '18']).toContain(c.state);
      expect(['1', '2', '3', '4']).toContain(c.priority);
      expect(store.row('customer_account', c.account)).toBeDefined();
      expect(store.row('customer_contact', c.contact)?.account).toBe(c.account);
      expect(c.sys_id).toMatch(/^[0-9a-f]{32}$/);
    }
    for (const a of store.rows('sys_attachment')) expect(store.attachmentContent.get(a.sys_id)?.length).toBe(Number(a.size_bytes));
    expect(store.rows('sys_journal_field').map((j) => j.element).sort()).toEqual(expect.arrayContaining(['comments', 'work_notes']));
  });
});
