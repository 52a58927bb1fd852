import express, { type Request, type Response } from 'express';
import { runListQuery } from './list-query';
import { linkHeader, parsePaging } from './pagination';
import type { GlideRecord } from './record-store';
import { parseBool, parseDisplayMode, parseFields, shapePlain } from './record-shaping';
import { absolutePath, apiUser, param, requestParams } from './request-context';
import { sendNoRecord } from './sn-errors';
import type { SimulatorState } from './simulator-state';
import { deniedByAcl, runWrite, writeBody } from './write-request';

const TABLE = 'sn_customerservice_case';
const SHORT_NAMES = ['query', 'fields', 'limit', 'offset', 'display_value', 'reference_fields', 'exclude_reference_link', 'no_count', 'suppress_pagination_header'];
/** References the list expands into full nested rows when `sysparm_reference_fields` is true (the default). */
export const CASE_EXPANDED_REFERENCES = ['account', 'contact', 'consumer', 'sn_app_cs_social_social_profile'];

/** The Case API takes every sysparm without its prefix too (`limit` = `sysparm_limit`). */
function normalizedParams(req: Request): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of requestParams(req)) {
    out.append(SHORT_NAMES.includes(key) ? `sysparm_${key}` : key, value);
  }
  return out;
}

function findCase(state: SimulatorState, id: string): GlideRecord | undefined {
  return state.store.row(TABLE, id) ?? state.store.rows(TABLE).find((r) => r.number === id);
}

function list(state: SimulatorState, req: Request, res: Response): void {
  const params = normalizedParams(req);
  const rows = runListQuery(state, TABLE, params, apiUser(res), { nameValuePairs: false });
  const paging = parsePaging(params, 10_000);
  const page = rows.slice(paging.offset, paging.offset + paging.limit);
  if (params.has('sysparm_limit') || params.has('sysparm_offset')) {
    res.set('X-Total-Count', String(rows.length));
    const link = linkHeader(absolutePath(req), params, paging, rows.length, page.length);
    if (link) res.set('Link', link);
  }
  const opts = {
    displayValue: parseDisplayMode(params.get('sysparm_display_value')),
    fields: parseFields(TABLE, params.get('sysparm_fields')),
    expand: parseBool(params.get('sysparm_reference_fields'), true) ? CASE_EXPANDED_REFERENCES : [],
  };
  res.json({ result: page.map((r) => shapePlain(state.store, TABLE, r, opts)) });
}

function getOne(state: SimulatorState, req: Request, res: Response): void {
  const record = findCase(state, param(req, 'id'));
  if (!record) return sendNoRecord(res);
  const params = normalizedParams(req);
  res.json({ result: shapePlain(state.store, TABLE, record, { displayValue: parseDisplayMode(params.get('sysparm_display_value')) }) });
}

/** The Case API's documented limit of a comment; longer text is cut there (as the column would). */
export const CASE_COMMENT_MAX = 4000;

function write(state: SimulatorState, req: Request, res: Response, id?: string): void {
  if (deniedByAcl(state, TABLE, id === undefined ? 'Insert' : 'Update', res)) return;
  const body = writeBody(req, res);
  if (!body) return;
  const fields = typeof body.comments === 'string' ? { ...body, comments: body.comments.slice(0, CASE_COMMENT_MAX) } : body;
  const existing = id === undefined ? undefined : findCase(state, id);
  if (id !== undefined && !existing) return sendNoRecord(res);
  const options = { user: apiUser(res) };
  const record = runWrite(res, () => (existing ? state.store.update(TABLE, existing.sys_id, fields, options) : state.store.insert(TABLE, fields, options)));
  if (record) res.status(201).json({ result: { sys_id: record.sys_id, number: record.number } });
}

/**
 * The Case API, mounted at `/api/sn_customerservice`: `GET /case` (nested account/contact rows by
 * default), `GET /case/{sys_id or number}`, `POST /case`, `PUT /case/{id}`. Values are flat strings;
 * references are plain sys_ids. POST and PUT both answer 201 `{"result":{"sys_id","number"}}`.
 */
export function caseRoutes(state: SimulatorState): express.Router {
  const router = express.Router();
  router.get('/case', (req, res) => list(state, req, res));
  router.get('/case/:id', (req, res) => getOne(state, req, res));
  router.post('/case', (req, res) => write(state, req, res));
  router.put('/case/:id', (req, res) => write(state, req, res, param(req, 'id')));
  return router;
}
