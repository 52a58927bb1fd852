import { readEnv } from '../../src/config/env';
import { DEFAULT_RETRY_SCHEDULE, retryDelayMs, scheduleSpanMs } from '../../src/events/retry-schedule';
import { parseInstance } from '../../src/instances/parse-instance';
import { instanceFor } from './fixtures';

const HOUR = 3_600_000;
const lowest = () => 0;
const highest = () => 0.999999;

describe('the delivery retry schedule', () => {
  const schedule = DEFAULT_RETRY_SCHEDULE;

  it('when nothing is configured, then 8 attempts spread over ~27.6 h, and even at the lowest jitter over more than 24 h', () => {
    expect(schedule.delaysMs.length + 1).toBe(8);
    expect(scheduleSpanMs(schedule) / HOUR).toBeCloseTo(27.58, 2);
    const floors = schedule.delaysMs.map((_, i) => retryDelayMs(schedule, i + 1, undefined, lowest)!);
    expect(floors.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * HOUR);
  });

  it('when a retry is due, then its delay is within ±10 % of its step: never near zero (the floor), never beyond', () => {
    schedule.delaysMs.forEach((step, i) => {
      expect(retryDelayMs(schedule, i + 1, undefined, lowest)).toBe(Math.round(step * 0.9));
      expect(retryDelayMs(schedule, i + 1, undefined, highest)).toBe(Math.round(step * 1.1 - step * 0.2 * 0.000001));
      expect(retryDelayMs(schedule, i + 1, undefined, () => 0.5)).toBe(step);
    });
  });

  it('when every step was used, then the schedule is spent', () => {
    expect(retryDelayMs(schedule, schedule.delaysMs.length + 1)).toBeUndefined();
    expect(retryDelayMs({ ...schedule, delaysMs: [] }, 1)).toBeUndefined();
  });

  it('when the subscriber sends Retry-After, then the retry waits at least that long (capped at 1 h) and never less than the floor', () => {
    expect(retryDelayMs(schedule, 1, 7000, lowest)).toBe(7000);
    expect(retryDelayMs(schedule, 1, 1000, lowest)).toBe(4500);
    expect(retryDelayMs(schedule, 1, 0, lowest)).toBe(4500);
    expect(retryDelayMs(schedule, 2, 10 * HOUR, lowest)).toBe(HOUR);
    expect(retryDelayMs(schedule, 7, 10 * HOUR, lowest)).toBe(32_400_000);
  });

  it('when SNOWGATE_DELIVERY_SCHEDULE or an instance sets the steps, then they are used; a bad value or a replaced variable stops start-up naming it (the breaker knobs too)', () => {
    expect(readEnv({}).deliveryRetryDelaysMs).toEqual(schedule.delaysMs);
    expect(readEnv({ SNOWGATE_DELIVERY_SCHEDULE: '50ms, 3s,1.5m,1h,2d' }).deliveryRetryDelaysMs).toEqual([50, 3000, 90_000, HOUR, 172_800_000]);
    expect(() => readEnv({ SNOWGATE_DELIVERY_SCHEDULE: '5s,soon' })).toThrow(/SNOWGATE_DELIVERY_SCHEDULE/);
    expect(() => readEnv({ SNOWGATE_DELIVERY_SCHEDULE: '8d' })).toThrow(/SNOWGATE_DELIVERY_SCHEDULE/);
    expect(() => readEnv({ SNOWGATE_DELIVERY_ATTEMPTS: '8' })).toThrow(/SNOWGATE_DELIVERY_ATTEMPTS was replaced by SNOWGATE_DELIVERY_SCHEDULE/);
    expect(() => readEnv({ SNOWGATE_DELIVERY_BACKOFF_MS: '1000' })).toThrow(/SNOWGATE_DELIVERY_BACKOFF_MS was replaced .* SNOWGATE_WRITE_SCHEDULE/);
    expect(readEnv({}).writeRetryDelaysMs).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 120_000, 240_000]);
    expect(readEnv({}).breaker).toEqual({ failureThreshold: 5, openMs: 10_000, maxOpenMs: 600_000 });
    expect(() => readEnv({ SNOWGATE_BREAKER_OPEN_MS: '5000', SNOWGATE_BREAKER_MAX_OPEN_MS: '1000' })).toThrow(/SNOWGATE_BREAKER_MAX_OPEN_MS/);

    expect(instanceFor('a', 'https://x.example.com/', { 'event.notification.retry_schedule': '1m,1h' }).events.retryDelaysMs).toEqual([60_000, HOUR]);
    expect(instanceFor('b', 'https://x.example.com/', { 'event.notification.retry_schedule': ['5s', '10m'] }).events.retryDelaysMs).toEqual([5000, 600_000]);
    expect(instanceFor('c', 'https://x.example.com/').events.retryDelaysMs).toBeUndefined();
    const definition = instanceFor('d', 'https://x.example.com/').definition;
    const bad = () => parseInstance({ ...definition, configuration: { ...definition.configuration, 'event.notification.retry_schedule': '5 minutes' } });
    expect(bad).toThrow(expect.objectContaining({ code: 'invalid_instance', httpStatus: 400 }));
    expect(JSON.stringify((() => { try { bad(); } catch (err) { return (err as { toBody(): unknown }).toBody(); } })())).toContain('/configuration/event.notification.retry_schedule');
  });
});
