import { addUnits, parseUnit, startOf, endOf } from './glide-date-helpers';
import { glideDateTime, parseGlideDateTime } from './glide-values';
import { evaluateScriptValue, type ScriptContext } from './script-values';

/** A test of one stored date-time value (`yyyy-MM-dd HH:mm:ss`, UTC); an empty value never matches. */
export type DateTest = (actual: string) => boolean;

const RELATIVE: Readonly<Record<string, (a: string, lo: string, hi: string) => boolean>> = {
  RELATIVEGT: (a, _lo, hi) => a > hi,
  RELATIVEGE: (a, lo) => a >= lo,
  RELATIVELT: (a, lo) => a < lo,
  RELATIVELE: (a, _lo, hi) => a <= hi,
  RELATIVEEE: (a, lo, hi) => a >= lo && a <= hi,
};

/** The date-only operators of the condition builder. */
export const DATE_OPERATORS = ['ON', 'NOTON', ...Object.keys(RELATIVE)] as const;

/**
 * `ON<label>@<start>@<end>` / `NOTON…` (start and end are `javascript:` values or literals, the label is
 * informational: `ONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)`), and
 * `RELATIVE{GT|GE|LT|LE|EE}@<unit>@{ago|ahead}@<n>` (`RELATIVEGT@hour@ago@1`: after one hour ago; EE: within
 * that unit, e.g. the same hour). Undefined when the value cannot be read (an invalid condition).
 */
export function compileDateCondition(operator: string, value: string, ctx: ScriptContext): DateTest | undefined {
  const parts = value.split('@');
  if (operator === 'ON' || operator === 'NOTON') {
    if (parts.length !== 3) return undefined;
    const from = evaluateScriptValue(parts[1], ctx);
    const to = evaluateScriptValue(parts[2], ctx);
    if (!from || !to || !parseGlideDateTime(from) || !parseGlideDateTime(to)) return undefined;
    const on = (a: string) => a >= from && a <= to;
    return operator === 'ON' ? (a) => a !== '' && on(a) : (a) => a !== '' && !on(a);
  }
  const compare = RELATIVE[operator];
  const unit = parseUnit(parts[1] ?? '');
  const n = Number(parts[3]);
  if (!compare || parts[0] !== '' || !unit || !/^(ago|ahead)$/.test(parts[2] ?? '') || !Number.isInteger(n)) return undefined;
  const point = addUnits(ctx.now, unit, parts[2] === 'ago' ? -n : n);
  const lo = glideDateTime(operator === 'RELATIVEEE' ? startOf(point, unit) : point);
  const hi = glideDateTime(operator === 'RELATIVEEE' ? endOf(point, unit) : point);
  return (a) => a !== '' && compare(a, lo, hi);
}

/**
 * `MORETHAN` / `LESSTHAN` between two date fields: `sla_dueMORETHANactivity_due@day@before@1` (sla_due is
 * more than one day before activity_due). Returns the test of (actual, other) or undefined when invalid.
 */
export function compileDateDistance(operator: string, value: string): { other: string; test: (a: string, b: string) => boolean } | undefined {
  const [other, unitText, direction, count] = value.split('@');
  const unit = parseUnit(unitText ?? '');
  const n = Number(count);
  if (!other || !unit || !/^(before|after)$/.test(direction ?? '') || !Number.isInteger(n)) return undefined;
  return {
    other,
    test: (a, b) => {
      const da = parseGlideDateTime(a);
      const db = parseGlideDateTime(b);
      if (!da || !db) return false;
      const bound = addUnits(db, unit, direction === 'before' ? -n : n).getTime();
      const beyond = direction === 'before' ? da.getTime() < bound : da.getTime() > bound;
      const sameSide = direction === 'before' ? da.getTime() <= db.getTime() : da.getTime() >= db.getTime();
      return operator === 'MORETHAN' ? beyond : sameSide && !beyond;
    },
  };
}

/** Truncates a date-time value to a unit (`SAMEAS…@day`); other values come back unchanged. */
export function truncateDate(value: string, unitText: string | undefined): string {
  const unit = unitText ? parseUnit(unitText) : undefined;
  const date = unit ? parseGlideDateTime(value) : undefined;
  return date && unit ? glideDateTime(startOf(date, unit)) : value;
}
