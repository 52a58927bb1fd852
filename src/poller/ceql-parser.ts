import { ceqlError, tokenizeCeql, type CeqlToken } from './ceql-lexer';
import type { Placeholder, TemplatePart } from './url-template';

/** A value on the right of a CEQL condition. */
export type CeqlValue =
  | { kind: 'string'; parts: TemplatePart[] }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'placeholder'; placeholder: Placeholder };

/** The comparison operators of CEQL (`<>` is read as `!=`). */
export type Comparison = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** One condition on one column. */
export type CeqlCondition =
  | { kind: 'compare'; column: string; op: Comparison; value: CeqlValue }
  | { kind: 'like'; column: string; negated: boolean; pattern: CeqlValue }
  | { kind: 'in'; column: string; negated: boolean; values: CeqlValue[] }
  | { kind: 'null'; column: string; negated: boolean };

/** A parsed `where` expression. */
export type CeqlExpr = CeqlCondition | { kind: 'and' | 'or'; items: CeqlExpr[] } | { kind: 'not'; item: CeqlExpr };

/** Deepest nesting of parentheses and NOT accepted (keeps the recursion bounded). */
export const MAX_CEQL_DEPTH = 32;

const keyword = (t: CeqlToken | undefined, word: string): boolean => t?.type === 'word' && t.text.toUpperCase() === word;

function describe(t: CeqlToken | undefined): string {
  if (!t) return 'the end of the expression';
  const text = 'text' in t ? ` "${t.text}"` : t.type === 'string' ? ' a string' : t.type === 'placeholder' ? ' a placeholder' : ` "${t.type}"`;
  return `${text.trim()} at ${t.at}`;
}

/**
 * A recursive-descent parser over the tokens: `OR` binds looser than `AND`, `NOT` applies to what follows,
 * parentheses group; a condition is `column op value`, `column [NOT] LIKE 'pattern'`,
 * `column [NOT] IN (v, …)` or `column IS [NOT] NULL`. Keywords are case-insensitive, as Cloud Elements'
 * own tests write them (`and`, `Like`, `in`). Each token is looked at once.
 */
class Parser {
  private i = 0;

  constructor(private readonly tokens: CeqlToken[]) {}

  parse(): CeqlExpr {
    const expr = this.or(0);
    if (this.i < this.tokens.length) throw ceqlError(`expected AND, OR or the end, found ${describe(this.tokens[this.i])}`);
    return expr;
  }

  private peek(): CeqlToken | undefined {
    return this.tokens[this.i];
  }

  private next(): CeqlToken | undefined {
    return this.tokens[this.i++];
  }

  private or(depth: number): CeqlExpr {
    return this.joined('or', () => this.and(depth));
  }

  private and(depth: number): CeqlExpr {
    return this.joined('and', () => this.unary(depth));
  }

  /** `operand (KIND operand)*`, one item when there is no KIND. */
  private joined(kind: 'and' | 'or', operand: () => CeqlExpr): CeqlExpr {
    const items = [operand()];
    while (keyword(this.peek(), kind.toUpperCase())) {
      this.i++;
      items.push(operand());
    }
    return items.length === 1 ? items[0] : { kind, items };
  }

  private unary(depth: number): CeqlExpr {
    if (depth > MAX_CEQL_DEPTH) throw ceqlError(`the where expression nests deeper than ${MAX_CEQL_DEPTH} levels`);
    const t = this.peek();
    if (keyword(t, 'NOT')) {
      this.i++;
      return { kind: 'not', item: this.unary(depth + 1) };
    }
    if (t?.type === '(') {
      this.i++;
      const inner = this.or(depth + 1);
      const end = this.next();
      if (end?.type !== ')') throw ceqlError(`expected ")" to close "(" at ${t.at}, found ${describe(end)}`);
      return inner;
    }
    return this.condition();
  }

  private condition(): CeqlCondition {
    const c = this.next();
    if (!c || (c.type !== 'word' && c.type !== 'column') || (c.type === 'word' && isReserved(c.text))) {
      throw ceqlError(`expected a column name, found ${describe(c)}`);
    }
    const column = c.text;
    const t = this.next();
    if (t?.type === 'op') return { kind: 'compare', column, op: t.text, value: this.value() };
    const negated = keyword(t, 'NOT');
    const verb = negated ? this.next() : t;
    if (keyword(verb, 'LIKE')) return { kind: 'like', column, negated, pattern: this.value() };
    if (keyword(verb, 'IN')) return { kind: 'in', column, negated, values: this.list() };
    if (!negated && keyword(verb, 'IS')) {
      const not = keyword(this.peek(), 'NOT');
      if (not) this.i++;
      const nul = this.next();
      if (!keyword(nul, 'NULL')) throw ceqlError(`expected NULL after IS${not ? ' NOT' : ''}, found ${describe(nul)}`);
      return { kind: 'null', column, negated: not };
    }
    throw ceqlError(`expected an operator (=, !=, <, >, <=, >=, LIKE, IN, IS NULL) after "${column}", found ${describe(verb)}`);
  }

  private list(): CeqlValue[] {
    const open = this.next();
    if (open?.type !== '(') throw ceqlError(`expected "(" after IN, found ${describe(open)}`);
    const values = [this.value()];
    for (;;) {
      const t = this.next();
      if (t?.type === ')') return values;
      if (t?.type !== ',') throw ceqlError(`expected "," or ")" in the IN list, found ${describe(t)}`);
      values.push(this.value());
    }
  }

  private value(): CeqlValue {
    const t = this.next();
    if (t?.type === 'string') return { kind: 'string', parts: t.parts };
    if (t?.type === 'number') return { kind: 'number', text: t.text };
    if (t?.type === 'placeholder') return { kind: 'placeholder', placeholder: t.placeholder };
    if (keyword(t, 'TRUE') || keyword(t, 'FALSE')) return { kind: 'boolean', value: keyword(t, 'TRUE') };
    if (keyword(t, 'NULL')) throw ceqlError(`NULL at ${t!.at} is not a value: write "column IS NULL"`);
    throw ceqlError(`expected a value ('quoted string', number, true, false or a placeholder), found ${describe(t)}`);
  }
}

const RESERVED = new Set(['AND', 'OR', 'NOT', 'LIKE', 'IN', 'IS', 'NULL']);

function isReserved(word: string): boolean {
  return RESERVED.has(word.toUpperCase());
}

/** Parses a CEQL `where` expression; undefined for an empty one. Throws 400 `invalid_ceql` naming the problem. */
export function parseCeql(text: string): CeqlExpr | undefined {
  const tokens = tokenizeCeql(text);
  return tokens.length === 0 ? undefined : new Parser(tokens).parse();
}
