import { glideDateTime } from './glide-values';

/** A calendar unit of the date helpers and the relative operators. */
export type DateUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

const MS: Readonly<Record<string, number>> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/** Reads a unit name as the date helpers and the condition builder spell it (`hour`, `Hours`, `days`…). */
export function parseUnit(text: string): DateUnit | undefined {
  const unit = text.trim().toLowerCase().replace(/s$/, '');
  return ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'].includes(unit) ? (unit as DateUnit) : undefined;
}

/** `date` moved by `n` units (negative = into the past); months, quarters and years by the calendar. */
export function addUnits(date: Date, unit: DateUnit, n: number): Date {
  if (unit in MS) return new Date(date.getTime() + n * MS[unit]);
  const d = new Date(date);
  const months = unit === 'month' ? n : unit === 'quarter' ? 3 * n : 12 * n;
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * The first instant of the unit holding `date`, in UTC (the API user's time zone is GMT). Weeks start
 * on Monday (`glide.ui.date_format.first_day_of_week`, UNCONFIRMED default).
 */
export function startOf(date: Date, unit: DateUnit): Date {
  const d = new Date(date);
  switch (unit) {
    case 'second': d.setUTCMilliseconds(0); break;
    case 'minute': d.setUTCSeconds(0, 0); break;
    case 'hour': d.setUTCMinutes(0, 0, 0); break;
    default: d.setUTCHours(0, 0, 0, 0);
  }
  if (unit === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (unit === 'month' || unit === 'quarter' || unit === 'year') d.setUTCDate(1);
  if (unit === 'quarter') d.setUTCMonth(d.getUTCMonth() - (d.getUTCMonth() % 3));
  if (unit === 'year') d.setUTCMonth(0);
  return d;
}

/** The last second of the unit holding `date` (GlideDateTime values have one-second resolution). */
export function endOf(date: Date, unit: DateUnit): Date {
  return new Date(addUnits(startOf(date, unit), unit, 1).getTime() - 1000);
}

type Helper = (now: Date, n: number) => Date;

const AGO: Record<string, DateUnit> = { minutes: 'minute', hours: 'hour', days: 'day', months: 'month', quarters: 'quarter', years: 'year' };
const PERIODS: Record<string, [DateUnit, number]> = {
  Today: ['day', 0], Yesterday: ['day', -1], Tomorrow: ['day', 1],
  ThisWeek: ['week', 0], LastWeek: ['week', -1], NextWeek: ['week', 1],
  ThisMonth: ['month', 0], LastMonth: ['month', -1], NextMonth: ['month', 1],
  ThisQuarter: ['quarter', 0], LastQuarter: ['quarter', -1], NextQuarter: ['quarter', 1],
  ThisYear: ['year', 0], LastYear: ['year', -1], NextYear: ['year', 1],
  CurrentMinute: ['minute', 0], CurrentHour: ['hour', 0], LastMinute: ['minute', -1], LastHour: ['hour', -1],
};
const LAST_SPANS: Record<string, [DateUnit, number]> = {
  Last15Minutes: ['minute', 15], Last30Minutes: ['minute', 30], Last45Minutes: ['minute', 45],
  Last2Hours: ['hour', 2], Last3Hours: ['hour', 3], Last6Hours: ['hour', 6], Last12Hours: ['hour', 12],
  Last7Days: ['day', 7], Last30Days: ['day', 30], Last60Days: ['day', 60], Last90Days: ['day', 90],
  Last3Months: ['month', 3], Last6Months: ['month', 6], Last9Months: ['month', 9], Last12Months: ['month', 12],
};

function buildHelpers(): Map<string, Helper> {
  const helpers = new Map<string, Helper>();
  for (const [name, unit] of Object.entries(AGO)) {
    helpers.set(`${name}Ago`, (now, n) => addUnits(now, unit, -n));
    helpers.set(`${name}AgoStart`, (now, n) => startOf(addUnits(now, unit, -n), unit));
    helpers.set(`${name}AgoEnd`, (now, n) => endOf(addUnits(now, unit, -n), unit));
  }
  for (const [name, [unit, shift]] of Object.entries(PERIODS)) {
    helpers.set(`beginningOf${name}`, (now) => startOf(addUnits(now, unit, shift), unit));
    helpers.set(`endOf${name}`, (now) => endOf(addUnits(now, unit, shift), unit));
  }
  // "Last 15 minutes", "Last 7 days" and the like: from N units back (whole days from the day of the
  // first one, today included) up to now, or to the end of today for day and month spans.
  for (const [name, [unit, span]] of Object.entries(LAST_SPANS)) {
    const sub = unit === 'minute' || unit === 'hour';
    helpers.set(`beginningOf${name}`, (now) => (sub ? addUnits(now, unit, -span) : startOf(addUnits(now, unit, unit === 'day' ? 1 - span : -span), 'day')));
    helpers.set(`endOf${name}`, (now) => (sub ? now : endOf(now, 'day')));
  }
  helpers.set('nowDateTime', (now) => now);
  helpers.set('nowNoTZ', (now) => now);
  return helpers;
}

/** `gs.<name>(n)` date helpers by name: daysAgo…, hoursAgoStart…, beginningOf…/endOf…, nowDateTime. */
export const DATE_HELPERS: ReadonlyMap<string, Helper> = buildHelpers();

/** Evaluates `gs.<name>(n)` as a `yyyy-MM-dd HH:mm:ss` UTC value, or undefined for an unknown helper. */
export function dateHelper(name: string, now: Date, n: number): string | undefined {
  const helper = DATE_HELPERS.get(name);
  return helper ? glideDateTime(helper(now, n)) : undefined;
}
