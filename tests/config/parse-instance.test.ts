import { parseInstance, slugify } from '../../src/instances/parse-instance';
import { compileSchema } from '../../src/lib/schemas';
import { AppError } from '../../src/lib/errors';

const secret = 'whsec_' + Buffer.alloc(24, 7).toString('base64');

describe('parseInstance', () => {
  it('defaults the id to a slug of the name and resolves the subdomain', () => {
    const i = parseInstance({
      name: 'Acme Prod!',
      configuration: {
        'servicenow.subdomain': 'acme',
        'oauth.api.key': 'id',
        'oauth.api.secret': 'sec',
        'webhook.secret': secret,
        'event.poller.refresh_interval': '0.1',
      },
    });
    expect(i.id).toBe('acme-prod');
    expect(i.instanceUrl).toBe('https://acme.service-now.com');
    expect(i.poller.refreshIntervalMs).toBe(6000);
    expect(i.webhook.secrets).toEqual([secret]);
    expect(i.webhook.tables).toContain('sys_attachment');
    expect(slugify('  A  b ')).toBe('a-b');
  });

  it('when a key has the wrong type, then invalid_instance names the path', () => {
    try {
      parseInstance({ name: 'x', configuration: { 'servicenow.instance_url': 'ftp://x', 'webhook.secret': 5 } });
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const details = (err as AppError).options.details as { path: string }[];
      expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(['/configuration/webhook.secret']));
    }
  });
});

describe('webhook schemas', () => {
  const validate = compileSchema('webhook-sn_customerservice_case.schema.json');
  const body = {
    table: 'sn_customerservice_case',
    sys_id: 'a'.repeat(32),
    operation: 'update',
    sys_updated_on: '2026-11-22 10:00:00',
    sys_mod_count: '3',
    record: { number: 'CS0001001', short_description: 'Printer on fire' },
  };
  it('accepts a well-formed case body', () => {
    expect(validate(body)).toEqual({ ok: true, value: body });
  });
  it('reports unknown top-level keys and bad values by path', () => {
    const r = validate({ ...body, sys_id: 'XYZ', extra: 1, record: { number: 5 } });
    expect(r.ok).toBe(false);
    const paths = !r.ok ? r.errors.map((e) => e.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['/sys_id', '/extra', '/record/number']));
  });
});
