import { parseEncodedQuery } from '../../src/simulator/encoded-query';
import { runListQuery } from '../../src/simulator/list-query';
import { createSimulatorState, type SimulatorState } from '../../src/simulator';

let state: SimulatorState;
const numbers = (query: string, extra: Record<string, string> = {}) =>
  runListQuery(state, 'sn_customerservice_case', new URLSearchParams({ sysparm_query: query, ...extra }), 'admin').map((r) => r.number);

beforeAll(() => {
  state = createSimulatorState();
  const store = state.store;
  const acme = store.insert('customer_account', { name: 'Acme' }).sys_id;
  const globex = store.insert('customer_account', { name: 'Globex' }).sys_id;
  const rows: Array<[string, string, string, string, string]> = [
    // number, short_description, priority, account, sys_updated_on
    ['CS1', 'Login fails', '1', acme, '2026-01-01 10:00:00'],
    ['CS2', 'Invoice wrong', '2', acme, '2026-01-02 10:00:00'],
    ['CS3', 'login page slow', '3', globex, '2026-01-03 10:00:00'],
    ['CS4', 'Printer offline', '4', '', '2026-01-04 10:00:00'],
  ];
  for (const [number, short_description, priority, account, at] of rows) {
    store.insert('sn_customerservice_case', { number, short_description, priority, account }, { at: new Date(at.replace(' ', 'T') + 'Z') });
  }
});

describe('encoded query parsing', () => {
  it('^OR binds tighter than ^, ^NQ starts an OR-ed group, ORDERBY/ORDERBYDESC collect sort keys', () => {
    const q = parseEncodedQuery('a=1^b=2^ORc=3^NQd=4^ORDERBYe^ORDERBYDESCf^EQ');
    expect(q.groups).toEqual([
      [[{ field: 'a', operator: '=', value: '1' }], [{ field: 'b', operator: '=', value: '2' }, { field: 'c', operator: '=', value: '3' }]],
      [[{ field: 'd', operator: '=', value: '4' }]],
    ]);
    expect(q.orderBy).toEqual([{ field: 'e', descending: false }, { field: 'f', descending: true }]);
  });
});

describe('encoded query operators', () => {
  it.each([
    ['number=CS2', ['CS2']],
    ['number!=CS2', ['CS1', 'CS3', 'CS4']],
    ['numberINCS1,CS3', ['CS1', 'CS3']],
    ['numberNOTINCS1,CS3', ['CS2', 'CS4']],
    ['priority>2', ['CS3', 'CS4']],
    ['priority>=2', ['CS2', 'CS3', 'CS4']],
    ['priority<2', ['CS1']],
    ['priority<=2', ['CS1', 'CS2']],
    ['short_descriptionLIKElogin', ['CS3']],
    ['short_descriptionSTARTSWITHLogin', ['CS1']],
    ['short_descriptionENDSWITHslow', ['CS3']],
    ['accountISEMPTY', ['CS4']],
    ['account.name=Acme', ['CS1', 'CS2']],
    ['priority=1^ORpriority=4', ['CS1', 'CS4']],
    ['account.name=Acme^priority=2^ORpriority=3', ['CS2']],
    ['priority=1^NQpriority=3', ['CS1', 'CS3']],
    ["sys_updated_on>=javascript:gs.dateGenerate('2026-01-03','00:00:00')", ['CS3', 'CS4']],
    ["sys_updated_on>javascript:gs.dateGenerate('2026-01-02','10:00:00')", ['CS3', 'CS4']],
    ["sys_updated_onBETWEENjavascript:gs.dateGenerate('2026-01-02','start')@javascript:gs.dateGenerate('2026-01-03','end')", ['CS2', 'CS3']],
    ['sys_updated_on<2026-01-02 10:00:00', ['CS1']],
  ])('%s', (query, expected) => {
    expect(numbers(query)).toEqual(expected);
  });

  it('orders by ORDERBYDESC then ORDERBY, comparing numbers numerically', () => {
    expect(numbers('ORDERBYDESCpriority')).toEqual(['CS4', 'CS3', 'CS2', 'CS1']);
    expect(numbers('ORDERBYaccount.name^ORDERBYDESCnumber')).toEqual(['CS4', 'CS2', 'CS1', 'CS3']);
  });

  it('when a part names an unknown field, then that part is ignored (unless invalidQueryReturnsNoRows)', () => {
    expect(numbers('Number=CS1^priority=2')).toEqual(['CS2']);
    expect(numbers('no_such_field=x^ORDERBYno_such')).toEqual(['CS1', 'CS2', 'CS3', 'CS4']);
    state.knobs.invalidQueryReturnsNoRows = true;
    try {
      expect(numbers('no_such_field=x')).toEqual([]);
    } finally {
      state.knobs.invalidQueryReturnsNoRows = false;
    }
  });

  it('name-value pairs filter when there is no sysparm_query, and match display values too', () => {
    const byPairs = (pairs: Record<string, string>) => runListQuery(state, 'sn_customerservice_case', new URLSearchParams(pairs), 'admin').map((r) => r.number);
    expect(byPairs({ priority: '2' })).toEqual(['CS2']);
    expect(byPairs({ account: 'Globex' })).toEqual(['CS3']);
    expect(byPairs({ priority: '1 - Critical', sysparm_limit: '5' })).toEqual(['CS1']);
  });
});
