/**
 * A write ServiceNow refuses after authentication: a data policy, a duplicate sys_id, an ACL or an
 * unresolvable display value. Thrown by the record store (nothing is committed) and answered by the
 * routes in the usual error envelope.
 */
export class WriteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: string | null,
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

/** 403 "Operation Failed" — how ServiceNow reports ACL, data-policy and database refusals of a write. */
export function operationFailed(detail: string): WriteError {
  return new WriteError(403, 'Operation Failed', detail);
}
