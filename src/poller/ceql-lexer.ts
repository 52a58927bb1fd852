import { AppError } from '../lib/errors';
import { readPlaceholder, type Placeholder, type TemplatePart } from './url-template';

/** One token of a CEQL `where` expression; `at` is its offset in the expression (for messages). */
export type CeqlToken =
  | { type: 'word'; text: string; at: number }
  | { type: 'column'; text: string; at: number }
  | { type: 'string'; parts: TemplatePart[]; at: number }
  | { type: 'number'; text: string; at: number }
  | { type: 'placeholder'; placeholder: Placeholder; at: number }
  | { type: 'op'; text: '=' | '!=' | '<' | '>' | '<=' | '>='; at: number }
  | { type: '(' | ')' | ','; at: number };

/** Most tokens one expression may have: a poller URL is capped, and so is the work done on it. */
export const MAX_CEQL_TOKENS = 2000;

/** A 400 naming what in a CEQL expression cannot be read or translated. */
export function ceqlError(message: string): AppError {
  return new AppError('invalid_ceql', message, 400);
}

const WORD_START = /[A-Za-z_]/;
const WORD_CHAR = /[A-Za-z0-9_.]/;
const DIGIT = /[0-9]/;

/**
 * Reads a CEQL expression into tokens in one pass: words (column names and case-insensitive keywords),
 * `backticked` column names, 'single-quoted' strings (`''` is a quote; `${…}` placeholders inside stay
 * placeholders even when their pattern holds quotes, as in `'${gmtDate:yyyy-MM-dd'T'HH:mm:ss}'`), numbers,
 * bare placeholders, comparison operators, parentheses and commas. Throws 400 `invalid_ceql`.
 */
export function tokenizeCeql(text: string): CeqlToken[] {
  const tokens: CeqlToken[] = [];
  let i = 0;
  let close = -1; // the next `}` at or after the current placeholder, found once and reused
  const placeholderAt = (open: number): { placeholder: Placeholder; end: number } | undefined => {
    if (close <= open + 1) close = text.indexOf('}', open + 2);
    if (close < 0) return undefined;
    const placeholder = readPlaceholder(text.slice(open + 2, close));
    return placeholder ? { placeholder, end: close + 1 } : undefined;
  };
  while (i < text.length) {
    if (tokens.length > MAX_CEQL_TOKENS) throw ceqlError(`the where expression has more than ${MAX_CEQL_TOKENS} tokens`);
    const c = text[i];
    const at = i;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, at });
      i++;
    } else if (c === "'") {
      const read = readString(text, i, placeholderAt);
      tokens.push({ type: 'string', parts: read.parts, at });
      i = read.end;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw ceqlError(`unterminated \`column\` at ${at}`);
      tokens.push({ type: 'column', text: text.slice(i + 1, end), at });
      i = end + 1;
    } else if (c === '$' && text[i + 1] === '{') {
      const found = placeholderAt(i);
      if (!found) throw ceqlError(`unknown placeholder at ${at} (use \${gmtDate:…}, \${date:…} or \${epoch[:s|:us]})`);
      tokens.push({ type: 'placeholder', placeholder: found.placeholder, at });
      i = found.end;
    } else if (DIGIT.test(c) || (c === '-' && DIGIT.test(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < text.length && /[0-9.]/.test(text[j])) j++;
      tokens.push({ type: 'number', text: text.slice(i, j), at });
      i = j;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_CHAR.test(text[j])) j++;
      tokens.push({ type: 'word', text: text.slice(i, j), at });
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const op = two === '<>' ? '!=' : ['!=', '<=', '>='].includes(two) ? two : ['=', '<', '>'].includes(c) ? c : undefined;
      if (!op) throw ceqlError(c === '"' ? `double quotes at ${at}: CEQL strings are in 'single quotes'` : `unexpected "${c}" at ${at}`);
      tokens.push({ type: 'op', text: op as '=', at });
      i += op === c ? 1 : 2;
    }
  }
  return tokens;
}

function readString(
  text: string,
  start: number,
  placeholderAt: (open: number) => { placeholder: Placeholder; end: number } | undefined,
): { parts: TemplatePart[]; end: number } {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw ceqlError(`unterminated string starting at ${start}`);
    const c = text[i];
    if (c === "'" && text[i + 1] === "'") {
      literal += "'";
      i += 2;
    } else if (c === "'") {
      if (literal !== '' || parts.length === 0) parts.push(literal);
      return { parts, end: i + 1 };
    } else if (c === '$' && text[i + 1] === '{' && placeholderAt(i)) {
      const found = placeholderAt(i)!;
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(found.placeholder);
      i = found.end;
    } else {
      literal += c;
      i++;
    }
  }
}
