import { Router, type Request } from 'express';
import { buildBusinessRuleBundle, type BusinessRuleBundle } from '../business-rules/business-rule-bundle';
import { renderInstallReadme } from '../business-rules/install-readme';
import { renderUpdateSetXml } from '../business-rules/update-set-xml';
import type { InstanceRegistry } from '../instances/instance-registry';
import { AppError } from '../lib/errors';
import { requireAdmin } from './admin-auth';

export interface BusinessRulesRoutesDeps {
  registry: InstanceRegistry;
  adminToken: string;
  /** SNOWGATE_PUBLIC_URL: where ServiceNow reaches the gateway. */
  publicUrl: string;
}

/**
 * Admin routes serving the generated business rules of an instance:
 * - `GET /instances/:id/business-rules` → `{ instanceId, webhookBaseUrl, rules, properties, readme }`,
 *   each rule with its script;
 * - `GET /instances/:id/business-rules/update-set.xml` → the importable update set, as a download.
 * Unknown id → 404 `unknown_instance`. Nothing secret is in either answer.
 */
export function createBusinessRulesRoutes(deps: BusinessRulesRoutesDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken);

  const bundleFor = (req: Request): BusinessRuleBundle => {
    const id = String(req.params.id);
    const instance = deps.registry.get(id);
    if (!instance) throw new AppError('unknown_instance', `No instance with id "${id}"`, 404);
    return buildBusinessRuleBundle({ instanceId: instance.id, publicUrl: deps.publicUrl, tables: instance.webhook.tables });
  };

  router.get('/instances/:id/business-rules', admin, (req, res) => {
    const bundle = bundleFor(req);
    res.json({
      instanceId: bundle.instanceId,
      webhookBaseUrl: bundle.webhookBaseUrl,
      rules: bundle.scripts.flatMap((s) =>
        s.rules.map((r) => ({
          name: r.name, table: r.table, when: r.when, actions: r.actions, order: r.order,
          condition: r.condition, fileName: r.fileName, script: s.script,
        })),
      ),
      properties: bundle.properties,
      readme: renderInstallReadme(bundle),
    });
  });

  router.get('/instances/:id/business-rules/update-set.xml', admin, (req, res) => {
    const bundle = bundleFor(req);
    res
      .type('application/xml')
      .attachment(`snowgate-${bundle.instanceId}-update-set.xml`)
      .send(renderUpdateSetXml(bundle));
  });

  return router;
}
