import { runListQuery } from '../../src/simulator/list-query';
import { createSimulatorState, SEED_IDS, type SimulatorState } from '../../src/simulator';
import { seedData } from '../../src/simulator/seed-data';
import { dateHelper } from '../../src/simulator/glide-date-helpers';

// The clock is frozen on Wednesday 2026-03-11 12:30:00 UTC; incidents are dated around it.
let state: SimulatorState;
const NOW = '2026-03-11 12:30:00';
const numbers = (query: string, table = 'incident', user = 'admin') =>
  runListQuery(state, table, new URLSearchParams({ sysparm_query: query }), user).map((r) => r.number).filter((n) => n.startsWith('T'));
const at = (text: string) => ({ at: new Date(text.replace(' ', 'T') + 'Z') });

beforeAll(() => {
  state = createSimulatorState();
  seedData(state.store);
  state.clock.set(NOW);
  const rows: Array<[string, string, Record<string, string>]> = [
    ['T1', '2026-03-11 12:20:00', { reopen_count: '2', impact: '1', urgency: '3', assigned_to: SEED_IDS.user('admin') }],
    ['T2', '2026-03-11 11:10:00', { reopen_count: '1', impact: '2', urgency: '2', assignment_group: SEED_IDS.group(0) }],
    ['T3', '2026-03-10 09:00:00', { reopen_count: '0', impact: '3', urgency: '1', assignment_group: SEED_IDS.group(1) }],
    ['T4', '2026-03-02 08:00:00', { reopen_count: '3', impact: '2', urgency: '1', caller_id: SEED_IDS.user('beth.anglin') }],
  ];
  for (const [number, when, fields] of rows) state.store.insert('incident', { number, short_description: number, ...fields }, at(when));
});

describe('encoded queries: date operators and javascript:gs.* values', () => {
  it.each([
    ['sys_created_onONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)', ['T1', 'T2']],
    ['sys_created_onNOTONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)', ['T3', 'T4']],
    ['sys_created_onONYesterday@javascript:gs.beginningOfYesterday()@javascript:gs.endOfYesterday()', ['T3']],
    ['sys_created_onONThis week@javascript:gs.beginningOfThisWeek()@javascript:gs.endOfThisWeek()', ['T1', 'T2', 'T3']],
    ['sys_created_onONLast 15 minutes@javascript:gs.beginningOfLast15Minutes()@javascript:gs.endOfLast15Minutes()', ['T1']],
    ["sys_created_onON2026-03-02@javascript:gs.dateGenerate('2026-03-02','start')@javascript:gs.dateGenerate('2026-03-02','end')", ['T4']],
    ['sys_created_on>=javascript:gs.beginningOfLast15Minutes()', ['T1']],
    ['sys_created_on>javascript:gs.hoursAgo(2)', ['T1', 'T2']],
    ['sys_created_on<javascript:gs.beginningOfThisWeek()', ['T4']],
    ['sys_created_onRELATIVEGT@hour@ago@1', ['T1']],
    ['sys_created_onRELATIVELT@hour@ago@1', ['T2', 'T3', 'T4']],
    ['sys_created_onRELATIVEGE@day@ago@2', ['T1', 'T2', 'T3']],
    ['sys_created_onRELATIVEEE@day@ago@1', ['T3']],
    ['sys_created_onRELATIVEGT@minute@ahead@5', []],
  ])('%s', (query, expected) => {
    expect(numbers(query)).toEqual(expected);
  });

  it('the date helpers move by calendar units and weeks start on Monday', () => {
    const now = new Date('2026-03-11T12:30:00Z');
    expect(dateHelper('beginningOfThisWeek', now, 0)).toBe('2026-03-09 00:00:00');
    expect(dateHelper('endOfLastMonth', now, 0)).toBe('2026-02-28 23:59:59');
    expect(dateHelper('monthsAgoStart', now, 1)).toBe('2026-02-01 00:00:00');
    expect(dateHelper('beginningOfThisQuarter', now, 0)).toBe('2026-01-01 00:00:00');
    expect(dateHelper('minutesAgo', now, 15)).toBe('2026-03-11 12:15:00');
    expect(dateHelper('beginningOfLast7Days', now, 0)).toBe('2026-03-05 00:00:00');
    expect(dateHelper('noSuchHelper', now, 0)).toBeUndefined();
  });
});

describe('encoded queries: field comparisons, dynamic filters and references by display value', () => {
  it.each([
    ['impactGT_FIELDurgency', ['T3', 'T4']],
    ['impactLT_FIELDurgency', ['T1']],
    ['impactGT_OR_EQUALS_FIELDurgency', ['T2', 'T3', 'T4']],
    ['impactLT_OR_EQUALS_FIELDurgency', ['T1', 'T2']],
    ['impactSAMEASurgency', ['T2']],
    ['impactNSAMEASurgency', ['T1', 'T3', 'T4']],
    ['sys_created_onSAMEASsys_updated_on@day', ['T1', 'T2', 'T3', 'T4']],
    ['assigned_toDYNAMIC90d1921e5f510100a9ad2572f2b477fe', ['T1']],
    ['assignment_groupDYNAMICd6435e965f510100a9ad2572f2b47744', ['T2']],
    ['assignment_groupSTARTSWITHNet', ['T3']],
    ['assignment_groupLIKEDesk', ['T2']],
    ['caller_idENDSWITHAnglin', ['T4']],
    ['assignment_groupNOT LIKEDesk^assignment_groupISNOTEMPTY', ['T3']],
    ['caller_id=javascript:gs.getUserID()^ORassigned_to=javascript:gs.getUserID()', ['T1']],
  ])('%s', (query, expected) => {
    expect(numbers(query)).toEqual(expected);
  });

  it('when a condition cannot be read (unknown dynamic filter, operator, script, malformed RELATIVE), then it is ignored, or matches nothing with invalidQueryReturnsNoRows', () => {
    const all = ['T1', 'T2', 'T3', 'T4'];
    for (const query of ['assigned_toDYNAMIC00000000000000000000000000000000', 'sys_created_onRELATIVEGT@fortnight@ago@1', 'sys_created_on>javascript:gs.nope()', 'impactGT_FIELDno_such_field', 'short_descriptionCONTAINST1']) {
      expect({ query, rows: numbers(query) }).toEqual({ query, rows: all });
    }
    state.knobs.invalidQueryReturnsNoRows = true;
    try {
      expect(numbers('sys_created_onRELATIVEGT@fortnight@ago@1')).toEqual([]);
      expect(numbers('sys_created_onRELATIVEGT@hour@ago@1')).toEqual(['T1']);
    } finally {
      state.knobs.invalidQueryReturnsNoRows = false;
    }
  });
});
