import express, { type Request, type Response } from 'express';
import { caseActivities } from './case-activities';
import { findCase, normalizedParams as caseParams } from './case-routes';
import { fieldTarget } from './field-paths';
import { runListQuery } from './list-query';
import { sendCasePage } from './pagination';
import { apiUser, param } from './request-context';
import { sendError, sendNoRecord } from './sn-errors';
import type { SimulatorState } from './simulator-state';
import { TABLES } from './table-definitions';

const TABLE = 'sn_customerservice_case';

function activities(state: SimulatorState, req: Request, res: Response): void {
  const record = findCase(state, param(req, 'id'));
  if (!record) return sendNoRecord(res);
  const params = caseParams(req);
  const types = params.get('sysparm_activity_type')?.split(',').map((t) => t.trim()).filter(Boolean);
  const stream = caseActivities(state, record, apiUser(res));
  const entries = types?.length ? stream.entries.filter((e) => types.includes(String(e.element))) : stream.entries;
  sendCasePage(req, res, params, entries, (page) => ({ ...stream, entries: page }));
}

/**
 * The possible values of a choice field (its choices) or a reference field (the referenced table's rows,
 * filtered by sysparm_query, with the extra `sysparm_reference_field_columns`), as `[{label, value}]`.
 * Reference qualifiers and dependent values are not simulated.
 */
function fieldValues(state: SimulatorState, req: Request, res: Response): void {
  if (req.params.id !== undefined && !findCase(state, param(req, 'id'))) return sendNoRecord(res);
  const field = param(req, 'field');
  const target = fieldTarget(TABLE, field);
  const choices = TABLES.get(TABLE)!.choices[field];
  const params = caseParams(req);
  if (choices) {
    return sendCasePage(req, res, params, Object.entries(choices).map(([value, label]) => ({ label, value })), (page) => page);
  }
  if (!target?.reference || field.includes('.')) {
    return sendError(res, 400, 'Invalid field', `${field} is not a choice or reference field of ${TABLE}`);
  }
  const reference = target.reference;
  const columns = (params.get('sysparm_reference_field_columns') ?? '').split(',').map((c) => c.trim()).filter((c) => c && fieldTarget(reference, c));
  const rows = runListQuery(state, reference, params, apiUser(res), { nameValuePairs: false });
  const items = rows.map((row) => ({
    label: state.store.displayValueOf(reference, row.sys_id),
    value: row.sys_id,
    ...Object.fromEntries(columns.map((c) => [c, row[c] ?? ''])),
  }));
  sendCasePage(req, res, params, items, (page) => page);
}

/**
 * The Case API's activity stream and field values, mounted at `/api/sn_customerservice` (also
 * `/{version}/case/…`): `GET /case/{id}/activities`, `GET /case/field_values/{field}`,
 * `GET /case/{id}/field_values/{field}`.
 */
export function caseActivityRoutes(state: SimulatorState): express.Router {
  const router = express.Router();
  router.get(['/case/field_values/:field', '/:version/case/field_values/:field'], (req, res) => fieldValues(state, req, res));
  router.get(['/case/:id/activities', '/:version/case/:id/activities'], (req, res) => activities(state, req, res));
  router.get(['/case/:id/field_values/:field', '/:version/case/:id/field_values/:field'], (req, res) => fieldValues(state, req, res));
  return router;
}
