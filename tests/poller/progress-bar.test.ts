import { renderProgress } from '../../src/poller/progress-bar';

describe('renderProgress', () => {
  it('when the total is known, then it draws the bar with done/total', () => {
    expect(renderProgress(15, 30, 'cases', 10)).toBe('\r[#####-----] 15/30 cases\x1b[K');
    expect(renderProgress(0, 0, 'cases#deletes', 4)).toBe('\r[####] 0/0 cases#deletes\x1b[K');
  });

  it('when ServiceNow sent no total (e.g. sys_audit_delete), then it shows the count and says the total is unknown, with no bar of ?', () => {
    const line = renderProgress(12, undefined, 'cases#deletes');
    expect(line).toBe('\r12 cases#deletes (total unknown)\x1b[K');
    expect(line).not.toContain('?');
  });
});
