import type { Request, Response } from 'express';
import { attachFile } from './attachment-files';
import type { GlideRecord } from './record-store';
import { apiUser, baseUrl } from './request-context';
import { sendError, sendNoRecord } from './sn-errors';
import type { SimulatorState } from './simulator-state';

/** A file to attach and where, as the two upload routes read it from their request. */
interface UploadRequest {
  tableName: string;
  tableSysId: string;
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** The error ServiceNow answers a multipart upload without a file part (UNCONFIRMED wording). */
const NO_FILE_PART = 'Failed to create the attachment. File part might be missing in the request.';

/**
 * Attaches the file: 400 when a mandatory value is missing, 404 when table_name / table_sys_id name no
 * record ("does not exist or is not accessible to the current user"), else 201 with `Location` and the metadata.
 */
function attach(state: SimulatorState, req: Request, res: Response, upload: UploadRequest, render: (r: GlideRecord) => unknown): void {
  for (const [name, value] of [['table_name', upload.tableName], ['table_sys_id', upload.tableSysId], ['file_name', upload.fileName]]) {
    if (!value) return sendError(res, 400, `Missing parameter: ${name}`, null);
  }
  if (!state.store.definition(upload.tableName) || !state.store.row(upload.tableName, upload.tableSysId)) return sendNoRecord(res);
  const record = attachFile(state.store, upload, { user: apiUser(res) });
  res.status(201).set('Location', `${baseUrl(req)}/api/now/attachment/${record.sys_id}`).json({ result: render(record) });
}

/** `POST /attachment/file?table_name&table_sys_id&file_name`: the raw body is the file, its Content-Type the file's. */
export function uploadRaw(state: SimulatorState, req: Request, res: Response, render: (r: GlideRecord) => unknown): void {
  const params = new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');
  attach(state, req, res, {
    tableName: params.get('table_name') ?? '',
    tableSysId: params.get('table_sys_id') ?? '',
    fileName: params.get('file_name') ?? '',
    contentType: (req.get('content-type') ?? 'application/octet-stream').split(';')[0].trim(),
    content: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  }, render);
}

/**
 * `POST /attachment/upload`: multipart/form-data with `table_name`, `table_sys_id` (and optional
 * `encryption_context`) first and the file as the last part, its own Content-Type the file's. Parsed
 * with the platform's own multipart reader (`Response.formData()`).
 */
export async function uploadMultipart(state: SimulatorState, req: Request, res: Response, render: (r: GlideRecord) => unknown): Promise<void> {
  const contentType = req.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType) || !Buffer.isBuffer(req.body)) return sendError(res, 400, NO_FILE_PART, null);
  let form: FormData;
  try {
    form = await new Response(req.body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return sendError(res, 400, NO_FILE_PART, null);
  }
  const files = [...form.values()].filter((v) => typeof v !== 'string');
  const file = files[files.length - 1];
  if (!file || typeof file === 'string') return sendError(res, 400, NO_FILE_PART, null);
  const text = (name: string) => (typeof form.get(name) === 'string' ? String(form.get(name)) : '');
  attach(state, req, res, {
    tableName: text('table_name'),
    tableSysId: text('table_sys_id'),
    fileName: file.name,
    contentType: file.type || 'application/octet-stream',
    content: Buffer.from(await file.arrayBuffer()),
  }, render);
}
