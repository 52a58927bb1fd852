import { ceqlError } from './ceql-lexer';
import { parseCeql, type CeqlCondition, type CeqlExpr, type Comparison } from './ceql-parser';
import { renderCeqlCondition } from './ceql-condition';

/** Most `^NQ` groups a translated query may have, and most conditions in all of them together. */
export const MAX_QUERY_GROUPS = 32;
export const MAX_QUERY_CONDITIONS = 256;

/**
 * ServiceNow's encoded-query shape: OR-ed groups (`^NQ`) of AND-ed clauses (`^`), each clause an OR of
 * conditions (`^OR`, which binds tighter than `^`). It has no parentheses, so every CEQL expression is
 * brought into this shape; this is the shape.
 */
type Clause = CeqlCondition[];
type Group = Clause[];

const NEGATED: Record<Comparison, Comparison> = { '=': '!=', '!=': '=', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

/** Pushes NOT down to the conditions (De Morgan), flipping each condition's operator. */
function withoutNot(expr: CeqlExpr, negate: boolean): CeqlExpr {
  switch (expr.kind) {
    case 'not':
      return withoutNot(expr.item, !negate);
    case 'and':
    case 'or': {
      const kind = negate ? (expr.kind === 'and' ? 'or' : 'and') : expr.kind;
      return { kind, items: expr.items.map((i) => withoutNot(i, negate)) };
    }
    case 'compare':
      return negate ? { ...expr, op: NEGATED[expr.op] } : expr;
    default:
      return negate ? { ...expr, negated: !expr.negated } : expr;
  }
}

function count(groups: Group[]): number {
  return groups.reduce((n, g) => n + g.reduce((m, c) => m + c.length, 0), 0);
}

function bounded(groups: Group[]): Group[] {
  if (groups.length > MAX_QUERY_GROUPS || count(groups) > MAX_QUERY_CONDITIONS) {
    throw ceqlError(
      `the where expression needs more than ${MAX_QUERY_GROUPS} OR-ed groups or ${MAX_QUERY_CONDITIONS} conditions once written as a ServiceNow encoded query (which has no parentheses): simplify it`,
    );
  }
  return groups;
}

/**
 * The groups of an expression without NOT. AND multiplies out (each group of one side with each of the
 * other); OR-ed single clauses become one clause (`a^ORb`), the other OR-ed parts separate groups (`^NQ`).
 * Exact: the result matches the same rows as the expression. Bounded, since distributing AND over OR
 * can grow exponentially.
 */
function groupsOf(expr: CeqlExpr): Group[] {
  switch (expr.kind) {
    case 'and':
      return expr.items.map(groupsOf).reduce((acc, next) => bounded(acc.flatMap((a) => next.map((b) => [...a, ...b]))));
    case 'or': {
      const parts = expr.items.map(groupsOf);
      const single = (p: Group[]) => p.length === 1 && p[0].length === 1;
      const merged: Group[] = parts.some(single) ? [[parts.filter(single).flatMap((p) => p[0][0])]] : [];
      return bounded([...merged, ...parts.filter((p) => !single(p)).flat()]);
    }
    case 'not':
      throw new Error('NOT must be pushed down first');
    default:
      return [[[expr]]];
  }
}

/** What a translation needs to know about the resource. */
export interface CeqlTranslationOptions {
  /** Hub field names that are another column in the table (`id` → `sys_id`). */
  columns?: Readonly<Record<string, string>>;
}

/**
 * Translates a CEQL `where` expression into a ServiceNow encoded query (`sysparm_query`), keeping the
 * poller's placeholders for later expansion. Comparisons, `LIKE` with `%` at either end, `IN`, `IS [NOT] NULL`,
 * `AND`, `OR`, `NOT` and parentheses; ISO dates become `yyyy-MM-dd HH:mm:ss`. What has no exact encoded-query
 * form is refused — 400 `invalid_ceql` naming it — never translated into something that fetches more or less.
 * Returns '' for an empty expression.
 */
export function ceqlToEncodedQuery(where: string, options: CeqlTranslationOptions = {}): string {
  const expr = parseCeql(where);
  if (!expr) return '';
  return bounded(groupsOf(withoutNot(expr, false)))
    .map((group) => group.map((clause) => clause.map((c) => renderCeqlCondition(c, options.columns ?? {})).join('^OR')).join('^'))
    .join('^NQ');
}
