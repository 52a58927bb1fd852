/** One `<field><operator><value>` condition of an encoded query. */
export interface QueryCondition {
  field: string;
  operator: string;
  value: string;
}

/** A parsed encoded query: `^NQ` groups (OR-ed) of AND-ed terms, each term an OR of conditions. */
export interface EncodedQuery {
  groups: QueryCondition[][][];
  orderBy: Array<{ field: string; descending: boolean }>;
  /** Parts that could not be parsed at all (they are ignored, as ServiceNow does). */
  unparsed: string[];
}

/** The encoded-query operators (r_OpAvailableFiltersQueries), longest first so that `>=` wins over `>`, `NOTIN` over `IN`. */
export const OPERATORS = [
  '!=', '>=', '<=', '=', '>', '<', 'NOT LIKE', 'NOTLIKE', 'LIKE', 'STARTSWITH', 'ENDSWITH', 'NOT IN', 'NOTIN', 'IN',
  'ISNOTEMPTY', 'ISEMPTY', 'EMPTYSTRING', 'ANYTHING', 'BETWEEN', 'SAMEAS', 'NSAMEAS', 'GT_FIELD', 'LT_FIELD',
  'GT_OR_EQUALS_FIELD', 'LT_OR_EQUALS_FIELD', 'ON', 'NOTON', 'RELATIVEGT', 'RELATIVEGE', 'RELATIVELT', 'RELATIVELE',
  'RELATIVEEE', 'MORETHAN', 'LESSTHAN', 'DYNAMIC',
].sort((a, b) => b.length - a.length);

const CONDITION = new RegExp(`^([a-z0-9_.]+?)(${OPERATORS.map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(.*)$`, 's');

/** Parses one condition, or undefined when it is not `<field><operator><value>`. */
export function parseCondition(text: string): QueryCondition | undefined {
  const m = CONDITION.exec(text);
  return m ? { field: m[1], operator: m[2], value: m[3] } : undefined;
}

/** Splits on a single `^`, keeping the escaped `^^` as a literal caret inside values. */
function splitTerms(text: string): string[] {
  return text.split(/\^(?!\^)/).map((t) => t.replace(/\^\^/g, '^'));
}

/**
 * Parses a ServiceNow encoded query: `a=1^b=2^ORc=3^NQd=4^ORDERBYe^ORDERBYDESCf`. `^OR` binds
 * tighter than `^`; `^NQ` starts a new OR-ed group; `^EQ` and `GROUPBY` are accepted and ignored.
 */
export function parseEncodedQuery(encoded: string): EncodedQuery {
  const query: EncodedQuery = { groups: [], orderBy: [], unparsed: [] };
  for (const groupText of encoded.split('^NQ')) {
    const terms: QueryCondition[][] = [];
    for (const part of splitTerms(groupText)) {
      if (part === '' || part === 'EQ' || part.startsWith('GROUPBY')) continue;
      if (part.startsWith('ORDERBYDESC')) query.orderBy.push({ field: part.slice(11), descending: true });
      else if (part.startsWith('ORDERBY')) query.orderBy.push({ field: part.slice(7), descending: false });
      else if (/^OR[a-z0-9_]/.test(part) && terms.length > 0) {
        const condition = parseCondition(part.slice(2));
        if (condition) terms[terms.length - 1].push(condition);
        else query.unparsed.push(part);
      } else {
        const condition = parseCondition(part);
        if (condition) terms.push([condition]);
        else query.unparsed.push(part);
      }
    }
    if (terms.length > 0) query.groups.push(terms);
  }
  return query;
}
