import type { IncomingMessage } from 'node:http';
import { AppError } from '../lib/errors';

const tooLarge = (limit: number) => new AppError('payload_too_large', `The request body is larger than ${limit} bytes`, 413);

/**
 * Reads a request body as raw bytes, up to `limit` (413 above it, from Content-Length when declared, else
 * as soon as the bytes pass it). Compressed bodies are refused (415): signatures cover the bytes sent.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(new AppError('unsupported_media_type', 'Content-Encoding is not supported; send the body uncompressed', 415));
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume(); // drain the rest so the answer can be read; nothing more is kept
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new AppError('bad_request', `The request body could not be read: ${err.message}`, 400));
    };
    const onAborted = () => {
      cleanup();
      reject(new AppError('bad_request', 'The request was aborted', 400));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
