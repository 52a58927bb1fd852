import Handlebars from 'handlebars';

/** The name under which the compiled templates find the JSON escaper (a helper of this environment only). */
const ESCAPER = 'snowgateJsonEscape';

/**
 * One inserted value as the content of a JSON string: `"` `\` and control characters escaped, so a name
 * with quotes, a newline or an emoji never breaks the JSON around it. Objects and arrays go in as their
 * JSON text; null and undefined as nothing.
 */
export function jsonStringContent(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Handlebars.SafeString) return jsonStringContent(value.toString());
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return JSON.stringify(text).slice(1, -1);
}

type Compiler = { pushSource(s: unknown): void; appendToBuffer(parts: unknown[]): unknown; aliasable(name: string): string; popStack(): string };

/**
 * A Handlebars environment of its own whose `{{ … }}` escaping is {@link jsonStringContent} instead of
 * HTML escaping. Handlebars binds its escaper into each compiled template from a module-wide function, so
 * the one documented extension point — the JavaScript compiler — is where the escaper is swapped: every
 * escaped mustache calls this environment's escaper (block contents too: child programs use the same compiler).
 */
function createJsonHandlebars(): typeof Handlebars {
  const env = Handlebars.create();
  const Base = (env as unknown as { JavaScriptCompiler: new () => object }).JavaScriptCompiler;
  class JsonEscapingCompiler extends Base {
    appendEscaped(this: Compiler): void {
      // helpers are called with a trailing options object (Handlebars' helper wrapper writes into it)
      this.pushSource(this.appendToBuffer([this.aliasable(`container.helpers.${ESCAPER}`), '(', this.popStack(), ', {})']));
    }
  }
  (JsonEscapingCompiler.prototype as { compiler?: unknown }).compiler = JsonEscapingCompiler;
  (env as unknown as { JavaScriptCompiler: unknown }).JavaScriptCompiler = JsonEscapingCompiler;
  env.registerHelper(ESCAPER, (value: unknown) => jsonStringContent(value));
  return env;
}

/** The environment every action template is compiled in. */
export const jsonHandlebars = createJsonHandlebars();

/** Compile options: only the built-in helpers (if, unless, each, with, lookup), and no HTML escaping anywhere. */
export const COMPILE_OPTIONS = { knownHelpersOnly: true, knownHelpers: { [ESCAPER]: true }, strict: false, noEscape: false } as const;

// Handlebars' parser drops the location of a parse error (it only prints it into the message); keep it on
// the error, so a refused template can say where. The message and the throw are unchanged.
((Handlebars as unknown as { Parser: unknown }).Parser as { parseError: (message: string, hash: unknown) => never }).parseError = (message, hash) => {
  throw Object.assign(new Error(message), { hash });
};
