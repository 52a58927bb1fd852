import { stableSysId } from './glide-values';

/** sys_ids of the seeded records, for tests (the same on every start). */
export const SEED_IDS = {
  user: (userName: string) => stableSysId(`sys_user:${userName}`),
  account: (i: number) => stableSysId(`customer_account:${i}`),
  contact: (i: number) => stableSysId(`customer_contact:${i}`),
  /** Case i (0-based) has number CS{1001 + i}. */
  case: (i: number) => stableSysId(`sn_customerservice_case:${i}`),
  /** Article i (0-based) has number KB{10001 + i}. */
  knowledge: (i: number) => stableSysId(`kb_knowledge:${i}`),
  knowledgeBase: (i: number) => stableSysId(`kb_knowledge_base:${i}`),
  group: (i: number) => stableSysId(`sys_user_group:${i}`),
  company: (i: number) => stableSysId(`core_company:${i}`),
  change: (i: number) => stableSysId(`change_request:${i}`),
  /** Incident i (0-based) has number INC{10001 + i}. */
  incident: (i: number) => stableSysId(`incident:${i}`),
};

const SEED_BASE = Date.UTC(2025, 8, 1, 8, 0, 0); // 2025-09-01 08:00:00 UTC

/** Write options that date a seeded write `hours` after 2025-09-01 08:00:00 UTC. */
export function seedAt(hours: number): { at: Date } {
  return { at: new Date(SEED_BASE + hours * 3_600_000) };
}
