import fc from 'fast-check';
import { parseEncodedQuery } from '../../src/simulator/encoded-query';
import { AppError } from '../../src/lib/errors';
import { ceqlToEncodedQuery } from '../../src/poller/ceql-query';
import { parseResourceUrl } from '../../src/poller/resource-url';
import { expandPlaceholders, parseTemplate } from '../../src/poller/url-template';

const GMT_ISO = "${gmtDate:yyyy-MM-dd'T'HH:mm:ss}";

/** [CEQL, the sysparm_query it must become] */
const TRANSLATIONS: Array<[string, string]> = [
  ["name='Edge Communications'", 'name=Edge Communications'],
  ["state != '6'", 'state!=6'],
  ['priority <= 2', 'priority<=2'],
  ["sys_updated_on>'2026-01-02T03:04:05'", 'sys_updated_on>2026-01-02 03:04:05'],
  ["sys_updated_on>='2026-01-02T03:04:05.123+02:00'", 'sys_updated_on>=2026-01-02 01:04:05'],
  ["sys_updated_on>'2026-01-02T03:04Z'", 'sys_updated_on>2026-01-02 03:04:00'],
  [`sys_updated_on>'${GMT_ISO}'`, 'sys_updated_on>${gmtDate:yyyy-MM-dd HH:mm:ss}'],
  ["sys_created_on>'${date:yyyy-MM-dd}'", 'sys_created_on>${date:yyyy-MM-dd}'],
  ['sys_updated_on>${epoch:s}', 'sys_updated_on>${epoch:s}'],
  ["name LIKE 'Acme%'", 'nameSTARTSWITHAcme'],
  ["name like '%corp'", 'nameENDSWITHcorp'],
  ["name Like '%corp%'", 'nameLIKEcorp'],
  ["name LIKE 'exact'", 'name=exact'],
  ["name NOT LIKE '%corp%'", 'nameNOT LIKEcorp'],
  ["name LIKE '%'", 'nameISNOTEMPTY'],
  ["state in ('1','10', 18)", 'stateIN1,10,18'],
  ["state NOT IN ('6')", 'stateNOT IN6'],
  ['email IS NULL', 'emailISEMPTY'],
  ['email is not null', 'emailISNOTEMPTY'],
  ["email = ''", 'emailISEMPTY'],
  ['active = true', 'active=true'],
  ["`short_description` = 'it''s down'", "short_description=it's down"],
  ["a='1' AND b='2'", 'a=1^b=2'],
  ["a='1' or b='2'", 'a=1^ORb=2'],
  ["a='1' AND (b='2' OR c='3')", 'a=1^b=2^ORc=3'],
  ["(a='1' OR b='2') AND (c='3' OR d='4')", 'a=1^ORb=2^c=3^ORd=4'],
  ["a='1' OR (b='2' AND c='3')", 'a=1^NQb=2^c=3'],
  ["x>'1' AND (a='1' OR (b='2' AND c='3'))", 'x>1^a=1^NQx>1^b=2^c=3'],
  ["NOT (a='1' OR b < 2)", 'a!=1^b>=2'],
  ["NOT (a='1' AND b IS NULL)", 'a!=1^ORbISNOTEMPTY'],
  ["NOT a LIKE '%x%'", 'aNOT LIKEx'],
  ["company.name = 'Acme'", 'company.name=Acme'],
  ["name = 'A & B'", 'name=A & B'],
  ['', ''],
];

/** [CEQL, what the 400 must name] */
const REFUSALS: Array<[string, RegExp]> = [
  ["name LIKE 'a%b'", /"%" inside the pattern/],
  ["name NOT LIKE 'a%'", /no ServiceNow form.*does not start/],
  ["name = 'a^b'", /"\^"/],
  ["state IN ('a,b')", /","/],
  ["sys_id = 'javascript:gs.getUserID()'", /javascript:/],
  ['name = "Acme"', /single quotes/],
  ["name = 'Acme", /unterminated string/],
  ["`first name` = 'x'", /not a ServiceNow field name/],
  ["name = 'x' AND", /expected a column name/],
  ["(name = 'x'", /expected "\)"/],
  ['name = other', /expected a value/],
  ['name = NULL', /IS NULL/],
  ["name BETWEEN 'a'", /expected an operator/],
  ["name = 'x' garbage", /expected AND, OR or the end/],
  ['x = ${nope}', /unknown placeholder/],
  ["a > ''", /empty string/],
];

function refusal(where: string): AppError {
  try {
    ceqlToEncodedQuery(where);
  } catch (err) {
    return err as AppError;
  }
  throw new Error(`"${where}" was translated`);
}

describe('CEQL → ServiceNow encoded query', () => {
  it.each(TRANSLATIONS)('when the where is %s, then sysparm_query is %s', (ceql, query) => {
    expect(ceqlToEncodedQuery(ceql)).toBe(query);
  });

  it.each(REFUSALS)('when the where is %s, then it is refused with 400 invalid_ceql naming the construct', (ceql, names) => {
    const err = refusal(ceql);
    expect(err).toBeInstanceOf(AppError);
    expect(err.httpStatus).toBe(400);
    expect(err.code).toBe('invalid_ceql');
    expect(err.message).toMatch(names);
  });

  it('when OR-ed groups multiply past the bound, then it is refused rather than sent half-translated', () => {
    const ors = Array.from({ length: 6 }, (_, i) => `(a${i}='1' OR (b${i}='2' AND c${i}='3'))`).join(' AND ');
    expect(refusal(ors).message).toMatch(/more than 32 OR-ed groups/);
  });

  it('when parentheses nest past the bound, then it is refused without exhausting the stack', () => {
    expect(refusal(`${'('.repeat(500)}a='1'${')'.repeat(500)}`).message).toMatch(/nests deeper/);
  });
});

describe('hub URLs', () => {
  it('when a helpdesk resource is polled, then it reads its table with the translated where, order, fields and page size', () => {
    const parsed = parseResourceUrl(`/hubs/helpdesk/accounts?where=sys_updated_on>'${GMT_ISO}' and id != 'x'&orderBy=sys_updated_on asc, name desc&fields=name,id_x&pageSize=50`);
    expect(parsed.table).toBe('core_company');
    expect(parsed.params).toEqual([
      ['sysparm_query', 'sys_updated_on>${gmtDate:yyyy-MM-dd HH:mm:ss}^sys_id!=x^ORDERBYsys_updated_on^ORDERBYDESCname'],
      ['sysparm_fields', 'name,id_x'],
      ['sysparm_limit', '50'],
    ]);
    expect(parseResourceUrl('/hubs/helpdesk/incidents').table).toBe('incident');
    expect(parseResourceUrl('/hubs/helpdesk/contacts').table).toBe('sys_user');
    expect(parseResourceUrl('/hubs/helpdesk/agents').table).toBe('sys_user');
  });

  it('when the resource is another object name, then it is that table and its fields keep their names', () => {
    const parsed = parseResourceUrl("/hubs/helpdesk/sn_customerservice_case?where=priority%3D%271%27%20and%20id%3D%27a%27");
    expect(parsed).toMatchObject({ table: 'sn_customerservice_case', params: [['sysparm_query', 'priority=1^id=a']] });
  });

  it.each([
    ['/hubs/finance/customers?where=x=1', /hub is "helpdesk"/],
    ['/hubs/helpdesk/incidents/abc/comments', /child resource/],
    ['/hubs/helpdesk/incidents?page=2', /"page" is not supported/],
    ['/hubs/helpdesk/incidents?pageSize=0', /pageSize/],
    ['/hubs/helpdesk/incidents?orderBy=name sideways', /orderBy/],
    ['/crm/accounts', /neither a Table API list path .* nor a Cloud Elements hub URL/],
  ])('when the URL is %s, then 400 names the problem', (url, names) => {
    expect(() => parseResourceUrl(url)).toThrow(names);
  });
});

describe('placeholders', () => {
  const AT = new Date(Date.UTC(2026, 0, 15, 23, 30, 5, 42));

  it('expands ${epoch} in ms, ${epoch:s} in seconds and ${epoch:us} in microseconds', () => {
    expect(expandPlaceholders('${epoch}|${epoch:s}|${epoch:us}|${unknown}', AT)).toBe(`${AT.getTime()}|${Math.floor(AT.getTime() / 1000)}|${AT.getTime() * 1000}|\${unknown}`);
  });

  /** CPU milliseconds `work` takes (not wall time: a loaded machine must not fail the bound, a quadratic parser must). */
  function cpuMs(work: () => void): number {
    const before = process.cpuUsage();
    work();
    const spent = process.cpuUsage(before);
    return (spent.user + spent.system) / 1000;
  }

  it('when a template repeats "${date:" 20,000 times (140 KB), then it parses in well under 200 ms of CPU', () => {
    for (const text of ['${date:'.repeat(20_000), '${date:'.repeat(20_000) + '}', '${x'.repeat(40_000) + '}', 'a${'.repeat(40_000)]) {
      let parts: unknown[] = [];
      expect(cpuMs(() => (parts = parseTemplate(text)))).toBeLessThan(200);
      expect(parts.length).toBeGreaterThan(0);
    }
    let expanded = '';
    expect(cpuMs(() => (expanded = expandPlaceholders('${date:'.repeat(20_000), AT)))).toBeLessThan(200);
    expect(expanded).toHaveLength(140_000);
  });
});

describe('CEQL translation is exact', () => {
  type Row = Record<'a' | 'b' | 'c', string>;
  type Expr = { op: '=' | '!='; field: keyof Row; value: string } | { kind: 'and' | 'or'; items: Expr[] } | { kind: 'not'; item: Expr };
  const fieldArb = fc.constantFrom<keyof Row>('a', 'b', 'c');
  const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ op: fc.constantFrom<'=' | '!='>('=', '!='), field: fieldArb, value: fc.constantFrom('1', '2') }),
      fc.record({ kind: fc.constantFrom<'and' | 'or'>('and', 'or'), items: fc.array(tie('expr'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ kind: fc.constant<'not'>('not'), item: tie('expr') }),
    ),
  })).expr;

  const text = (e: Expr): string =>
    'op' in e ? `${e.field} ${e.op} '${e.value}'` : e.kind === 'not' ? `NOT (${text(e.item)})` : `(${e.items.map(text).join(` ${e.kind.toUpperCase()} `)})`;
  const holds = (e: Expr, row: Row): boolean =>
    'op' in e ? (row[e.field] === e.value) === (e.op === '=') : e.kind === 'not' ? !holds(e.item, row) : e.kind === 'and' ? e.items.every((i) => holds(i, row)) : e.items.some((i) => holds(i, row));
  const ROWS: Row[] = ['1', '2'].flatMap((a) => ['1', '2'].flatMap((b) => ['1', '2'].map((c) => ({ a, b, c }))));

  it('when any expression of =, !=, AND, OR, NOT and parentheses is translated, then ServiceNow selects the same rows', () => {
    fc.assert(
      fc.property(exprArb, (expr) => {
        let query: string;
        try {
          query = ceqlToEncodedQuery(text(expr));
        } catch (err) {
          return /more than 32 OR-ed groups/.test((err as Error).message); // refused, never approximated
        }
        const parsed = parseEncodedQuery(query);
        expect(parsed.unparsed).toEqual([]);
        for (const row of ROWS) {
          const selected = parsed.groups.some((terms) => terms.every((ors) => ors.some((c) => (row[c.field as keyof Row] === c.value) === (c.operator === '='))));
          expect(selected).toBe(holds(expr, row));
        }
        return true;
      }),
      { numRuns: 400 },
    );
  });
});
