import crypto from 'node:crypto';
import type { Enricher } from './enrichment-context';
import type { AttachmentEventData } from './event-data';
import { fieldValue } from './record-reader';

/** SHA-256 hex of a stream, or null once it runs past `maxBytes`. */
async function hashContent(content: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string | null> {
  const hash = crypto.createHash('sha256');
  let seen = 0;
  for await (const chunk of content) {
    seen += chunk.byteLength;
    if (seen > maxBytes) return null;
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/** Attachment: metadata and the SHA-256 of its bytes (streamed, capped); the event carries a download reference, not the bytes. */
export const enrichAttachment: Enricher = async (change, ctx) => {
  const meta = await ctx.api.attachmentMetadata(change.sysId);
  const get = (name: string) => (meta ? fieldValue(meta[name]) : '') || change.record[name] || '';
  const size = Number(get('size_bytes') || 0);
  let sha256: string | null = null;
  let truncated = size > ctx.attachmentMaxBytes;
  if (meta && !truncated) {
    try {
      sha256 = await hashContent(await ctx.api.attachmentContent(change.sysId, ctx.attachmentMaxBytes), ctx.attachmentMaxBytes);
    } catch (err) {
      if ((err as { code?: string }).code !== 'attachment_too_large') throw err;
    }
    truncated = sha256 === null;
  }
  const data: AttachmentEventData = {
    table: 'sys_attachment',
    sys_id: change.sysId,
    operation: change.operation === 'delete' ? 'delete' : 'insert',
    file_name: get('file_name'),
    content_type: get('content_type'),
    size_bytes: get('size_bytes'),
    sha256,
    content_truncated: truncated,
    download: { url: get('download_link') || `${ctx.instance.instanceUrl}/api/now/attachment/${change.sysId}/file`, method: 'GET' },
    parent: { table: get('table_name'), sys_id: get('table_sys_id') },
  };
  return { data, modCount: Number(change.sysModCount) };
};
