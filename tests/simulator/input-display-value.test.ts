import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { api } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const INCIDENTS = '/api/now/table/incident';
const DISPLAY_VALUES = {
  caller_id: 'David Loo', assigned_to: 'Beth Anglin', assignment_group: 'Network', company: 'Globex Corporation', caused_by: 'CHG0030002',
  impact: '1 - High', urgency: '2 - Medium', state: 'In Progress', category: 'Network', opened_at: '2026-01-15 10:30:00',
};

async function post(body: unknown, query: string) {
  return api(sim.url, `${INCIDENTS}?sysparm_exclude_reference_link=true&${query}`, { method: 'POST', body });
}

describe('sysparm_input_display_value', () => {
  it('when true, then references become sys_ids, choice labels their values, and dates are read in the writer\'s time zone (GMT)', async () => {
    const res = await post(DISPLAY_VALUES, 'sysparm_input_display_value=true');
    expect(res.status).toBe(201);
    expect(res.body.result).toMatchObject({
      caller_id: SEED_IDS.user('david.loo'), assigned_to: SEED_IDS.user('beth.anglin'), assignment_group: SEED_IDS.group(1),
      company: SEED_IDS.company(1), caused_by: SEED_IDS.change(1), impact: '1', urgency: '2', priority: '2', state: '2', category: 'network',
      opened_at: '2026-01-15 10:30:00',
    });
  });

  it('when absent or false, then every value is stored as given (a display name is not a sys_id)', async () => {
    for (const query of ['', 'sysparm_input_display_value=false']) {
      const r = (await post(DISPLAY_VALUES, query)).body.result;
      expect(r).toMatchObject({ caller_id: 'David Loo', assignment_group: 'Network', impact: '1 - High', state: 'In Progress', category: 'Network' });
      const shaped = await api(sim.url, `${INCIDENTS}/${r.sys_id}?sysparm_display_value=all&sysparm_fields=caller_id`);
      expect(shaped.body.result.caller_id).toMatchObject({ display_value: '', value: 'David Loo' });
    }
  });

  it('a sys_id is still accepted, and PATCH and PUT convert too', async () => {
    const id = (await post({ assigned_to: SEED_IDS.user('abel.tuter') }, 'sysparm_input_display_value=true')).body.result.sys_id;
    expect(sim.store.get('incident', id)!.assigned_to).toBe(SEED_IDS.user('abel.tuter'));
    for (const method of ['PATCH', 'PUT']) {
      const res = await api(sim.url, `${INCIDENTS}/${id}?sysparm_input_display_value=true`, { method, body: { assigned_to: 'Fred Luddy', urgency: method === 'PUT' ? '1 - High' : '3 - Low' } });
      expect(res.status).toBe(200);
    }
    expect(sim.store.get('incident', id)).toMatchObject({ assigned_to: SEED_IDS.user('fred.luddy'), urgency: '1', priority: '3' });
  });

  it('when the writer\'s time zone is not GMT, then a date-time is converted to UTC', async () => {
    sim.store.update('sys_user', SEED_IDS.user('admin'), { time_zone: 'Europe/Amsterdam' });
    try {
      const winter = (await post({ opened_at: '2026-01-15 10:30:00' }, 'sysparm_input_display_value=true')).body.result;
      const summer = (await post({ opened_at: '2026-07-15 10:30:00' }, 'sysparm_input_display_value=true')).body.result;
      expect([winter.opened_at, summer.opened_at]).toEqual(['2026-01-15 09:30:00', '2026-07-15 08:30:00']);
      expect((await post({ opened_at: '2026-01-15 10:30:00' }, '')).body.result.opened_at).toBe('2026-01-15 10:30:00');
    } finally {
      sim.store.update('sys_user', SEED_IDS.user('admin'), { time_zone: 'GMT' });
    }
  });

  describe('a reference display value that matches nothing (knob unknownInputDisplayValue)', () => {
    afterEach(() => {
      sim.knobs.unknownInputDisplayValue = 'keep';
    });

    it('keep (default): stored as given; an unknown choice label is always kept', async () => {
      const r = (await post({ assigned_to: 'Nobody Here', category: 'Mystery' }, 'sysparm_input_display_value=true')).body.result;
      expect(r).toMatchObject({ assigned_to: 'Nobody Here', category: 'Mystery' });
    });

    it('empty: stored as ""', async () => {
      sim.knobs.unknownInputDisplayValue = 'empty';
      const r = (await post({ assigned_to: 'Nobody Here', caller_id: 'Abel Tuter' }, 'sysparm_input_display_value=true')).body.result;
      expect(r).toMatchObject({ assigned_to: '', caller_id: SEED_IDS.user('abel.tuter') });
    });

    it('reject: 403 Operation Failed naming the field, and no record', async () => {
      sim.knobs.unknownInputDisplayValue = 'reject';
      const before = sim.store.list('incident').length;
      const res = await post({ short_description: 'refused', assignment_group: 'No Such Group' }, 'sysparm_input_display_value=true');
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ message: 'Operation Failed', detail: expect.stringContaining('assignment_group') });
      expect(sim.store.list('incident')).toHaveLength(before);
    });
  });
});
