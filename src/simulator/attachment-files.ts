import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { newSysId } from './glide-values';
import type { GlideRecord, RecordStore, WriteOptions } from './record-store';

/** A file to attach to a record. */
export interface NewAttachment {
  tableName: string;
  tableSysId: string;
  fileName: string;
  contentType: string;
  content: Buffer;
  /** Fixed sys_id (seed data); default random. */
  sysId?: string;
}

function pngSize(content: Buffer): { width: string; height: string } {
  const isPng = content.length >= 24 && content.subarray(1, 4).toString('ascii') === 'PNG';
  return isPng ? { width: String(content.readUInt32BE(16)), height: String(content.readUInt32BE(20)) } : { width: '', height: '' };
}

/**
 * Stores the bytes and inserts the sys_attachment row (size_bytes, size_compressed, SHA-256 hash,
 * image size for PNGs), exactly like the Attachment API does. The bytes are in place before the
 * row (and its webhook) exists.
 */
export function attachFile(store: RecordStore, file: NewAttachment, options: WriteOptions = {}): GlideRecord {
  const sysId = file.sysId ?? newSysId();
  store.attachmentContent.set(sysId, file.content);
  const { width, height } = pngSize(file.content);
  return store.insert('sys_attachment', {
    sys_id: sysId,
    table_name: file.tableName,
    table_sys_id: file.tableSysId,
    file_name: file.fileName,
    content_type: file.contentType,
    size_bytes: String(file.content.length),
    size_compressed: String(zlib.gzipSync(file.content).length),
    hash: crypto.createHash('sha256').update(file.content).digest('hex'),
    image_width: width,
    image_height: height,
  }, options);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real, tiny RGB PNG of one colour (for seeded "screenshots"). */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', pixels), pngChunk('IEND', Buffer.alloc(0))]);
}
