import express, { type Request, type Response } from 'express';
import { uploadMultipart, uploadRaw } from './attachment-upload';
import { runListQuery } from './list-query';
import { linkHeader, parsePaging } from './pagination';
import type { GlideRecord, RecordStore } from './record-store';
import { absolutePath, apiUser, baseUrl, param, requestParams } from './request-context';
import { sendNoRecord } from './sn-errors';
import type { SimulatorState } from './simulator-state';

const TABLE = 'sys_attachment';
const ATTACHMENT_DEFAULT_LIMIT = 1000;

/** Attachment metadata as the Attachment API returns it: every value a string, with an absolute download_link. */
export function attachmentMetadata(store: RecordStore, record: GlideRecord, base: string): Record<string, string> {
  const userName = (u: string) => store.rows('sys_user').find((r) => r.user_name === u)?.name ?? u;
  return {
    table_sys_id: record.table_sys_id,
    size_bytes: record.size_bytes,
    download_link: `${base}/api/now/attachment/${record.sys_id}/file`,
    sys_updated_on: record.sys_updated_on,
    sys_id: record.sys_id,
    image_height: record.image_height,
    sys_created_on: record.sys_created_on,
    file_name: record.file_name,
    sys_created_by: record.sys_created_by,
    compressed: record.compressed,
    average_image_color: record.average_image_color,
    sys_updated_by: record.sys_updated_by,
    sys_tags: record.sys_tags,
    table_name: record.table_name,
    image_width: record.image_width,
    sys_mod_count: record.sys_mod_count,
    content_type: record.content_type,
    size_compressed: record.size_compressed,
    hash: record.hash,
    chunk_size_bytes: record.chunk_size_bytes,
    state: record.state,
    created_by_name: userName(record.sys_created_by),
    updated_by_name: userName(record.sys_updated_by),
  };
}

/** Name-value pairs (`?table_sys_id=…&table_name=…`) filter like the Table API's when there is no sysparm_query. */
function list(state: SimulatorState, req: Request, res: Response): void {
  const params = requestParams(req);
  const rows = runListQuery(state, TABLE, params, apiUser(res));
  const paging = parsePaging(params, ATTACHMENT_DEFAULT_LIMIT);
  const page = rows.slice(paging.offset, paging.offset + paging.limit);
  res.set('X-Total-Count', String(rows.length));
  const link = linkHeader(absolutePath(req), params, paging, rows.length, page.length);
  if (link) res.set('Link', link);
  res.json({ result: page.map((r) => attachmentMetadata(state.store, r, baseUrl(req))) });
}

function metadata(state: SimulatorState, req: Request, res: Response): void {
  const record = state.store.row(TABLE, param(req, 'sysId'));
  if (!record) return sendNoRecord(res);
  res.json({ result: attachmentMetadata(state.store, record, baseUrl(req)) });
}

function file(state: SimulatorState, req: Request, res: Response): void {
  const record = state.store.row(TABLE, param(req, 'sysId'));
  if (!record) return sendNoRecord(res);
  const content = state.store.attachmentContent.get(record.sys_id) ?? Buffer.alloc(0);
  res.status(200).set({
    'Content-Type': record.content_type || 'application/octet-stream',
    'X-Attachment-Metadata': JSON.stringify(attachmentMetadata(state.store, record, baseUrl(req))),
  }).send(content);
}

function remove(state: SimulatorState, req: Request, res: Response): void {
  if (!state.store.delete(TABLE, param(req, 'sysId'), { user: apiUser(res) })) return sendNoRecord(res);
  res.status(204).end();
}

/**
 * The Attachment API, mounted at `/api/now/attachment` and `/api/now/v1/attachment`: list (default limit
 * 1000; sysparm_query or name-value pairs), metadata, `/{sys_id}/file` (bytes + `X-Attachment-Metadata`),
 * `POST /file?table_name&table_sys_id&file_name` (raw body), `POST /upload` (multipart), DELETE.
 */
export function attachmentRoutes(state: SimulatorState): express.Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '50mb' });
  const render = (req: express.Request) => (r: GlideRecord) => attachmentMetadata(state.store, r, baseUrl(req));
  router.get('/', (req, res) => list(state, req, res));
  router.post('/file', raw, (req, res) => uploadRaw(state, req, res, render(req)));
  router.post('/upload', raw, (req, res) => uploadMultipart(state, req, res, render(req)));
  router.get('/:sysId', (req, res) => metadata(state, req, res));
  router.get('/:sysId/file', (req, res) => file(state, req, res));
  router.delete('/:sysId', (req, res) => remove(state, req, res));
  return router;
}
