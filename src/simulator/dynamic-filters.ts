import type { ScriptContext } from './script-values';

/**
 * The out-of-box dynamic filter options (`sys_filter_option_dynamic`) the `DYNAMIC` operator names by
 * sys_id, as clients in the wild use them: "Me" (`assigned_toDYNAMIC90d1…77fe`; the condition-builder
 * doc's example id `54635e…774c` is "Me" too) and "One of My Groups" (`assignment_groupDYNAMICd643…7744`).
 */
const DYNAMIC_FILTERS: Readonly<Record<string, (ctx: ScriptContext) => string[]>> = {
  '90d1921e5f510100a9ad2572f2b477fe': (ctx) => [ctx.userSysId],
  '54635e965f510100a9ad2572f2b4774c': (ctx) => [ctx.userSysId],
  d6435e965f510100a9ad2572f2b47744: (ctx) => ctx.userGroups?.() ?? [],
};

/** The values a `DYNAMIC<sys_id>` condition matches, or undefined for an unknown dynamic filter (invalid). */
export function dynamicFilterValues(sysId: string, ctx: ScriptContext): string[] | undefined {
  return DYNAMIC_FILTERS[sysId]?.(ctx);
}
