import type { GlideRecord } from './glide-values';

/** What a before-rule knows about the write besides the record. */
export interface RuleContext {
  /** The row before this write; undefined on insert. */
  previous?: GlideRecord;
  /** The writer's sys_user sys_id ("" when the user_name has no sys_user row). */
  userSysId: string;
  /** Timestamp of the write, `yyyy-MM-dd HH:mm:ss` UTC. */
  at: string;
}

/** A "before" business rule: completes or checks the record about to be committed; may throw a WriteError. */
export type BeforeRule = (record: GlideRecord, ctx: RuleContext) => void;
