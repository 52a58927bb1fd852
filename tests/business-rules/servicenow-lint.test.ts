import { buildBusinessRuleBundle } from '../../src/business-rules/business-rule-bundle';
import { createSnLinter, type LintMessage, type SnAlt } from './helpers/sn-lint';

/**
 * The generated rules pass `@admc.com/eslint-plugin-sn` (the ServiceNow scriptlet linter) for
 * `sys_script` in their scope: global scripts use only global APIs (GlideCertificateEncryption,
 * gs.logError with a source), scoped ones only scoped APIs (CertificateEncryption, gs.error), and the
 * conditions lint as `sys_script.condition` scriptlets. Warnings count as findings too.
 */
let lint: (code: string, table: string, alt: SnAlt) => Promise<LintMessage[]>;
beforeAll(async () => {
  lint = await createSnLinter();
}, 30_000);

const TABLES = ['sn_customerservice_case', 'sys_journal_field', 'sys_attachment', 'kb_knowledge'];
const variants: Array<[SnAlt, string | undefined]> = [['global', undefined], ['scoped-es5', 'x_acme_snowgate']];

const findings = (messages: LintMessage[]) => messages.map((m) => `${m.line}: ${m.ruleId ?? 'parse'}: ${m.message}`);

describe('generated business rules lint clean with @admc.com/eslint-plugin-sn', () => {
  it.each(variants)('%s scripts and conditions have no findings', async (alt, scope) => {
    const bundle = buildBusinessRuleBundle({ instanceId: 'acme', publicUrl: 'https://gw.example.com', tables: TABLES, scope });
    for (const s of bundle.scripts) {
      expect({ file: s.fileName, findings: findings(await lint(s.script, 'sys_script', alt)) }).toEqual({ file: s.fileName, findings: [] });
    }
    for (const rule of bundle.rules) {
      expect({ rule: rule.name, findings: findings(await lint(rule.condition, 'sys_script.condition', alt)) }).toEqual({ rule: rule.name, findings: [] });
    }
  });

  it('the same setup reports what the issue found in the old scripts (scoped API in global scope, the other way round)', async () => {
    const old = "(function executeRule(current, previous) {\n    var x = '';\n    try { x = String(CertificateEncryption.generateMac('a', 'HmacSHA256', 'b')); } catch (e) { gs.error('failed ' + e + x); }\n})(current, previous);\n";
    const rules = (await lint(old, 'sys_script', 'global')).map((m) => m.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['no-undef', '@admc.com/sn/no-log-scoped', '@admc.com/sn/no-init-emptystring']));
    const scopedWithGlobalLog = "(function executeRule(current, previous) {\n    gs.logError('x', 'snowgate');\n})(current, previous);\n";
    expect((await lint(scopedWithGlobalLog, 'sys_script', 'scoped-es5')).map((m) => m.ruleId)).toContain('@admc.com/sn/no-log-global');
  });
});
