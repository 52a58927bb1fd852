import express, { type Request, type Response } from 'express';
import { runListQuery } from './list-query';
import { linkHeader, parsePaging } from './pagination';
import { parseBool, parseDisplayMode, parseFields, recordLink, shapeRecord, type ShapeOptions } from './record-shaping';
import { absolutePath, apiUser, baseUrl, param, requestParams } from './request-context';
import { sendError, sendInvalidTable, sendNoRecord } from './sn-errors';
import type { SimulatorState } from './simulator-state';
import { deniedByAcl, runWrite, sendWritten, writeBody, writeOptions } from './write-request';

const TABLE_DEFAULT_LIMIT = 10_000;

function shapeOptions(req: Request, table: string, params: URLSearchParams): ShapeOptions {
  return {
    displayValue: parseDisplayMode(params.get('sysparm_display_value')),
    excludeReferenceLink: parseBool(params.get('sysparm_exclude_reference_link')),
    fields: parseFields(table, params.get('sysparm_fields')),
    baseUrl: baseUrl(req),
  };
}

/** The table name of the request, or undefined after answering 400 (bad version or unknown table). */
function knownTable(state: SimulatorState, req: Request, res: Response): string | undefined {
  const version = param(req, 'version');
  if (version && version !== 'v1' && version !== 'v2') {
    sendError(res, 400, 'Requested URI does not represent any resource', `Unknown API version ${version}`);
    return undefined;
  }
  const table = param(req, 'table');
  if (!state.store.definition(table)) {
    sendInvalidTable(res, table);
    return undefined;
  }
  return table;
}

function list(state: SimulatorState, req: Request, res: Response): void {
  const table = knownTable(state, req, res);
  if (!table) return;
  const params = requestParams(req);
  const rows = runListQuery(state, table, params, apiUser(res));
  const paging = parsePaging(params, TABLE_DEFAULT_LIMIT);
  const page = rows.slice(paging.offset, paging.offset + paging.limit);
  const noCount = parseBool(params.get('sysparm_no_count'));
  if (!noCount) res.set('X-Total-Count', String(rows.length));
  if (!parseBool(params.get('sysparm_suppress_pagination_header'))) {
    const link = linkHeader(absolutePath(req), params, paging, noCount ? undefined : rows.length, page.length);
    if (link) res.set('Link', link);
  }
  if (page.length === 0 && param(req, 'version') === 'v1') return sendNoRecord(res);
  const opts = shapeOptions(req, table, params);
  res.json({ result: page.map((r) => shapeRecord(state.store, table, r, opts)) });
}

function getOne(state: SimulatorState, req: Request, res: Response): void {
  const table = knownTable(state, req, res);
  if (!table) return;
  const record = state.store.row(table, param(req, 'sysId'));
  if (!record) return sendNoRecord(res);
  res.json({ result: shapeRecord(state.store, table, record, shapeOptions(req, table, requestParams(req))) });
}

function insert(state: SimulatorState, req: Request, res: Response): void {
  const table = knownTable(state, req, res);
  if (!table || deniedByAcl(state, table, 'Insert', res)) return;
  const body = writeBody(req, res);
  const record = body && runWrite(res, () => state.store.insert(table, body, writeOptions(req, res)));
  if (!record) return;
  res.set('Location', recordLink(baseUrl(req), table, record.sys_id));
  sendWritten(state, req, res, 201, { result: shapeRecord(state.store, table, record, shapeOptions(req, table, requestParams(req))) });
}

function update(state: SimulatorState, req: Request, res: Response): void {
  const table = knownTable(state, req, res);
  if (!table || deniedByAcl(state, table, 'Update', res)) return;
  const body = writeBody(req, res);
  if (!body) return;
  if (!state.store.row(table, param(req, 'sysId'))) return sendNoRecord(res);
  const record = runWrite(res, () => state.store.update(table, param(req, 'sysId'), body, writeOptions(req, res)));
  if (!record) return;
  sendWritten(state, req, res, 200, { result: shapeRecord(state.store, table, record, shapeOptions(req, table, requestParams(req))) });
}

function remove(state: SimulatorState, req: Request, res: Response): void {
  const table = knownTable(state, req, res);
  if (!table || deniedByAcl(state, table, 'Delete', res)) return;
  if (!state.store.delete(table, param(req, 'sysId'), { user: apiUser(res) })) return sendNoRecord(res);
  res.status(204).end();
}

/**
 * The Table API, mounted at `/api/now`: `/table/{table}` and `/{v1|v2}/table/{table}` with GET
 * (and HEAD) list and single, POST, PUT, PATCH, DELETE.
 */
export function tableRoutes(state: SimulatorState): express.Router {
  const router = express.Router();
  const collection = ['/table/:table', '/:version/table/:table'];
  const item = ['/table/:table/:sysId', '/:version/table/:table/:sysId'];
  router.get(collection, (req, res) => list(state, req, res));
  router.post(collection, (req, res) => insert(state, req, res));
  router.get(item, (req, res) => getOne(state, req, res));
  router.put(item, (req, res) => update(state, req, res));
  router.patch(item, (req, res) => update(state, req, res));
  router.delete(item, (req, res) => remove(state, req, res));
  return router;
}
