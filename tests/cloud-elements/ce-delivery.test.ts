import request from 'supertest';
import type { InstanceDefinition } from '../../src/instances/instance';
import { startSimulator, type Simulator } from '../../src/simulator';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { patchCase, SIM_ADMIN_AUTH } from '../helpers/test-pipeline';
import { caseBody, newSecret, signedHeaders } from '../helpers/webhook-signing';
import { startCeConsumer, type CeConsumer } from './ce-consumer';

/** The key of Cloud Elements' own verification sample. */
const CE_KEY = 'MySecretEventSignatureKey';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const CASES = 'sn_customerservice_case';
const GMT_ISO = "${gmtDate:yyyy-MM-dd'T'HH:mm:ss}";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Changes a record through the simulator's Table API, as a ServiceNow user would. */
async function patchRecord(sim: Simulator, table: string, sysId: string, fields: Record<string, string>): Promise<void> {
  const res = await fetch(`${sim.url}/api/now/table/${table}/${sysId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SIM_ADMIN_AUTH },
    body: JSON.stringify(fields),
  });
  if (res.status !== 200) throw new Error(`PATCH ${table} answered ${res.status}`);
}

describe('Cloud Elements consumers move over unchanged', () => {
  jest.setTimeout(60_000);
  let sim: Simulator;
  let consumer: CeConsumer;
  let gateway: TestGateway | undefined;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    consumer = await startCeConsumer(CE_KEY);
  });

  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await consumer.close();
    await sim.close();
  });

  it('when a /hubs/helpdesk poller with a CEQL where runs against ServiceNow, then each matching change reaches a consumer verifying as Cloud Elements\' docs show, once, in their format', async () => {
    const body = {
      element: { key: 'servicenow' },
      name: 'CE Hub',
      tags: ['migrated'],
      configuration: {
        username: 'admin',
        password: 'admin',
        'servicenow.subdomain': sim.url,
        'servicenow.allow_private_targets': 'true',
        'event.notification.enabled': 'true',
        'event.notification.callback.url': consumer.url,
        'event.notification.signature.key': CE_KEY,
        'event.notification.format': 'cloud-elements',
        'event.notification.allow_private_targets': 'true',
        'event.poller.refresh_interval': '0.05',
        'event.poller.configuration': JSON.stringify({
          cases: { url: `/hubs/helpdesk/${CASES}?where=sys_updated_on>'${GMT_ISO}' and priority in ('1','2')`, idField: 'number' },
          incidents: { url: `/hubs/helpdesk/incidents?where=sys_updated_on>'${GMT_ISO}' AND (impact = '1' OR short_description LIKE '%urgent%')`, idField: 'number' },
          contacts: { url: `/hubs/helpdesk/contacts?where=sys_updated_on>'${GMT_ISO}'`, idField: 'sys_id' },
          accounts: { url: `/hubs/helpdesk/accounts?where=sys_updated_on>'${GMT_ISO}'`, idField: 'sys_id' },
        }),
      },
    };
    gateway = await startTestGateway({ instances: [body as unknown as InstanceDefinition], role: 'all' });
    await sleep(1500); // the first tick sets each watermark at "now"

    const [a, b, c, low] = sim.store.list(CASES).slice(0, 4);
    for (const [i, record] of [a, b, c].entries()) await patchCase(sim.url, record.sys_id, { priority: i === 0 ? '1' : '2', short_description: `urgent ${i}` });
    await patchCase(sim.url, low.sys_id, { priority: '4', short_description: 'not urgent' });
    const created = sim.store.insert(CASES, { short_description: 'new and urgent', priority: '1' });
    const user = sim.store.list('sys_user')[0];
    await patchRecord(sim, 'sys_user', user.sys_id, { title: 'Migrated' });
    const [incident, routine] = sim.store.list('incident').filter((i) => ['1', '2', '3'].includes(i.state));
    await patchRecord(sim, 'incident', incident.sys_id, { short_description: 'urgent: the printer is on fire', impact: '3', urgency: '3' });
    await patchRecord(sim, 'incident', routine.sys_id, { short_description: 'routine check', impact: '3', urgency: '3' });
    const company = sim.store.list('core_company')[0];
    await patchRecord(sim, 'core_company', company.sys_id, { phone: '+1 555 0100' });

    await consumer.waitFor(7, 30_000);
    await sleep(7000); // two more polls: nothing else may arrive
    expect(consumer.refused).toBe(0);
    expect(consumer.notifications).toHaveLength(7);

    const byObject = new Map(consumer.notifications.map((n) => [String((n.body.message.raw[n.body.message.raw.objectType] as Array<{ sys_id: string }>)[0].sys_id), n]));
    expect(new Set(byObject.keys())).toEqual(new Set([a.sys_id, b.sys_id, c.sys_id, created.sys_id, user.sys_id, incident.sys_id, company.sys_id]));
    for (const n of consumer.notifications) {
      const { message } = n.body;
      const [event] = message.events;
      expect(n.headers['elements-webhook-id']).toBe(message.eventId);
      expect(n.body).toMatchObject({ severity: 'medium', id: message.eventId, topic: 'instance-ce-hub-servicenow-events', createdDate: expect.stringMatching(/^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/) });
      expect(message).toMatchObject({ instanceId: 'ce-hub', instance_id: 'ce-hub', elementKey: 'servicenow', instanceName: 'CE Hub', instanceTags: ['migrated'] });
      expect(event).toMatchObject({ hubKey: 'helpdesk', elementKey: 'servicenow', objectType: message.raw.objectType, date: expect.stringMatching(/Z$/), pollDate: expect.stringMatching(/Z$/) });
      expect(typeof message.raw.pollDate).toBe('number');
    }
    const eventOf = (sysId: string) => byObject.get(sysId)!.body.message.events[0];
    expect(eventOf(a.sys_id)).toMatchObject({ eventType: 'UPDATED', objectType: 'cases', objectId: a.number });
    expect(eventOf(created.sys_id)).toMatchObject({ eventType: 'CREATED', objectType: 'cases', objectId: created.number });
    expect(eventOf(user.sys_id)).toMatchObject({ eventType: 'UPDATED', objectType: 'contacts', objectId: user.sys_id });
    expect(eventOf(incident.sys_id)).toMatchObject({ eventType: 'UPDATED', objectType: 'incidents', objectId: incident.number });
    expect(eventOf(company.sys_id)).toMatchObject({ eventType: 'UPDATED', objectType: 'accounts', objectId: company.sys_id });
    expect(byObject.get(a.sys_id)!.body.action).toBe('update');
    expect(byObject.get(created.sys_id)!.body.action).toBe('create');
  });

  it('when notifications are on without a callback URL, then its event is dead-lettered no_subscriber, and once PATCH sets one a replay delivers it', async () => {
    gateway = await startTestGateway({ instances: [], role: 'all' });
    const secret = newSecret();
    const definition = {
      element: { key: 'servicenow' },
      name: 'CE Webhooks',
      configuration: {
        username: 'admin', password: 'admin', 'servicenow.subdomain': sim.url, 'servicenow.allow_private_targets': 'true',
        'event.vendor.type': 'webhook', 'event.notification.enabled': 'true', 'event.notification.callback.url': '', 'webhook.secret': secret,
      },
    };
    const created = await request(gateway.url).post('/instances').set(ADMIN).send(definition).expect(201);
    expect(created.body.warnings.map((w: { path: string }) => w.path)).toEqual(['/configuration/event.notification.callback.url', '/configuration/event.notification.signature.key']);
    const readiness = await request(gateway.url).get('/readyz').expect(200);
    expect(readiness.body.checks.instances).toMatchObject({ status: 'degraded', 'ce-webhooks': { status: 'degraded', subscriber: 'not_configured' } });

    const record = sim.store.list(CASES)[0];
    const hook = caseBody({ sysId: record.sys_id, modCount: Number(record.sys_mod_count) });
    const accepted = await request(gateway.url).post(`/webhooks/ce-webhooks/${CASES}`).set(signedHeaders(secret, 'ce-hook-1', hook)).send(hook).expect(202);

    let dead: Array<{ eventId: string; reason: string }> = [];
    for (let i = 0; i < 100 && dead.length === 0; i++) {
      await sleep(100);
      dead = (await request(gateway.url).get('/ops/api/dead-letters?instance=ce-webhooks').set(ADMIN).expect(200)).body.events;
    }
    expect(dead).toEqual([expect.objectContaining({ eventId: accepted.body.id, reason: 'no_subscriber' })]);
    expect(consumer.notifications).toHaveLength(0);

    await request(gateway.url).patch('/instances/ce-webhooks').set(ADMIN).send({
      configuration: {
        'event.notification.callback.url': consumer.url, 'event.notification.signature.key': CE_KEY,
        'event.notification.format': 'cloud-elements', 'event.notification.allow_private_targets': true,
      },
    }).expect(200);
    const replay = await request(gateway.url).post('/ops/api/dead-letters/replay').set(ADMIN).send({ instance: 'ce-webhooks' }).expect(200);
    expect(replay.body.replayed).toBe(1);
    expect((await request(gateway.url).get('/readyz').expect(200)).body.checks.instances['ce-webhooks']).toMatchObject({ status: 'ok', subscriber: 'ok' });

    const [delivered] = await consumer.waitFor(1);
    expect(delivered.headers['elements-webhook-id']).toBe(accepted.body.id);
    expect(delivered.body.message.events[0]).toMatchObject({ eventType: 'UPDATED', objectId: record.sys_id, objectType: CASES });
    expect((await request(gateway.url).get('/ops/api/dead-letters?instance=ce-webhooks').set(ADMIN).expect(200)).body.events).toEqual([]);
  });
});
