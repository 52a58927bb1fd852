import crypto from 'node:crypto';
import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { api, BASIC } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe('Attachment API', () => {
  it('lists metadata (all strings, absolute download_link, sha256 hash) with X-Total-Count and Link', async () => {
    const res = await api(sim.url, `/api/now/attachment?sysparm_query=table_sys_id=${SEED_IDS.case(0)}^ORDERBYfile_name&sysparm_limit=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe('2');
    expect(res.headers.get('link')).toContain('rel="next"');
    const meta = res.body.result[0];
    for (const v of Object.values(meta)) expect(typeof v).toBe('string');
    expect(meta).toMatchObject({ file_name: 'login-error.txt', table_name: 'sn_customerservice_case', table_sys_id: SEED_IDS.case(0), content_type: 'text/plain' });
    expect(meta.download_link).toBe(`${sim.url}/api/now/attachment/${meta.sys_id}/file`);
    expect(meta.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('/{sys_id}/file answers the real bytes with an X-Attachment-Metadata JSON header', async () => {
    const meta = sim.store.list('sys_attachment').find((a) => a.file_name === 'screenshot.png')!;
    const res = await fetch(`${sim.url}/api/now/attachment/${meta.sys_id}/file`, { headers: { authorization: BASIC } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    const header = JSON.parse(res.headers.get('x-attachment-metadata')!);
    expect(header.size_bytes).toBe(String(bytes.length));
    expect(header.hash).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    expect(header.image_width).toBe('4');
  });

  it('POST /file stores a raw body as an attachment, GET metadata finds it, DELETE removes it and audits the delete', async () => {
    const content = Buffer.from('hello attachment\n');
    const created = await fetch(`${sim.url}/api/now/attachment/file?table_name=sn_customerservice_case&table_sys_id=${SEED_IDS.case(2)}&file_name=note.txt`, {
      method: 'POST', headers: { authorization: BASIC, 'content-type': 'text/plain', accept: 'application/json' }, body: content,
    });
    expect(created.status).toBe(201);
    const meta = ((await created.json()) as { result: Record<string, string> }).result;
    expect(meta).toMatchObject({ size_bytes: String(content.length), file_name: 'note.txt', sys_mod_count: '0' });
    expect((await api(sim.url, `/api/now/attachment/${meta.sys_id}`)).body.result.hash).toBe(crypto.createHash('sha256').update(content).digest('hex'));
    expect((await api(sim.url, `/api/now/attachment/${meta.sys_id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(sim.url, `/api/now/attachment/${meta.sys_id}`)).status).toBe(404);
    expect(sim.store.list('sys_audit_delete').find((r) => r.documentkey === meta.sys_id)?.tablename).toBe('sys_attachment');
  });

  it('when the target record does not exist, then the upload is refused with 400', async () => {
    const res = await fetch(`${sim.url}/api/now/attachment/file?table_name=sn_customerservice_case&table_sys_id=${'f'.repeat(32)}&file_name=x.txt`, {
      method: 'POST', headers: { authorization: BASIC, 'content-type': 'text/plain' }, body: 'x',
    });
    expect(res.status).toBe(400);
  });
});

describe('Case API', () => {
  it('GET /case/{number} and /case/{sys_id} answer flat strings with plain sys_id references', async () => {
    const byNumber = await api(sim.url, '/api/sn_customerservice/case/CS0001001');
    const bySysId = await api(sim.url, `/api/sn_customerservice/case/${SEED_IDS.case(0)}`);
    expect(byNumber.body).toEqual(bySysId.body);
    expect(byNumber.body.result.account).toBe(SEED_IDS.account(0));
    expect(byNumber.body.result.contact).toBe(SEED_IDS.contact(0));
    expect((await api(sim.url, '/api/sn_customerservice/case/CS9999999')).status).toBe(404);
  });

  it('the list nests full account and contact rows by default, and not with sysparm_reference_fields=false', async () => {
    const nested = await api(sim.url, '/api/sn_customerservice/case?sysparm_query=number=CS0001001');
    expect(nested.body.result[0].account).toMatchObject({ sys_id: SEED_IDS.account(0), name: 'Acme Corporation' });
    expect(nested.body.result[0].contact).toMatchObject({ sys_id: SEED_IDS.contact(0), account: SEED_IDS.account(0) });
    const flat = await api(sim.url, '/api/sn_customerservice/case?query=number=CS0001001&reference_fields=false');
    expect(flat.body.result[0].account).toBe(SEED_IDS.account(0));
  });

  it('X-Total-Count and Link appear when a limit or offset is given', async () => {
    expect((await api(sim.url, '/api/sn_customerservice/case')).headers.get('x-total-count')).toBeNull();
    const paged = await api(sim.url, '/api/sn_customerservice/case?sysparm_limit=5&reference_fields=false');
    expect(paged.headers.get('x-total-count')).toBe(String(sim.store.list('sn_customerservice_case').length));
    expect(paged.headers.get('link')).toContain('rel="next"');
  });

  it('POST creates a case and PUT updates it by number, both answering 201 with only sys_id and number', async () => {
    const created = await api(sim.url, '/api/sn_customerservice/case', { method: 'POST', body: { short_description: 'Via Case API', contact: SEED_IDS.contact(3) } });
    expect(created.status).toBe(201);
    const { sys_id, number } = created.body.result;
    expect(created.body.result).toEqual({ sys_id: expect.stringMatching(/^[0-9a-f]{32}$/), number: expect.stringMatching(/^CS\d{7}$/) });
    const updated = await api(sim.url, `/api/sn_customerservice/case/${number}`, { method: 'PUT', body: { priority: '1', no_such_field: 'x' } });
    expect(updated.status).toBe(201);
    expect(updated.body.result).toEqual({ sys_id, number });
    expect(sim.store.get('sn_customerservice_case', sys_id)).toMatchObject({ priority: '1', sys_mod_count: '1', contact: SEED_IDS.contact(3) });
  });

  it('when a comment is longer than 4000 characters, then the Case API keeps its first 4000; an unknown case is 404', async () => {
    const res = await api(sim.url, `/api/sn_customerservice/case/${SEED_IDS.case(6)}`, { method: 'PUT', body: { comments: 'x'.repeat(4100) } });
    expect(res.status).toBe(201);
    const row = sim.store.list('sys_journal_field').filter((j) => j.element_id === SEED_IDS.case(6)).pop()!;
    expect(row.value).toHaveLength(4000);
    expect((await api(sim.url, '/api/sn_customerservice/case/CS9999999', { method: 'PUT', body: { priority: '1' } })).status).toBe(404);
  });
});
