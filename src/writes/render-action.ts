import type { Action } from '../instances/action';
import { AppError } from '../lib/errors';
import type { WriteRequest } from '../queues/write-job';
import { TemplateError } from './action-template';

const SYS_ID = /^[0-9a-f]{32}$/;
const NUMBER = /^[A-Za-z0-9_.-]{1,40}$/;

function unrenderable(action: Action, what: string, message: string): AppError {
  return new AppError('invalid_payload', `The event cannot be written by action "${action.name}": ${message}`, 400, {
    details: [{ path: `/actions/${action.name}/${what}`, message }],
  });
}

function rendered<T>(action: Action, what: string, render: () => T): T {
  try {
    return render();
  } catch (err) {
    if (err instanceof TemplateError) throw unrenderable(action, what, err.message);
    throw err;
  }
}

/**
 * Renders an action against a posted event into the write it makes: the body's fields, and for an update
 * the target record's sys_id (32 hex digits) or number. Throws 400 `invalid_payload` when the event does
 * not render into a valid write.
 */
export function renderActionRequest(action: Action, event: unknown): WriteRequest {
  const fields = rendered(action, 'body', () => action.body.render(event));
  const request: WriteRequest = { table: action.table, operation: action.operation, fields, ...(action.inputDisplayValue ? { inputDisplayValue: true } : {}) };
  if (action.operation === 'insert') return request;
  const sysId = action.sysId ? rendered(action, 'sys_id', () => action.sysId!.render(event)) : '';
  if (sysId) {
    if (!SYS_ID.test(sysId)) throw unrenderable(action, 'sys_id', `the event renders sys_id "${sysId.slice(0, 64)}", which is not 32 lowercase hex digits`);
    return { ...request, sysId };
  }
  const number = action.number ? rendered(action, 'number', () => action.number!.render(event)) : '';
  if (!NUMBER.test(number)) throw unrenderable(action, action.number ? 'number' : 'sys_id', `the event renders no usable record to update (number "${number.slice(0, 64)}")`);
  return { ...request, number };
}
