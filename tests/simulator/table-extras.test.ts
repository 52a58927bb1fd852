import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { api } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe('Table API: method errors and references', () => {
  it('when DELETE, PUT or PATCH names a table without a record (or POST names a record), then 405 with Allow, and nothing changes', async () => {
    const before = sim.store.list('incident').length;
    const del = await api(sim.url, '/api/now/table/incident', { method: 'DELETE' });
    expect([del.status, del.body.status, del.headers.get('allow')]).toEqual([405, 'failure', 'GET, HEAD, POST']);
    expect((await api(sim.url, '/api/now/v2/table/incident', { method: 'PATCH', body: { urgency: '1' } })).status).toBe(405);
    const post = await api(sim.url, `/api/now/table/incident/${SEED_IDS.incident(0)}`, { method: 'POST', body: { urgency: '1' } });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD, PUT, PATCH, DELETE']);
    expect(sim.store.list('incident')).toHaveLength(before);
  });

  it('sys_domain, product, consumer, assignment_group and company render as {link, value} references', async () => {
    const res = await api(sim.url, `/api/now/table/sn_customerservice_case?sysparm_query=number=CS0001011^ORnumber=CS0001019&sysparm_fields=number,sys_domain,product,consumer,assignment_group`);
    const [withProduct, withConsumer] = res.body.result;
    expect(withProduct.sys_domain).toEqual({ link: `${sim.url}/api/now/table/sys_user_group/global`, value: 'global' });
    expect(withProduct.product).toEqual({ link: `${sim.url}/api/now/table/cmdb_model/${SEED_IDS.product(1)}`, value: SEED_IDS.product(1) });
    expect(withConsumer.consumer).toEqual({ link: `${sim.url}/api/now/table/csm_consumer/${SEED_IDS.consumer(0)}`, value: SEED_IDS.consumer(0) });
    const shown = await api(sim.url, `/api/now/table/incident/${SEED_IDS.incident(0)}?sysparm_display_value=true&sysparm_fields=sys_domain,assignment_group,company`);
    expect(shown.body.result.sys_domain).toEqual({ display_value: 'global', link: `${sim.url}/api/now/table/sys_user_group/global` });
    expect(shown.body.result.assignment_group.display_value).toBe('Service Desk');
    expect(shown.body.result.company.display_value).toBe('ACME North America');
  });

  it('sys_dictionary lists every column of a table with its type, reference, label and length (what schema checks read)', async () => {
    const res = await api(sim.url, '/api/now/table/sys_dictionary?sysparm_query=name=incident&sysparm_fields=element,internal_type,reference,column_label,max_length,mandatory&sysparm_limit=500');
    const byElement = Object.fromEntries(res.body.result.map((r: Record<string, string>) => [r.element, r]));
    expect(byElement['']).toMatchObject({ internal_type: 'collection', column_label: 'Incident' });
    expect(byElement.caller_id).toEqual({ element: 'caller_id', internal_type: 'reference', reference: 'sys_user', column_label: 'Caller', max_length: '32', mandatory: 'false' });
    expect(byElement.short_description).toMatchObject({ internal_type: 'string', max_length: '160' });
    expect(byElement.opened_at.internal_type).toBe('glide_date_time');
    expect(byElement.state.internal_type).toBe('integer');
    expect(byElement.active.internal_type).toBe('boolean');
    expect(byElement.work_notes.internal_type).toBe('journal_input');
    expect(Object.keys(byElement)).toEqual(expect.arrayContaining(['sys_id', 'number', 'incident_state', 'correlation_id']));
    expect(byElement.u_backstage_entity_id).toBeUndefined();
  });
});

describe('Aggregate API', () => {
  it('counts, averages, sums and extremes without grouping, every value a string', async () => {
    const res = await api(sim.url, '/api/now/stats/incident?sysparm_count=true&sysparm_avg_fields=impact&sysparm_min_fields=priority&sysparm_max_fields=priority,opened_at&sysparm_sum_fields=reopen_count&sysparm_query=active=true');
    expect(res.status).toBe(200);
    expect(res.body.result.stats).toEqual({
      count: '5', avg: { impact: '1.8000' }, min: { priority: '1' }, max: { priority: '4', opened_at: expect.stringMatching(/^2025-09-0\d \d\d:\d\d:\d\d$/) }, sum: { reopen_count: '0' },
    });
  });

  it('groups by a field (display values on request), filters groups with sysparm_having and orders them', async () => {
    const res = await api(sim.url, '/api/now/stats/incident?sysparm_count=true&sysparm_group_by=assignment_group&sysparm_order_by=COUNT^DESC&sysparm_display_value=true');
    expect(res.body.result.map((g: { stats: { count: string }; groupby_fields: Array<{ field: string; value: string }> }) => [g.groupby_fields[0].value, g.stats.count]))
      .toEqual([['Service Desk', '4'], ['Network', '1'], ['Database', '1']]);
    const having = await api(sim.url, '/api/now/v1/stats/incident?sysparm_count=true&sysparm_group_by=state&sysparm_having=count^state^>^1');
    expect(having.body.result).toEqual([{ stats: { count: '2' }, groupby_fields: [{ field: 'state', value: '2' }] }]);
    expect((await api(sim.url, '/api/now/stats/no_such_table?sysparm_count=true')).status).toBe(400);
  });
});

describe('Case API: activities and field values', () => {
  it('GET /case/{id}/activities answers the stream newest first (comments, work notes, attachments) with the case header', async () => {
    const res = await api(sim.url, '/api/sn_customerservice/case/CS0001001/activities');
    expect(res.status).toBe(200);
    const { result } = res.body;
    expect(result).toMatchObject({ number: 'CS0001001', display_value: 'CS0001001', sys_id: SEED_IDS.case(0), table: 'sn_customerservice_case', label: 'Case', user_login: 'admin' });
    expect(result.journal_fields.map((f: { name: string }) => f.name)).toEqual(['comments', 'work_notes']);
    expect(result.entries.map((e: { element: string }) => e.element).sort()).toEqual(['attachment', 'attachment', 'comments', 'comments', 'work_notes']);
    const times = result.entries.map((e: { sys_created_on: string }) => e.sys_created_on);
    expect(times).toEqual([...times].sort().reverse());
    const note = result.entries.find((e: { element: string }) => e.element === 'work_notes');
    expect(note).toMatchObject({ field_label: 'Work notes', name: 'Beth Anglin', initials: 'BA', user_sys_id: SEED_IDS.user('beth.anglin') });
    const onlyNotes = await api(sim.url, `/api/sn_customerservice/case/${SEED_IDS.case(0)}/activities?activity_type=work_notes&sysparm_limit=5`);
    expect(onlyNotes.body.result.entries).toHaveLength(1);
    expect(onlyNotes.headers.get('x-total-count')).toBe('1');
    expect((await api(sim.url, '/api/sn_customerservice/case/CS9999999/activities')).status).toBe(404);
  });

  it('GET /case/field_values/{field} lists a choice field\'s choices and a reference field\'s rows as {label, value}', async () => {
    const states = await api(sim.url, '/api/sn_customerservice/case/field_values/state');
    expect(states.body.result).toEqual(expect.arrayContaining([{ label: 'New', value: '1' }, { label: 'Closed', value: '3' }]));
    const contacts = await api(sim.url, '/api/sn_customerservice/case/field_values/contact?sysparm_query=nameSTARTSWITHA&sysparm_reference_field_columns=email');
    expect(contacts.body.result).toEqual([{ label: 'Alice Johnson', value: SEED_IDS.contact(0), email: 'alice.johnson@acme.example.com' }]);
    const forCase = await api(sim.url, `/api/sn_customerservice/case/${SEED_IDS.case(0)}/field_values/product?limit=2`);
    expect(forCase.body.result).toHaveLength(2);
    expect(forCase.headers.get('x-total-count')).toBe('3');
    expect((await api(sim.url, '/api/sn_customerservice/case/field_values/short_description')).status).toBe(400);
  });
});
