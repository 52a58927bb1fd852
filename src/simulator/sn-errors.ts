import type { Response } from 'express';

/** ServiceNow's REST error envelope: `{"error":{"message","detail"},"status":"failure"}` (detail may be null). */
export function errorBody(message: string, detail: string | null): { error: { message: string; detail: string | null }; status: 'failure' } {
  return { error: { message, detail }, status: 'failure' };
}

/** Sends a ServiceNow error with its status code. */
export function sendError(res: Response, status: number, message: string, detail: string | null): void {
  res.status(status).json(errorBody(message, detail));
}

/** 401 for missing, bad or expired credentials. */
export function sendNotAuthenticated(res: Response): void {
  sendError(res, 401, 'User Not Authenticated', 'Required to provide Auth information');
}

/** 404 for a record that does not exist (or that an ACL hides). */
export function sendNoRecord(res: Response): void {
  sendError(res, 404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
}

/** 400 for a table that does not exist. */
export function sendInvalidTable(res: Response, table: string): void {
  sendError(res, 400, `Invalid table ${table}`, `Table ${table} does not exist`);
}

/** The body of a 429 once a rate-limit rule is exceeded. */
export function rateLimitBody(limit: number, apiName: string): ReturnType<typeof errorBody> {
  return errorBody('Rate limit exceeded', `Rate limit of ${limit} requests per hour for ${apiName} exceeded`);
}

/** The page a hibernating developer instance answers with: 200, HTML, not JSON. */
export const HIBERNATING_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Instance Hibernating page</title></head>
<body><div class="container"><h1>Your instance is hibernating</h1>
<p>Developer instances hibernate after a period of inactivity. Sign in to the developer portal to wake it up.</p>
<a href="https://developer.servicenow.com">Wake up your instance</a></div></body></html>`;

/** A gateway's 502 page (the load balancer answers, not the instance). */
export const BAD_GATEWAY_HTML = `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>`;
