import crypto from 'node:crypto';
import { safeEqual } from '../http/admin-auth';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import { compileSchema } from '../lib/schemas';
import type { WriteRequest } from '../queues/write-job';
import type { WriteEnqueuer, WriteEnqueueResult } from './write-enqueuer';

interface DirectWriteBody {
  table: string;
  operation: 'insert' | 'update';
  sys_id?: string;
  number?: string;
  fields: Record<string, unknown>;
  input_display_value?: boolean;
}

const validateBody = compileSchema<DirectWriteBody>('write-request.schema.json');
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Whether the bearer may write to this instance: the admin token, or the instance's `writes.bearer_token`. */
export function mayWrite(instance: Instance, adminToken: string, authorization: string | undefined): boolean {
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  if (bearer === undefined) return false;
  return safeEqual(bearer, adminToken) || (instance.writes.bearerToken !== undefined && safeEqual(bearer, instance.writes.bearerToken));
}

/** A direct write's body as a write request; 400 `invalid_payload` with the failing paths otherwise. */
export function parseDirectWrite(body: unknown): WriteRequest {
  const checked = validateBody(body);
  if (!checked.ok) throw new AppError('invalid_payload', 'The write request is not valid', 400, { details: checked.errors });
  const b = checked.value;
  return {
    table: b.table,
    operation: b.operation,
    fields: b.fields,
    ...(b.operation === 'update' && b.sys_id ? { sysId: b.sys_id } : b.operation === 'update' && b.number ? { number: b.number } : {}),
    ...(b.input_display_value ? { inputDisplayValue: true } : {}),
  };
}

/**
 * Queues a direct write. The `Idempotency-Key` header (printable ASCII, ≤ 255) makes a retry of the same
 * request the same write (the same key with a different request: 422 `idempotency_key_reused`); without one,
 * every request is a new write.
 */
export function enqueueDirectWrite(enqueuer: WriteEnqueuer, instance: Instance, body: unknown, idempotencyKey: string | undefined): Promise<WriteEnqueueResult> {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new AppError('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 printable ASCII characters', 400);
  }
  const request = parseDirectWrite(body);
  const writeId = crypto.randomUUID();
  return enqueuer.enqueue({ writeId, instanceId: instance.id, request, origin: { kind: 'direct' }, acceptedAt: Date.now() }, 'direct', idempotencyKey ?? writeId, { sameRequest: true });
}
