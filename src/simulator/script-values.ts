import { glideDateTime } from './glide-values';

/** What a `javascript:` query value may depend on. */
export interface ScriptContext {
  now: Date;
  /** sys_id of the API user (for `gs.getUserID()`). */
  userSysId: string;
}

const DAY = 86_400_000;

function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function arg(args: string[], i: number): string {
  return (args[i] ?? '').trim().replace(/^['"]|['"]$/g, '');
}

/**
 * Evaluates the few `javascript:` query values integrations use (gs.dateGenerate, gs.daysAgo*,
 * gs.minutesAgo, gs.hoursAgo, gs.nowDateTime, gs.beginningOfToday, gs.endOfToday, gs.getUserID).
 * The API user's time zone is GMT, so a generated date is taken as UTC. Undefined when unsupported.
 */
export function evaluateScriptValue(value: string, ctx: ScriptContext): string | undefined {
  if (!value.startsWith('javascript:')) return value;
  const m = /^javascript:\s*gs\.(\w+)\(([^)]*)\)\s*;?\s*$/.exec(value);
  if (!m) return undefined;
  const args = m[2] === '' ? [] : m[2].split(',');
  const now = ctx.now.getTime();
  const n = Number(arg(args, 0) || '0');
  switch (m[1]) {
    case 'dateGenerate': {
      const date = arg(args, 0);
      const range = arg(args, 1) || 'start';
      if (!/^\d{4}-\d\d-\d\d$/.test(date)) return undefined;
      const time = range === 'start' ? '00:00:00' : range === 'end' ? '23:59:59' : range;
      return /^\d\d:\d\d:\d\d$/.test(time) ? `${date} ${time}` : undefined;
    }
    case 'nowDateTime':
      return glideDateTime(ctx.now);
    case 'getUserID':
      return ctx.userSysId;
    case 'beginningOfToday':
      return glideDateTime(startOfDay(ctx.now));
    case 'endOfToday':
      return glideDateTime(new Date(startOfDay(ctx.now).getTime() + DAY - 1000));
    case 'daysAgo':
      return glideDateTime(new Date(now - n * DAY));
    case 'daysAgoStart':
      return glideDateTime(startOfDay(new Date(now - n * DAY)));
    case 'daysAgoEnd':
      return glideDateTime(new Date(startOfDay(new Date(now - n * DAY)).getTime() + DAY - 1000));
    case 'hoursAgo':
      return glideDateTime(new Date(now - n * 3_600_000));
    case 'minutesAgo':
      return glideDateTime(new Date(now - n * 60_000));
    default:
      return undefined;
  }
}
