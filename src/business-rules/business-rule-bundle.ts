import { CORE_TABLES } from '../instances/instance';
import { tableScriptSpecs, type BusinessRuleSpec, type TableScriptSpec } from './business-rule-specs';
import { renderScript } from './script-template';
import { systemPropertySpecs, webhookBaseUrl, type SystemPropertySpec } from './system-properties';

/** One table's script with its rendered source. */
export interface TableScript extends TableScriptSpec {
  script: string;
}

/** Everything an admin needs for one gateway instance: rules, scripts and properties. */
export interface BusinessRuleBundle {
  instanceId: string;
  /** `{publicUrl}/webhooks/{instanceId}`. */
  webhookBaseUrl: string;
  scripts: TableScript[];
  /** Every rule, flattened in table order. */
  rules: BusinessRuleSpec[];
  properties: SystemPropertySpec[];
}

export interface BundleOptions {
  instanceId: string;
  /** SNOWGATE_PUBLIC_URL: where ServiceNow reaches the gateway. */
  publicUrl: string;
  /** Tables the instance accepts (default: the three core tables). */
  tables?: readonly string[];
}

/** Builds the bundle for one instance. Pure: the same options give byte-identical scripts. */
export function buildBusinessRuleBundle(options: BundleOptions): BusinessRuleBundle {
  const baseUrl = webhookBaseUrl(options.publicUrl, options.instanceId);
  const scripts = tableScriptSpecs(options.tables ?? CORE_TABLES).map((spec) => ({
    ...spec,
    script: renderScript(spec, options.instanceId),
  }));
  return {
    instanceId: options.instanceId,
    webhookBaseUrl: baseUrl,
    scripts,
    rules: scripts.flatMap((s) => s.rules),
    properties: systemPropertySpecs(baseUrl, options.instanceId),
  };
}
