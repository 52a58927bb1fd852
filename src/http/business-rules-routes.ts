import { Router, type Request } from 'express';
import { buildBusinessRuleBundle, type BusinessRuleBundle } from '../business-rules/business-rule-bundle';
import { SCOPE_PATTERN } from '../business-rules/business-rule-specs';
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
 * `?scope=x_…` generates for a scoped application (no update set: 400 `global_scope_only`); a bad scope
 * is 400 `invalid_scope`. Unknown id → 404 `unknown_instance`. Nothing secret is in either answer.
 */
export function createBusinessRulesRoutes(deps: BusinessRulesRoutesDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken);

  const bundleFor = (req: Request): BusinessRuleBundle => {
    const id = String(req.params.id);
    const instance = deps.registry.get(id);
    if (!instance) throw new AppError('unknown_instance', `No instance with id "${id}"`, 404);
    const scope = typeof req.query.scope === 'string' && req.query.scope !== '' ? req.query.scope : undefined;
    if (scope !== undefined && !SCOPE_PATTERN.test(scope)) {
      throw new AppError('invalid_scope', `scope "${scope}" is not a scope name (x_ then a-z, 0-9, _; 18 characters at most)`, 400);
    }
    return buildBusinessRuleBundle({ instanceId: instance.id, publicUrl: deps.publicUrl, tables: instance.webhook.tables, scope });
  };

  router.get('/instances/:id/business-rules', admin, (req, res) => {
    const bundle = bundleFor(req);
    res.json({
      instanceId: bundle.instanceId,
      ...(bundle.scope ? { scope: bundle.scope } : {}),
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
    if (bundle.scope) throw new AppError('global_scope_only', 'The update set holds global-scope rules; a scoped application installs the SDK app (fluent-app/)', 400);
    res
      .type('application/xml')
      .attachment(`snowgate-${bundle.instanceId}-update-set.xml`)
      .send(renderUpdateSetXml(bundle));
  });

  return router;
}
