import type { NextFunction, Request, Response } from 'express';
import type { SimulatorState } from './simulator-state';
import { bump, logRequest, type ApiName } from './simulator-stats';

/** Which API and table a path addresses (`/api/now/v2/table/x`, `/api/sn_customerservice/case`, `/api/now/attachment`). */
export function classifyApiPath(path: string): { api: ApiName; table: string } | undefined {
  const table = /^\/api\/now\/(?:v[12]\/)?table\/([^/?]+)/.exec(path);
  if (table) return { api: 'table', table: decodeURIComponent(table[1]) };
  if (/^\/api\/sn_customerservice\/case(?:[/?]|$)/.test(path)) return { api: 'case', table: 'sn_customerservice_case' };
  if (/^\/api\/now\/attachment(?:[/?]|$)/.test(path)) return { api: 'attachment', table: 'sys_attachment' };
  return undefined;
}

/** Counts every API request on arrival (before any fault) and logs it with its final status. */
export function apiAccounting(state: SimulatorState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const kind = classifyApiPath(req.originalUrl);
    if (kind) {
      state.stats.apiRequests[kind.api] += 1;
      bump(state.stats.tableRequests, kind.table);
      const entry = { method: req.method, url: req.originalUrl, api: kind.api } as Parameters<typeof logRequest>[1];
      logRequest(state.stats, entry);
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
    }
    next();
  };
}

/** `X-http-method-override` on a POST turns it into the named method (GET, PUT, PATCH, DELETE). */
export function methodOverride(req: Request, _res: Response, next: NextFunction): void {
  const override = req.get('x-http-method-override');
  if (req.method === 'POST' && override && /^(GET|PUT|PATCH|DELETE|HEAD)$/i.test(override)) req.method = override.toUpperCase();
  next();
}
