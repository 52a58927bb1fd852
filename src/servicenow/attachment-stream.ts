import { Readable } from 'node:stream';
import { AppError } from '../lib/errors';

/** Attachment metadata as ServiceNow returns it (all values strings; `hash` only on newer instances). */
export interface AttachmentMetadata {
  sys_id: string;
  file_name: string;
  content_type: string;
  size_bytes: string;
  table_name: string;
  table_sys_id: string;
  download_link?: string;
  hash?: string;
  [field: string]: unknown;
}

/** A download in progress: the parsed `X-Attachment-Metadata` and the bytes as a Node Readable. */
export interface AttachmentDownload {
  metadata?: AttachmentMetadata;
  contentType?: string;
  /** `Content-Length` when ServiceNow sent one. */
  contentLength?: number;
  /** The bytes; errors with AppError `attachment_too_large` once past the cap (the download is aborted). */
  stream: Readable;
}

/** The error for an attachment over the size cap. Not retryable. */
export function attachmentTooLarge(sysId: string, maxBytes: number): AppError {
  return new AppError('attachment_too_large', `Attachment ${sysId} is larger than the ${maxBytes}-byte limit`, 413, { retryable: false });
}

/** Parses the `X-Attachment-Metadata` JSON header; undefined when absent or malformed. */
export function parseAttachmentMetadata(header: string | null): AttachmentMetadata | undefined {
  if (!header) return undefined;
  try {
    const parsed = JSON.parse(header) as { result?: AttachmentMetadata };
    if (!parsed || typeof parsed !== 'object') return undefined;
    return parsed.result && typeof parsed.result === 'object' ? parsed.result : (parsed as AttachmentMetadata);
  } catch {
    return undefined;
  }
}

/**
 * Wraps a fetch body in a Readable that counts bytes and, past `maxBytes`, calls `abort` (to drop
 * the connection) and fails with `attachment_too_large`. Destroying the Readable cancels the download.
 */
export function cappedStream(body: ReadableStream<Uint8Array>, sysId: string, maxBytes: number, abort: () => void): Readable {
  async function* counted(): AsyncGenerator<Buffer> {
    let total = 0;
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        total += value.byteLength;
        if (total > maxBytes) {
          abort();
          throw attachmentTooLarge(sysId, maxBytes);
        }
        yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  return Readable.from(counted(), { objectMode: false });
}
