import { compileDateCondition, compileDateDistance, DATE_OPERATORS, truncateDate } from './date-conditions';
import { dynamicFilterValues } from './dynamic-filters';
import type { QueryCondition } from './encoded-query';
import { displayValueAt, fieldTarget, valueAt } from './field-paths';
import { compareValues, FIELD_OPERATORS, TEXT_OPERATORS, test } from './query-operators';
import type { GlideRecord, RecordStore } from './record-store';
import { evaluateScriptValue, type ScriptContext } from './script-values';

/** What evaluating a query needs besides the rows. */
export interface QueryContext extends ScriptContext {
  store: RecordStore;
  table: string;
  /** `glide.invalid_query.returns_no_rows`. */
  invalidQueryReturnsNoRows: boolean;
  /** Name-value pair filters also match display values (choice labels, referenced display values). */
  matchDisplayValues?: boolean;
}

/** A compiled condition. */
export type Predicate = (record: GlideRecord) => boolean;

const DATE_OPERATOR_SET = new Set<string>(DATE_OPERATORS);

function compileFieldComparison(c: QueryCondition, ctx: QueryContext, read: (r: GlideRecord, path: string) => string): Predicate | undefined {
  if (c.operator === 'MORETHAN' || c.operator === 'LESSTHAN') {
    const distance = compileDateDistance(c.operator, c.value);
    if (!distance || !fieldTarget(ctx.table, distance.other)) return undefined;
    return (r) => distance.test(read(r, c.field), read(r, distance.other));
  }
  const [other, unit] = c.value.split('@');
  const accept = FIELD_OPERATORS[c.operator];
  if (!fieldTarget(ctx.table, other)) return undefined;
  return (r) => accept(compareValues(truncateDate(read(r, c.field), unit), truncateDate(read(r, other), unit)));
}

/**
 * Builds the predicate of one condition, or undefined when it is invalid (unknown field, unreadable
 * value, unsupported script or dynamic filter), which the caller ignores as ServiceNow does. Text
 * operators on a reference field compare the referenced record's display value, as ServiceNow does.
 */
export function compileCondition(c: QueryCondition, ctx: QueryContext): Predicate | undefined {
  const target = fieldTarget(ctx.table, c.field);
  if (!target) return undefined;
  const read = (r: GlideRecord, path: string) => valueAt(ctx.store, ctx.table, r, path);
  if (c.operator in FIELD_OPERATORS || c.operator === 'MORETHAN' || c.operator === 'LESSTHAN') return compileFieldComparison(c, ctx, read);
  if (DATE_OPERATOR_SET.has(c.operator)) {
    const check = compileDateCondition(c.operator, c.value, ctx);
    return check && ((r) => check(read(r, c.field)));
  }
  if (c.operator === 'DYNAMIC') {
    const values = dynamicFilterValues(c.value, ctx);
    return values && ((r) => values.includes(read(r, c.field)));
  }
  let other: string | undefined;
  let value: string | undefined;
  if (c.operator === 'BETWEEN') {
    const [from, to] = c.value.split('@');
    value = evaluateScriptValue(from ?? '', ctx);
    other = evaluateScriptValue(to ?? '', ctx);
    if (other === undefined) return undefined;
  } else {
    value = evaluateScriptValue(c.value, ctx);
  }
  if (value === undefined) return undefined;
  const v = value;
  if (ctx.matchDisplayValues && c.operator === '=') {
    return (r) => read(r, c.field) === v || displayValueAt(ctx.store, ctx.table, r, c.field) === v;
  }
  if (target.reference && TEXT_OPERATORS.has(c.operator)) {
    return (r) => test(c.operator, displayValueAt(ctx.store, ctx.table, r, c.field), v);
  }
  return (r) => test(c.operator, read(r, c.field), v, other);
}
