import { formatDate, parseDate } from '../../src/poller/date-format';
import { defaultPollerResources } from '../../src/poller/default-resources';
import { listOptionsFor, specsFor } from '../../src/poller/poll-spec';
import { parseResourceUrl } from '../../src/poller/resource-url';
import { expandPlaceholders } from '../../src/poller/url-template';

const AT = new Date(Date.UTC(2026, 0, 15, 23, 30, 5, 42)); // 2026-01-15 23:30:05.042 GMT

describe('date formats and time zones', () => {
  it('formats Java-style patterns in GMT', () => {
    expect(formatDate(AT, 'yyyy-MM-dd HH:mm:ss')).toBe('2026-01-15 23:30:05');
    expect(formatDate(AT, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")).toBe('2026-01-15T23:30:05.042Z');
    expect(formatDate(AT, 'dd/MM/yy')).toBe('15/01/26');
  });

  it('converts to an IANA zone, across the date line and with daylight saving time', () => {
    expect(formatDate(AT, 'yyyy-MM-dd HH:mm:ss', 'Europe/Berlin')).toBe('2026-01-16 00:30:05');
    expect(formatDate(AT, 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')).toBe('2026-01-15 15:30:05');
    const summer = new Date(Date.UTC(2026, 6, 1, 12, 0, 0));
    expect(formatDate(summer, 'HH:mm', 'Europe/Berlin')).toBe('14:00');
  });

  it('parses wall time in a zone back to the same instant', () => {
    expect(parseDate('2026-01-16 00:30:05', 'yyyy-MM-dd HH:mm:ss', 'Europe/Berlin')?.toISOString()).toBe('2026-01-15T23:30:05.000Z');
    expect(parseDate('2026-07-01 14:00:00', undefined, 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(parseDate('not a date')).toBeUndefined();
  });

  it('refuses an unknown zone and an unsupported pattern letter', () => {
    expect(() => formatDate(AT, 'yyyy', 'Mars/Olympus')).toThrow(/time zone/);
    expect(() => formatDate(AT, 'yyyy EEE')).toThrow(/Unsupported letter/);
  });
});

describe('placeholders', () => {
  it('expands ${gmtDate:…} in GMT and ${date:…} in the configured zone', () => {
    const text = 'a>=${gmtDate:yyyy-MM-dd HH:mm:ss}^b>=${date:yyyy-MM-dd HH:mm}^c>=${date}';
    expect(expandPlaceholders(text, AT, { timeZone: 'Asia/Tokyo' })).toBe('a>=2026-01-15 23:30:05^b>=2026-01-16 08:30^c>=2026-01-16 08:30:05');
  });

  it('takes a poller URL apart without turning + into a space', () => {
    const parsed = parseResourceUrl('/api/now/table/kb_knowledge?sysparm_query=short_descriptionLIKEa+b^sys_updated_on>=${gmtDate:yyyy-MM-dd HH:mm:ss}&sysparm_limit=50');
    expect(parsed.table).toBe('kb_knowledge');
    expect(parsed.params).toEqual([['sysparm_query', 'short_descriptionLIKEa+b^sys_updated_on>=${gmtDate:yyyy-MM-dd HH:mm:ss}'], ['sysparm_limit', '50']]);
    expect(() => parseResourceUrl('/api/now/attachment')).toThrow(/Table API/);
  });
});

describe('poll specs', () => {
  it('builds the request from the configured URL, dates configuration and pull.record.by', () => {
    const [spec] = specsFor('cases', {
      url: '/api/now/table/sn_customerservice_case?sysparm_query=sys_created_on>=${date:yyyy-MM-dd HH:mm:ss}^ORDERBYsys_created_on&sysparm_fields=number',
      datesConfiguration: { createdDateField: 'sys_created_on', createdDateTimezone: 'Europe/Berlin' },
    }, 'created');
    expect(spec).toMatchObject({ table: 'sn_customerservice_case', watermarkField: 'sys_created_on', timeZone: 'Europe/Berlin', keyset: true, kind: 'record' });
    const options = listOptionsFor(spec, AT, 'abc');
    expect(options.query).toBe('sys_created_on>=2026-01-16 00:30:05^sys_id>abc^ORDERBYsys_created_on^ORDERBYsys_id');
    expect(options.excludeReferenceLink).toBe(true);
    expect(String(options.fields).split(',')).toEqual(expect.arrayContaining(['number', 'sys_id', 'sys_mod_count', 'sys_created_on']));
  });

  it('pages by offset when the template cannot restart at a second', () => {
    const [spec] = specsFor('daily', { url: '/api/now/table/kb_knowledge?sysparm_query=sys_updated_on>=${gmtDate:yyyy-MM-dd}' }, 'updated');
    expect(spec.keyset).toBe(false);
    expect(listOptionsFor(spec, AT).query).toBe('sys_updated_on>=2026-01-15^ORDERBYsys_updated_on^ORDERBYsys_id');
  });

  it('derives default resources from capabilities, with deletions for cases', () => {
    const resources = defaultPollerResources(['helpdesk', 'crm', 'content']);
    expect(Object.keys(resources)).toEqual(['cases', 'case-journal', 'case-attachments', 'accounts', 'contacts', 'knowledge']);
    const specs = Object.entries(resources).flatMap(([n, r]) => specsFor(n, r, 'updated'));
    expect(specs.map((s) => `${s.key}:${s.table}:${s.watermarkField}`)).toEqual([
      'cases:sn_customerservice_case:sys_updated_on',
      'cases#deletes:sys_audit_delete:sys_created_on',
      'case-journal:sys_journal_field:sys_created_on',
      'case-attachments:sys_attachment:sys_created_on',
      'accounts:customer_account:sys_updated_on',
      'contacts:customer_contact:sys_updated_on',
      'knowledge:kb_knowledge:sys_updated_on',
    ]);
    expect(listOptionsFor(specs[2], AT).query).toBe('name=sn_customerservice_case^sys_created_on>=2026-01-15 23:30:05^ORDERBYsys_created_on^ORDERBYsys_id');
  });
});
