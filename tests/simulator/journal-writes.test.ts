import { SANDBOX_CLIENT, SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { api, tokenRequest } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const CLIENT_CREDENTIALS = { grant_type: 'client_credentials', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret };

async function bearer(): Promise<Record<string, string>> {
  const { body } = await tokenRequest(sim.url, CLIENT_CREDENTIALS);
  return { authorization: `Bearer ${body.access_token}` };
}

function journalOf(sysId: string) {
  return sim.store.list('sys_journal_field').filter((j) => j.element_id === sysId);
}

describe('journal fields written by PATCH', () => {
  it.each([
    ['incident', SEED_IDS.incident(1)],
    ['sn_customerservice_case', SEED_IDS.case(16)],
  ])('on %s: one sys_journal_field row per field, by the API user; the parent reads "" and its mod count goes up by one', async (table, id) => {
    const before = sim.store.get(table, id)!;
    const res = await api(sim.url, `/api/now/table/${table}/${id}`, { method: 'PATCH', body: { comments: 'Customer update', work_notes: 'Internal note' }, headers: await bearer() });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ comments: '', work_notes: '', sys_mod_count: String(Number(before.sys_mod_count) + 1), sys_updated_by: 'snowgate.integration' });
    const rows = journalOf(id).slice(-2);
    expect(rows.map(({ element, element_id, name, value, sys_created_by }) => ({ element, element_id, name, value, sys_created_by }))).toEqual([
      { element: 'comments', element_id: id, name: table, value: 'Customer update', sys_created_by: 'snowgate.integration' },
      { element: 'work_notes', element_id: id, name: table, value: 'Internal note', sys_created_by: 'snowgate.integration' },
    ]);
  });

  it('when the journal text is empty or blank, then no row and no commit', async () => {
    const id = SEED_IDS.incident(2);
    const before = sim.store.get('incident', id)!;
    const rows = journalOf(id).length;
    const res = await api(sim.url, `/api/now/table/incident/${id}`, { method: 'PATCH', body: { comments: '   ', work_notes: '' } });
    expect(res.body.result.sys_mod_count).toBe(before.sys_mod_count);
    expect(journalOf(id)).toHaveLength(rows);
  });

  it('with sysparm_display_value=true, the field reads as its history, newest first, with the writer\'s name and the field label', async () => {
    const created = sim.store.insert('incident', { short_description: 'history' });
    sim.clock.set('2026-03-01 12:00:00');
    try {
      await api(sim.url, `/api/now/table/incident/${created.sys_id}`, { method: 'PATCH', body: { comments: 'first comment' } });
      sim.clock.advance(5000);
      await api(sim.url, `/api/now/table/incident/${created.sys_id}`, { method: 'PATCH', body: { work_notes: 'a note\non two lines' }, headers: await bearer() });
      sim.clock.advance(5000);
      await api(sim.url, `/api/now/table/incident/${created.sys_id}`, { method: 'PATCH', body: { comments: 'second comment' } });
    } finally {
      sim.clock.useRealTime();
    }
    const read = async (query: string) =>
      (await api(sim.url, `/api/now/table/incident/${created.sys_id}?sysparm_fields=comments,work_notes,comments_and_work_notes&${query}`)).body.result;
    expect(await read('')).toEqual({ comments: '', work_notes: '', comments_and_work_notes: '' });
    const shown = await read('sysparm_display_value=true');
    expect(shown.comments).toBe(
      '2026-03-01 12:00:10 - System Administrator (Additional comments)\nsecond comment\n\n'
      + '2026-03-01 12:00:00 - System Administrator (Additional comments)\nfirst comment\n\n',
    );
    expect(shown.work_notes).toBe('2026-03-01 12:00:05 - Snowgate Integration (Work notes)\na note\non two lines\n\n');
    expect(shown.comments_and_work_notes.split('\n\n').filter(Boolean).map((e: string) => e.split('\n')[0])).toEqual([
      '2026-03-01 12:00:10 - System Administrator (Additional comments)',
      '2026-03-01 12:00:05 - Snowgate Integration (Work notes)',
      '2026-03-01 12:00:00 - System Administrator (Additional comments)',
    ]);
    expect((await read('sysparm_display_value=all')).work_notes).toEqual({ display_value: shown.work_notes, value: '' });
  });

  it('seeded case comments by a customer contact show the contact\'s name', async () => {
    const res = await api(sim.url, `/api/now/table/sn_customerservice_case/${SEED_IDS.case(1)}?sysparm_fields=comments&sysparm_display_value=true`);
    expect(res.body.result.comments).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - Bob Martinez \(Additional comments\)\nThe invoice INV-2231 applies 21% instead of 9%\.\n\n$/);
  });
});
