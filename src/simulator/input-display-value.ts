import { isSysId, zonedGlideToUtc, type GlideRecord } from './glide-values';
import type { SimulatorKnobs } from './simulator-knobs';
import { TABLES, type TableDefinition } from './table-definitions';
import { operationFailed } from './write-error';

/** What converting one write needs besides the value: the rows to look references up in, and the writer. */
export interface InputContext {
  rows(table: string): GlideRecord[];
  /** The writer's sys_user time_zone (e.g. "GMT"). */
  timeZone: string;
  unknown: SimulatorKnobs['unknownInputDisplayValue'];
}

function referenceValue(target: string, column: string, value: string, ctx: InputContext): string {
  const rows = ctx.rows(target);
  if (isSysId(value) && rows.some((r) => r.sys_id === value)) return value;
  const displayField = TABLES.get(target)!.displayField;
  const match = rows.find((r) => r[displayField] === value);
  if (match) return match.sys_id;
  if (ctx.unknown === 'empty') return '';
  if (ctx.unknown === 'reject') throw operationFailed(`Invalid display value '${value}' for reference field ${column} (no ${target} record has it)`);
  return value;
}

function choiceValue(choices: Readonly<Record<string, string>>, value: string): string {
  if (value in choices) return value;
  const entries = Object.entries(choices);
  const match = entries.find(([, label]) => label === value) ?? entries.find(([, label]) => label.toLowerCase() === value.toLowerCase());
  return match ? match[0] : value;
}

/**
 * `sysparm_input_display_value=true`: turns what a client wrote as a display value into the stored
 * value, as ServiceNow "tries to resolve the input" — a reference's display value (or its sys_id)
 * becomes the sys_id, a choice label ("2 - High", "In Progress") its value, a date-time in the
 * writer's time zone the UTC DB value. Anything else is stored as given.
 */
export function fromInputDisplayValue(def: TableDefinition, column: string, value: string, ctx: InputContext): string {
  if (value === '') return value;
  const target = def.references[column];
  if (target) return referenceValue(target, column, value, ctx);
  const choices = def.choices[column];
  if (choices) return choiceValue(choices, value);
  if (def.dateTimes.includes(column)) return zonedGlideToUtc(value, ctx.timeZone) ?? value;
  return value;
}
