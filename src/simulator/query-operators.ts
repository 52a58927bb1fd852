const NUMBER = /^-?\d+(\.\d+)?$/;

/** Compares two stored strings: numerically when both are numbers, else as text (dates sort as text). */
export function compareValues(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Operators comparing a field with another field of the same record (`priorityGT_FIELDurgency`). */
export const FIELD_OPERATORS: Readonly<Record<string, (d: number) => boolean>> = {
  SAMEAS: (d) => d === 0,
  NSAMEAS: (d) => d !== 0,
  GT_FIELD: (d) => d > 0,
  LT_FIELD: (d) => d < 0,
  GT_OR_EQUALS_FIELD: (d) => d >= 0,
  LT_OR_EQUALS_FIELD: (d) => d <= 0,
};

/** Operators that match text, which on a reference field compare the referenced record's display value. */
export const TEXT_OPERATORS = new Set(['LIKE', 'NOT LIKE', 'NOTLIKE', 'STARTSWITH', 'ENDSWITH']);

/** Whether `actual` satisfies `<operator><value>` (BETWEEN: `value` ≤ actual ≤ `other`). */
export function test(operator: string, actual: string, value: string, other?: string): boolean {
  switch (operator) {
    case '=': return actual === value;
    case '!=': return actual !== value;
    case '>': return compareValues(actual, value) > 0;
    case '>=': return compareValues(actual, value) >= 0;
    case '<': return compareValues(actual, value) < 0;
    case '<=': return compareValues(actual, value) <= 0;
    case 'LIKE': return actual.includes(value);
    case 'NOT LIKE': case 'NOTLIKE': return !actual.includes(value);
    case 'STARTSWITH': return actual.startsWith(value);
    case 'ENDSWITH': return actual.endsWith(value);
    case 'IN': return value.split(',').includes(actual);
    case 'NOT IN': case 'NOTIN': return !value.split(',').includes(actual);
    case 'ISEMPTY': case 'EMPTYSTRING': return actual === '';
    case 'ISNOTEMPTY': return actual !== '';
    case 'ANYTHING': return true;
    case 'BETWEEN': return compareValues(actual, value) >= 0 && compareValues(actual, other ?? '') <= 0;
    default: return false;
  }
}
