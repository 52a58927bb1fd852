import crypto from 'node:crypto';
import type { Action } from '../instances/action';
import { insertFields } from '../queues/write-job';
import { REDACTED } from '../instances/instance-secrets';
import { ServiceNowError } from '../servicenow/servicenow-error';
import type { TableWriter } from '../servicenow/table-writer';
import { renderActionRequest } from './render-action';

/** What `POST /instances/{id}/actions/{action}/test` answers. */
export interface ActionTestResult {
  request: { method: string; url: string; headers: Record<string, string>; body: Record<string, unknown> };
  response?: { status: number; body: unknown };
  error?: { code: string; message: string };
  durationMs?: number;
}

/**
 * Renders an action against a sample event into the exact request the writer would send (the Authorization
 * header redacted), and with `send` sends it and reports ServiceNow's status, body and the time it took —
 * the invocation data of the Test button. An update by `number` is looked up only when sending.
 */
export async function testAction(writer: TableWriter, action: Action, event: unknown, send: boolean): Promise<ActionTestResult> {
  const request = renderActionRequest(action, event);
  const writeId = crypto.randomUUID();
  const fields = request.operation === 'insert' ? insertFields({ writeId, request }) : request.fields;
  let sysId = request.sysId;
  if (!sysId && request.number && send) sysId = String((await writer.findBy(request.table, 'number', request.number))?.sys_id ?? '');
  const call = { table: request.table, operation: request.operation, sysId: sysId ?? `{sys_id of ${request.number}}`, fields, inputDisplayValue: request.inputDisplayValue };
  const http = writer.request(call);
  const shown = {
    method: http.method,
    url: writer.url(http).toString(),
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: REDACTED },
    body: fields,
  };
  if (!send) return { request: shown };
  const started = Date.now();
  try {
    const answer = await writer.write(call);
    return { request: shown, response: { status: answer.status, body: { result: answer.record } }, durationMs: answer.durationMs };
  } catch (err) {
    const durationMs = Date.now() - started;
    if (err instanceof ServiceNowError) return { request: shown, response: { status: err.status, body: { error: { message: err.serviceNowMessage, detail: err.detail }, status: 'failure' } }, durationMs };
    const e = err as { code?: string; message?: string };
    return { request: shown, error: { code: e.code ?? 'error', message: e.message ?? String(err) }, durationMs };
  }
}
