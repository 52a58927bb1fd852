import type { BeforeRule, RuleContext } from './before-rule';
import { incidentRule } from './incident-rules';
import type { GlideRecord } from './glide-values';

function caseRule(record: GlideRecord, ctx: RuleContext): void {
  if (ctx.previous) return;
  record.opened_at ||= ctx.at;
  record.opened_by ||= ctx.userSysId;
  record.case = `${record.short_description} ${record.number}`.trim();
}

function knowledgeRule(record: GlideRecord, ctx: RuleContext): void {
  if (record.workflow_state === 'published' && ctx.previous?.workflow_state !== 'published') record.published ||= ctx.at.slice(0, 10);
}

/** The simulated out-of-box before-rules per table (tables without one are written as given). */
export const BEFORE_RULES: Readonly<Record<string, BeforeRule>> = {
  sn_customerservice_case: caseRule,
  incident: incidentRule,
  kb_knowledge: knowledgeRule,
};
