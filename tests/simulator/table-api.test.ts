import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { api, BASIC } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const CASES = '/api/now/table/sn_customerservice_case';

describe('Table API reads', () => {
  it('returns every value as a string, dates as yyyy-MM-dd HH:mm:ss, empty as ""', async () => {
    const { status, body } = await api(sim.url, `${CASES}/${SEED_IDS.case(4)}?sysparm_exclude_reference_link=true`);
    expect(status).toBe(200);
    const r = body.result;
    for (const v of Object.values(r)) expect(typeof v).toBe('string');
    expect(r.number).toBe('CS0001005');
    expect(r.sys_updated_on).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(r.assigned_to).toBe('');
    expect(r.comments).toBe('');
    expect(r.sys_id).toMatch(/^[0-9a-f]{32}$/);
  });

  describe('reference fields per sysparm_display_value / sysparm_exclude_reference_link', () => {
    const account = SEED_IDS.account(0);
    const link = () => `${sim.url}/api/now/table/customer_account/${account}`;
    const read = async (query: string) =>
      (await api(sim.url, `${CASES}/${SEED_IDS.case(0)}?sysparm_fields=account,assigned_to,state&${query}`)).body.result;

    it('default: {link, value}; an empty reference is ""', async () => {
      const r = await read('');
      expect(r.account).toEqual({ link: link(), value: account });
      expect(Object.keys(r.account)).toEqual(['link', 'value']);
      expect(r.state).toBe('1');
    });
    it('exclude_reference_link=true: the plain sys_id', async () => {
      expect((await read('sysparm_exclude_reference_link=true')).account).toBe(account);
    });
    it('display_value=true: {display_value, link}, choice fields as their label', async () => {
      const r = await read('sysparm_display_value=true');
      expect(r.account).toEqual({ display_value: 'Acme Corporation', link: link() });
      expect(r.state).toBe('New');
    });
    it('display_value=true with exclude_reference_link: the display string', async () => {
      expect((await read('sysparm_display_value=true&sysparm_exclude_reference_link=true')).account).toBe('Acme Corporation');
    });
    it('display_value=all: {display_value, link, value}; other fields {display_value, value}', async () => {
      const r = await read('sysparm_display_value=all');
      expect(r.account).toEqual({ display_value: 'Acme Corporation', link: link(), value: account });
      expect(Object.keys(r.account)).toEqual(['display_value', 'link', 'value']);
      expect(r.state).toEqual({ display_value: 'New', value: '1' });
    });
    it('dot-walked fields keep the dotted key; invalid fields are ignored', async () => {
      const r = (await api(sim.url, `${CASES}/${SEED_IDS.case(0)}?sysparm_fields=number,account.name,nope`)).body.result;
      expect(r).toEqual({ number: 'CS0001001', 'account.name': 'Acme Corporation' });
    });
  });

  describe('paging headers', () => {
    it('X-Total-Count is the total matched; Link has absolute first/next/last echoing every sysparm, joined by "," with no space', async () => {
      const res = await api(sim.url, `${CASES}?sysparm_query=active=true^ORDERBYnumber&sysparm_fields=number&sysparm_limit=5`);
      const total = Number(res.headers.get('x-total-count'));
      expect(total).toBe(sim.store.list('sn_customerservice_case').filter((c) => c.active === 'true').length);
      expect(res.body.result).toHaveLength(5);
      const base = `${sim.url}${CASES}?sysparm_query=active%3Dtrue%5EORDERBYnumber&sysparm_fields=number`;
      const last = Math.floor((total - 1) / 5) * 5;
      expect(res.headers.get('link')).toBe(
        `<${base}&sysparm_offset=0&sysparm_limit=5>;rel="first",<${base}&sysparm_offset=5&sysparm_limit=5>;rel="next",<${base}&sysparm_offset=${last}&sysparm_limit=5>;rel="last"`,
      );
    });

    it('a middle page has prev and next; the last page has no next', async () => {
      const mid = await api(sim.url, `${CASES}?sysparm_limit=5&sysparm_offset=5`);
      expect(mid.headers.get('link')).toBe([
        `<${sim.url}${CASES}?sysparm_offset=0&sysparm_limit=5>;rel="first"`,
        `<${sim.url}${CASES}?sysparm_offset=0&sysparm_limit=5>;rel="prev"`,
        `<${sim.url}${CASES}?sysparm_offset=10&sysparm_limit=5>;rel="next"`,
        `<${sim.url}${CASES}?sysparm_offset=15&sysparm_limit=5>;rel="last"`,
      ].join(','));
      const end = await api(sim.url, `${CASES}?sysparm_limit=5&sysparm_offset=15`);
      expect(end.headers.get('link')).not.toContain('rel="next"');
    });

    it('when everything fits on one page, then no Link header; sysparm_no_count drops X-Total-Count', async () => {
      const res = await api(sim.url, `${CASES}?sysparm_limit=100`);
      expect(res.headers.get('link')).toBeNull();
      expect(res.headers.get('x-total-count')).toBe(String(res.body.result.length));
      const noCount = await api(sim.url, `${CASES}?sysparm_limit=2&sysparm_no_count=true&sysparm_suppress_pagination_header=true`);
      expect(noCount.headers.get('x-total-count')).toBeNull();
      expect(noCount.headers.get('link')).toBeNull();
    });

    it('the default limit is 10000', async () => {
      const res = await api(sim.url, '/api/now/table/sys_user');
      expect(res.body.result).toHaveLength(Number(res.headers.get('x-total-count')));
    });
  });

  it('when the list is empty, then v2 and unversioned answer 200 {"result":[]}, v1 answers 404', async () => {
    const q = '?sysparm_query=number=NOPE';
    expect((await api(sim.url, `${CASES}${q}`)).body).toEqual({ result: [] });
    expect((await api(sim.url, `/api/now/v2/table/sn_customerservice_case${q}`)).status).toBe(200);
    expect((await api(sim.url, `/api/now/v1/table/sn_customerservice_case${q}`)).status).toBe(404);
  });

  it('when the table does not exist, then 400 Invalid table; when the record does not exist, then 404 No Record found', async () => {
    expect((await api(sim.url, '/api/now/table/sys_nonexistent')).body).toEqual({
      error: { message: 'Invalid table sys_nonexistent', detail: 'Table sys_nonexistent does not exist' }, status: 'failure',
    });
    const missing = await api(sim.url, `${CASES}/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' });
  });

  it('when no credentials are sent, then 401 User Not Authenticated', async () => {
    const res = await api(sim.url, CASES, { headers: { authorization: '' } });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('User Not Authenticated');
  });

  it('HEAD answers the list headers without a body', async () => {
    const res = await fetch(`${sim.url}${CASES}?sysparm_limit=1`, { method: 'HEAD', headers: { authorization: BASIC } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).not.toBeNull();
    expect(await res.text()).toBe('');
  });
});

describe('Table API writes', () => {
  it('insert sets sys_mod_count 0 and sys_created_*; each update adds 1 and sets sys_updated_*; a no-op update commits nothing', async () => {
    sim.clock.set('2026-03-01 12:00:00');
    try {
      const created = await api(sim.url, `${CASES}?sysparm_exclude_reference_link=true`, { method: 'POST', body: { short_description: 'New case', priority: 2, account: SEED_IDS.account(1) } });
      expect(created.status).toBe(201);
      const r = created.body.result;
      expect(created.headers.get('location')).toBe(`${sim.url}${CASES}/${r.sys_id}`);
      expect(r).toMatchObject({ sys_mod_count: '0', sys_created_on: '2026-03-01 12:00:00', sys_created_by: 'admin', priority: '2', state: '1', account: SEED_IDS.account(1) });
      expect(r.number).toMatch(/^CS\d{7}$/);
      sim.clock.advance(1000);
      const patched = await api(sim.url, `${CASES}/${r.sys_id}`, { method: 'PATCH', body: { state: '10' } });
      expect(patched.body.result).toMatchObject({ sys_mod_count: '1', sys_updated_on: '2026-03-01 12:00:01', state: '10' });
      const put = await api(sim.url, `${CASES}/${r.sys_id}`, { method: 'PUT', body: { state: '18' } });
      expect(put.body.result.sys_mod_count).toBe('2');
      const same = await api(sim.url, `${CASES}/${r.sys_id}`, { method: 'PATCH', body: { state: '18' } });
      expect(same.body.result.sys_mod_count).toBe('2');
      expect(sim.store.get('sn_customerservice_case', r.sys_id)!.sys_mod_count).toBe('2');
    } finally {
      sim.clock.useRealTime();
    }
  });

  it('when a comment is PATCHed onto a case, then a sys_journal_field row is created and the case comments field stays ""', async () => {
    const id = SEED_IDS.case(10);
    const before = sim.store.get('sn_customerservice_case', id)!;
    const res = await api(sim.url, `${CASES}/${id}`, { method: 'PATCH', body: { comments: 'Customer called back', work_notes: 'Internal note' } });
    expect(res.body.result.comments).toBe('');
    expect(res.body.result.sys_mod_count).toBe(String(Number(before.sys_mod_count) + 1));
    const journal = await api(sim.url, `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}^ORDERBYelement&sysparm_fields=element,name,value`);
    expect(journal.body.result).toEqual([
      { element: 'comments', name: 'sn_customerservice_case', value: 'Customer called back' },
      { element: 'work_notes', name: 'sn_customerservice_case', value: 'Internal note' },
    ]);
  });

  it('DELETE answers 204 and writes a sys_audit_delete row; a second DELETE is 404', async () => {
    const created = sim.store.insert('kb_knowledge', { short_description: 'Temporary article' });
    const res = await api(sim.url, `/api/now/table/kb_knowledge/${created.sys_id}`, { method: 'DELETE', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(204);
    const audit = await api(sim.url, `/api/now/table/sys_audit_delete?sysparm_query=documentkey=${created.sys_id}&sysparm_fields=tablename,documentkey,display_value,sys_created_by`);
    expect(audit.body.result).toEqual([{ tablename: 'kb_knowledge', documentkey: created.sys_id, display_value: created.number, sys_created_by: 'admin' }]);
    expect((await api(sim.url, `/api/now/table/kb_knowledge/${created.sys_id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('when the table is in auditDeleteSuppressedTables, then a delete writes no sys_audit_delete row', async () => {
    sim.knobs.auditDeleteSuppressedTables = ['kb_knowledge'];
    try {
      const created = sim.store.insert('kb_knowledge', { short_description: 'Quiet' });
      expect(sim.store.delete('kb_knowledge', created.sys_id)).toBe(true);
      expect(sim.store.list('sys_audit_delete').some((r) => r.documentkey === created.sys_id)).toBe(false);
    } finally {
      sim.knobs.auditDeleteSuppressedTables = [];
    }
  });

  it('a write without Content-Type gets 400, a non-JSON one 415, an unacceptable Accept 406', async () => {
    const noType = await fetch(`${sim.url}${CASES}`, { method: 'POST', headers: { authorization: BASIC, accept: 'application/json' }, body: undefined });
    expect(noType.status).toBe(400);
    expect((await api(sim.url, CASES, { method: 'POST', body: {}, headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await api(sim.url, CASES, { headers: { accept: 'application/xml' } })).status).toBe(406);
  });

  it('when the body is not valid JSON, then 400 in the ServiceNow error envelope; an unknown API path is 400 too', async () => {
    const res = await fetch(`${sim.url}${CASES}`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { status: string }).status).toBe('failure');
    expect((await api(sim.url, '/api/now/nothing_here')).body.error.message).toBe('Requested URI does not represent any resource');
  });

  it('X-http-method-override turns a POST into a PATCH', async () => {
    const res = await api(sim.url, `${CASES}/${SEED_IDS.case(11)}`, { method: 'POST', body: { priority: '1' }, headers: { 'x-http-method-override': 'PATCH' } });
    expect(res.status).toBe(200);
    expect(res.body.result.priority).toBe('1');
  });
});
