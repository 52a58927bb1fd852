import { Router } from 'express';
import { buildOpenApiDocument } from '../ops/openapi-document';

/**
 * `GET /openapi.json` — the OpenAPI 3.1 document, built once from schemas/. Public: it describes the
 * interface and holds no secret.
 */
export function createOpenApiRoutes(options: { version?: string; publicUrl?: string } = {}): Router {
  const router = Router();
  let document: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(buildOpenApiDocument(options));
    res.type('application/json').send(document);
  });
  return router;
}
