import { dateHelper } from './glide-date-helpers';

/** What a `javascript:` query value may depend on. */
export interface ScriptContext {
  now: Date;
  /** sys_id of the API user (for `gs.getUserID()`). */
  userSysId: string;
  /** user_name of the API user (for `gs.getUserName()`). */
  userName?: string;
  /** sys_ids of the groups the API user belongs to (for `getMyGroups()`). */
  userGroups?: () => string[];
}

function arg(args: string[], i: number): string {
  return (args[i] ?? '').trim().replace(/^['"]|['"]$/g, '');
}

function generateDate(args: string[]): string | undefined {
  const date = arg(args, 0);
  const range = arg(args, 1) || 'start';
  if (!/^\d{4}-\d\d-\d\d$/.test(date)) return undefined;
  const time = range === 'start' ? '00:00:00' : range === 'end' ? '23:59:59' : range;
  return /^\d\d:\d\d:\d\d$/.test(time) ? `${date} ${time}` : undefined;
}

/**
 * Evaluates the `javascript:` query values integrations use: `gs.dateGenerate`, every date helper of
 * `glide-date-helpers.ts` (daysAgo…, hoursAgoStart…, beginningOfLast15Minutes…, endOfThisWeek…,
 * nowDateTime), `gs.getUserID()`, `gs.getUserName()` and `getMyGroups()` (a comma list, for IN). The
 * API user's time zone is GMT, so a generated date is taken as UTC. Undefined when unsupported.
 */
export function evaluateScriptValue(value: string, ctx: ScriptContext): string | undefined {
  if (!value.startsWith('javascript:')) return value;
  const m = /^javascript:\s*(gs\.)?(\w+)\(([^)]*)\)\s*;?\s*$/.exec(value);
  if (!m) return undefined;
  const [, receiver, name, rawArgs] = m;
  const args = rawArgs === '' ? [] : rawArgs.split(',');
  if (!receiver) return name === 'getMyGroups' && ctx.userGroups ? ctx.userGroups().join(',') : undefined;
  switch (name) {
    case 'dateGenerate': return generateDate(args);
    case 'getUserID': return ctx.userSysId;
    case 'getUserName': return ctx.userName;
    default: {
      const n = Number(arg(args, 0) || '0');
      return Number.isFinite(n) ? dateHelper(name, ctx.now, n) : undefined;
    }
  }
}
