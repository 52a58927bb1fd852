import type { NextFunction, Request, Response } from 'express';
import { sendNotAuthenticated } from './sn-errors';
import type { SimulatorState } from './simulator-state';

/** The user_name behind an Authorization header (Bearer access token or Basic), or undefined. */
export function authenticate(state: SimulatorState, header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, credentials = ''] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) return state.tokens.authenticate(credentials);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    return colon > 0 && state.passwords.get(user) === decoded.slice(colon + 1) ? user : undefined;
  }
  return undefined;
}

/** Rejects API calls without valid credentials: 401 "User Not Authenticated"; sets `res.locals.user`. */
export function requireApiAuth(state: SimulatorState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = authenticate(state, req.get('authorization'));
    if (!user) return sendNotAuthenticated(res);
    res.locals.user = user;
    next();
  };
}
