import { CORE_TABLES } from '../instances/instance';
import { GENERIC_WEBHOOK_FIELDS, WEBHOOK_FIELDS } from '../ingest/webhook-fields';
import { webhookProperties } from './system-properties';

/**
 * A business rule's "When": `async` for insert/update (off the user's transaction), `after` for delete in
 * the global scope; a scoped application's rules on tables of other scopes may only be `async` (or `before`).
 */
export type RuleWhen = 'async' | 'after';
export type RuleAction = 'insert' | 'update' | 'delete';

/** A scoped application's scope name: `x_` then lower-case letters, digits and `_`, 18 characters at most. */
export const SCOPE_PATTERN = /^x_[a-z0-9_]{1,16}$/;

/** The parent table whose journal entries and attachments are reported. */
export const PARENT_TABLE = 'sn_customerservice_case';

/**
 * Order of every generated rule. Late (the platform default is 100) so that the change reported is
 * the record as the instance's own rules left it.
 */
export const RULE_ORDER = 1000;

/** One business-rule record (`sys_script`) as an admin creates it. */
export interface BusinessRuleSpec {
  /** The rule's Name, unique per table: `snowgate webhook: <table> <actions>`. */
  name: string;
  table: string;
  when: RuleWhen;
  actions: readonly RuleAction[];
  order: number;
  /** The Advanced tab's Condition (server-side JavaScript, ES5). */
  condition: string;
  /** The script file the rule runs (one per table; a table's rules share it). */
  fileName: string;
}

/** One table's script: what it sends and which rules run it. */
export interface TableScriptSpec {
  table: string;
  fileName: string;
  /** Record fields sent as strings (`getValue`, null → ""). */
  fields: readonly string[];
  rules: readonly BusinessRuleSpec[];
}

const field = (name: string): string => `String(current.getValue('${name}'))`;

/**
 * Extra narrowing per table: journal entries and attachments only for the parent table (the gateway's
 * schema also accepts only the `comments` / `work_notes` journal elements). Strict comparisons of
 * strings, so the conditions lint clean (`eqeqeq`) and never compare a GlideElement object.
 */
const TABLE_CONDITIONS: Readonly<Record<string, string>> = {
  sys_journal_field: `${field('name')} === '${PARENT_TABLE}' && (${field('element')} === 'comments' || ${field('element')} === 'work_notes')`,
  sys_attachment: `${field('table_name')} === '${PARENT_TABLE}'`,
};

/** Which rules each core table needs; any other enabled table gets the case's pair. */
const TABLE_RULES: Readonly<Record<string, ReadonlyArray<{ when: RuleWhen; actions: readonly RuleAction[] }>>> = {
  sn_customerservice_case: [
    { when: 'async', actions: ['insert', 'update'] },
    { when: 'after', actions: ['delete'] },
  ],
  sys_journal_field: [{ when: 'async', actions: ['insert'] }],
  sys_attachment: [
    { when: 'async', actions: ['insert'] },
    { when: 'after', actions: ['delete'] },
  ],
};

/** The condition of a table's rules: the kill switch every rule checks (one property stops them all), then the table's narrowing. */
function conditionFor(table: string, scope?: string): string {
  const enabled = `String(gs.getProperty('${webhookProperties(scope).enabled.name}', 'true')) === 'true'`;
  const extra = TABLE_CONDITIONS[table];
  return extra ? `${enabled} && ${extra}` : enabled;
}

/**
 * The scripts and rules for a set of tables (default: the three core tables; an instance's extra
 * tables such as `kb_knowledge` get async insert/update + after delete and the generic field list).
 * With a `scope` (a scoped application) every rule is `async`: the tables belong to other scopes.
 */
export function tableScriptSpecs(tables: readonly string[] = CORE_TABLES, scope?: string): TableScriptSpec[] {
  return tables.map((table) => {
    const fileName = `${table}.js`;
    const rules = (TABLE_RULES[table] ?? TABLE_RULES.sn_customerservice_case).map(({ when, actions }) => ({
      name: `snowgate webhook: ${table} ${actions.join('/')}`,
      table,
      when: scope ? 'async' as const : when,
      actions,
      order: RULE_ORDER,
      condition: conditionFor(table, scope),
      fileName,
    }));
    return { table, fileName, fields: WEBHOOK_FIELDS[table] ?? GENERIC_WEBHOOK_FIELDS, rules };
  });
}
