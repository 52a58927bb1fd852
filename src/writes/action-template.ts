import type { TemplateDelegate } from 'handlebars';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { COMPILE_OPTIONS, jsonHandlebars } from './json-handlebars';

/** Where in a template something is wrong: 1-based line and column. */
export interface TemplatePosition {
  line: number;
  column: number;
}

/** A template refused at configuration time (or an event that cannot be rendered), with its position when known. */
export class TemplateError extends Error {
  constructor(message: string, readonly position?: TemplatePosition) {
    super(position ? `line ${position.line}, column ${position.column}: ${message}` : message);
    this.name = 'TemplateError';
  }
}

type Node = { type: string; escaped?: boolean; loc?: { start: { line: number; column: number }; end: { line: number; column: number } }; body?: Node[]; program?: Node; inverse?: Node };

/** Offset of a 1-based line and 0-based column in the source. */
function offsetOf(lineStarts: number[], line: number, column: number): number {
  return (lineStarts[line - 1] ?? 0) + column;
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  return starts;
}

function positionAt(lineStarts: number[], offset: number): TemplatePosition {
  let line = 0;
  while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
  return { line: line + 1, column: offset - lineStarts[line] + 1 };
}

function parseTemplate(source: string): Node {
  try {
    return jsonHandlebars.parse(source) as unknown as Node;
  } catch (err) {
    const hash = (err as { hash?: { loc?: { first_line: number; first_column: number }; line?: number } }).hash;
    const position = hash?.loc ? { line: hash.loc.first_line, column: hash.loc.first_column + 1 } : hash?.line !== undefined ? { line: hash.line + 1, column: 1 } : undefined;
    const expected = /Expecting (.*)$/m.exec((err as Error).message)?.[1];
    throw new TemplateError(`the Handlebars syntax is broken${expected ? ` (expected ${expected.replace(/'/g, '')})` : ''}`, position);
  }
}

/** Refuses what cannot keep the output JSON: raw `{{{ }}}` insertion, partials and decorators. */
function checkNodes(node: Node | undefined): void {
  if (!node) return;
  const at = node.loc ? { line: node.loc.start.line, column: node.loc.start.column + 1 } : undefined;
  if (node.type === 'MustacheStatement' && node.escaped === false) throw new TemplateError('{{{ }}} inserts a value unescaped, which can break the JSON: use {{ }}', at);
  if (/Partial|Decorator/.test(node.type)) throw new TemplateError('partials and decorators are not available in action templates', at);
  for (const child of node.body ?? []) checkNodes(child);
  checkNodes(node.program);
  checkNodes(node.inverse);
}

function compile(source: string): TemplateDelegate {
  try {
    jsonHandlebars.precompile(source, COMPILE_OPTIONS);
  } catch (err) {
    const e = err as { lineNumber?: number; column?: number; message: string };
    throw new TemplateError(e.message.replace(/ - \d+:\d+$/, ''), e.lineNumber ? { line: e.lineNumber, column: (e.column ?? 0) + 1 } : undefined);
  }
  return jsonHandlebars.compile(source, COMPILE_OPTIONS);
}

/**
 * The template's text with every `{{ … }}` expression and block blanked out to as many `x`s, so offsets are
 * the template's own. Every expression must sit inside a JSON string: there, its escaped output can never
 * change the JSON's shape, so if this skeleton is a JSON object, every rendering is one.
 */
function skeletonOf(source: string, root: Node, lineStarts: number[]): string {
  const chars = source.split(''); // UTF-16 code units, as Handlebars' columns and jsonc-parser's offsets count
  for (const node of root.body ?? []) {
    if (node.type === 'ContentStatement' || !node.loc) continue;
    const from = offsetOf(lineStarts, node.loc.start.line, node.loc.start.column);
    const to = offsetOf(lineStarts, node.loc.end.line, node.loc.end.column);
    for (let i = from; i < to && i < chars.length; i++) chars[i] = 'x';
  }
  return chars.join('');
}

function describeJsonError(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A compiled action body: renders an event into the fields to write. */
export interface BodyTemplate {
  readonly source: string;
  /** The rendered JSON object; throws TemplateError when this event does not render to one. */
  render(context: unknown): Record<string, unknown>;
}

/** A compiled one-line template (`sys_id`, `number`, `idempotency_key`). */
export interface TextTemplate {
  readonly source: string;
  render(context: unknown): string;
}

const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

/**
 * Compiles an action's body template, refusing (TemplateError with line and column) one that is not valid
 * Handlebars, uses raw insertion, helpers beyond the built-ins, or whose JSON — with every expression kept
 * inside a string — is not a JSON object.
 */
export function compileBodyTemplate(source: string): BodyTemplate {
  const root = parseTemplate(source);
  checkNodes(root);
  const template = compile(source);
  const lineStarts = lineStartsOf(source);
  const skeleton = skeletonOf(source, root, lineStarts);
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(skeleton, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const pos = positionAt(lineStarts, errors[0].offset);
    throw new TemplateError(`not JSON: ${describeJsonError(errors[0])} (every {{ }} must sit inside a JSON string)`, pos);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TemplateError('the body must be a JSON object', { line: 1, column: 1 });
  return {
    source,
    render(context) {
      const text = template(context, RUNTIME);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new TemplateError(`the event renders into text that is not JSON: ${(err as Error).message}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TemplateError('the event renders into JSON that is not an object');
      return parsed as Record<string, unknown>;
    },
  };
}

/** Compiles a one-line template; its output is read as the content of a JSON string (escapes undone). */
export function compileTextTemplate(source: string): TextTemplate {
  const root = parseTemplate(source);
  checkNodes(root);
  const template = compile(source);
  const lineStarts = lineStartsOf(source);
  try {
    JSON.parse(`"${skeletonOf(source, root, lineStarts)}"`);
  } catch {
    throw new TemplateError('quotes, backslashes and line breaks are not allowed around the expressions', { line: 1, column: 1 });
  }
  return {
    source,
    render(context) {
      return (JSON.parse(`"${template(context, RUNTIME)}"`) as string).trim();
    },
  };
}
