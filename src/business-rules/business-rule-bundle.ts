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
  /** The scoped application the rules live in (`x_…`), or undefined for the global scope. */
  scope?: string;
  /** SNOWGATE_PUBLIC_URL: where ServiceNow reaches the gateway. */
  publicUrl: string;
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
  /** A scoped application (`x_…`) to generate for instead of the global scope. */
  scope?: string;
}

/** Builds the bundle for one instance. Pure: the same options give byte-identical scripts. */
export function buildBusinessRuleBundle(options: BundleOptions): BusinessRuleBundle {
  const baseUrl = webhookBaseUrl(options.publicUrl, options.instanceId);
  const scripts = tableScriptSpecs(options.tables ?? CORE_TABLES, options.scope).map((spec) => ({
    ...spec,
    script: renderScript(spec, options.instanceId, options.scope),
  }));
  return {
    instanceId: options.instanceId,
    ...(options.scope ? { scope: options.scope } : {}),
    publicUrl: options.publicUrl,
    webhookBaseUrl: baseUrl,
    scripts,
    rules: scripts.flatMap((s) => s.rules),
    properties: systemPropertySpecs(baseUrl, options.instanceId, options.scope),
  };
}
