import type { Request, Response } from 'express';
import type { WriteOptions } from './record-store';
import { parseBool } from './record-shaping';
import { apiUser, requestParams } from './request-context';
import { sendError } from './sn-errors';
import type { SimulatorState } from './simulator-state';
import { WriteError } from './write-error';

/** The operations an ACL names in its refusal. */
export type WriteOperation = 'Insert' | 'Update' | 'Delete';

/**
 * The record a POST/PUT/PATCH body carries: a JSON object, or the first element of an array ("only
 * the first record gets worked on and the rest … are ignored"). Undefined after answering 400.
 */
export function writeBody(req: Request, res: Response): Record<string, unknown> | undefined {
  const body: unknown = Array.isArray(req.body) ? (req.body.length === 0 ? {} : req.body[0]) : req.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  sendError(res, 400, 'Exception while reading request', 'The request body must be a JSON object');
  return undefined;
}

/** Who writes, and whether values come as display values (`sysparm_input_display_value`). */
export function writeOptions(req: Request, res: Response): WriteOptions {
  return { user: apiUser(res), inputDisplayValue: parseBool(requestParams(req).get('sysparm_input_display_value')) };
}

/** Answers the ACL refusal (knob `readOnlyTables`) and returns true when the table denies API writes. */
export function deniedByAcl(state: SimulatorState, table: string, operation: WriteOperation, res: Response): boolean {
  if (!state.knobs.readOnlyTables.includes(table)) return false;
  sendError(res, 403, 'Operation Failed', `ACL Exception ${operation} Failed due to security constraints`);
  return true;
}

/** Runs a store write; a WriteError (data policy, duplicate sys_id…) is answered in the error envelope. */
export function runWrite<T>(res: Response, write: () => T): T | undefined {
  try {
    return write();
  } catch (err) {
    if (!(err instanceof WriteError)) throw err;
    sendError(res, err.status, err.message, err.detail);
    return undefined;
  }
}

/**
 * Sends a write's answer; with `X-no-response-body: true` no body, and a PUT/PATCH gets the status of
 * knob `noResponseBodyStatus` (a POST keeps 201, its Location names the record).
 */
export function sendWritten(state: SimulatorState, req: Request, res: Response, status: number, body: unknown): void {
  if (!parseBool(req.get('x-no-response-body'))) {
    res.status(status).json(body);
    return;
  }
  res.status(req.method === 'POST' ? status : state.knobs.noResponseBodyStatus).end();
}
