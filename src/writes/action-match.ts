import type { ActionCondition } from '../instances/action';

/** `data.groups.[0].name`, `data.groups[0].name` and `data.groups.0.name` all name the same value. */
export function fieldPath(path: string): string[] {
  return path.replace(/\[(\d+)\]/g, '.$1').split('.').map((s) => s.replace(/^\[|\]$/g, '')).filter((s) => s !== '');
}

/** The value at a path of the event (own properties only), or undefined. */
export function valueAt(event: unknown, path: string): unknown {
  let current = event;
  for (const segment of fieldPath(path)) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const same = (value: unknown, expected: unknown) => value !== undefined && value !== null && typeof value !== 'object' && String(value) === String(expected);

/** Whether one condition holds for the event (scalars compare as text, so `5` and `"5"` are equal). */
function holds(condition: ActionCondition, event: unknown): boolean {
  const value = valueAt(event, condition.field);
  if (condition.exists !== undefined && (value !== undefined && value !== null) !== condition.exists) return false;
  if (condition.equals !== undefined && !same(value, condition.equals)) return false;
  if (condition.not_equals !== undefined && same(value, condition.not_equals)) return false;
  if (condition.in && !condition.in.some((e) => same(value, e))) return false;
  if (condition.not_in && condition.not_in.some((e) => same(value, e))) return false;
  return true;
}

/** The first condition the event fails (its triggers and filter), or undefined when the action applies. */
export function failedCondition(conditions: readonly ActionCondition[], event: unknown): ActionCondition | undefined {
  return conditions.find((c) => !holds(c, event));
}
