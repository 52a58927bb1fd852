import { AppError } from '../lib/errors';
import { compileBodyTemplate, compileTextTemplate, TemplateError } from '../writes/action-template';
import type { Action, ActionDefinition } from './action';

function refused(path: string, err: unknown): AppError {
  if (!(err instanceof TemplateError)) throw err;
  const detail = { path, message: err.message, ...(err.position ?? {}) };
  return new AppError('invalid_instance', `The template at ${path} is not valid: ${err.message}`, 400, { details: [detail] });
}

function compiled<T>(path: string, compile: () => T): T {
  try {
    return compile();
  } catch (err) {
    throw refused(path, err);
  }
}

/** An object body is written as its JSON text, whose strings are then the templates. */
function bodySource(body: ActionDefinition['body']): string {
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

function parseAction(name: string, def: ActionDefinition): Action {
  const at = (key: string) => `/actions/${name}/${key}`;
  if (def.operation === 'update' && !def.sys_id && !def.number) {
    throw new AppError('invalid_instance', `Action "${name}" updates a record: it needs a sys_id or number template`, 400, {
      details: [{ path: at('sys_id'), message: 'is required for operation update (or number)' }],
    });
  }
  const secret = def.auth.secret;
  return Object.freeze({
    name,
    table: def.table,
    operation: def.operation,
    sysId: def.sys_id === undefined ? undefined : compiled(at('sys_id'), () => compileTextTemplate(def.sys_id!)),
    number: def.number === undefined ? undefined : compiled(at('number'), () => compileTextTemplate(def.number!)),
    body: compiled(at('body'), () => compileBodyTemplate(bodySource(def.body))),
    conditions: Object.freeze([...(def.triggers ? [{ field: def.triggers.field, in: def.triggers.in }] : []), ...(def.filter ?? [])]),
    idempotencyKey: def.idempotency_key === undefined ? undefined : compiled(at('idempotency_key'), () => compileTextTemplate(def.idempotency_key!)),
    inputDisplayValue: def.input_display_value ?? false,
    auth: Object.freeze({ bearerToken: def.auth.bearer_token, secrets: Object.freeze(secret === undefined ? [] : Array.isArray(secret) ? [...secret] : [secret]) }),
  });
}

/**
 * Compiles an instance's `actions` map (already valid against the instance schema): each template is
 * checked once here, so a template that cannot render to a JSON object is refused at configuration time
 * (400 `invalid_instance`, the detail carrying the template's line and column).
 */
export function parseActions(definitions: Record<string, ActionDefinition> | undefined): ReadonlyMap<string, Action> {
  return new Map(Object.entries(definitions ?? {}).map(([name, def]) => [name, parseAction(name, def)]));
}
