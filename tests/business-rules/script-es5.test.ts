import * as acorn from 'acorn';
import { sandboxBundle, TEST_SECRET } from './helpers/fixtures';
import { renderScriptFiles } from '../../src/business-rules/generate-scripts';
import { buildBusinessRuleBundle } from '../../src/business-rules/business-rule-bundle';

// eslint 8 ships no type declarations (and @types/eslint is not installed): the members used here.
interface LintMessage {
  ruleId: string | null;
  message: string;
}
interface EslintModule {
  ESLint: new (options: object) => { lintText(code: string, options: { filePath: string }): Promise<{ messages: LintMessage[] }[]> };
}
const { ESLint } = require('eslint') as EslintModule;

const bundle = sandboxBundle();
const scripts = bundle.scripts.map((s) => [s.fileName, s.script] as const);

const SERVICENOW_GLOBALS = {
  current: 'readonly', previous: 'readonly', gs: 'readonly', sn_ws: 'readonly', GlideCertificateEncryption: 'readonly',
  CertificateEncryption: 'readonly', GlideDateTime: 'readonly', GlideStringUtil: 'readonly',
} as const;

describe('generated business-rule scripts are ES5', () => {
  it.each(scripts)('%s parses with acorn at ecmaVersion 5 as a script', (_name, script) => {
    expect(() => acorn.parse(script, { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
  });

  it('every rule condition is one ES5 expression', () => {
    for (const rule of bundle.rules) expect(() => acorn.parseExpressionAt(rule.condition, 0, { ecmaVersion: 5 })).not.toThrow();
    for (const rule of bundle.rules) expect(acorn.parseExpressionAt(rule.condition, 0, { ecmaVersion: 5 }).end).toBe(rule.condition.length);
  });

  it.each(scripts)('%s has no ES2015+ tokens, trailing commas or non-ASCII', (_name, script) => {
    const tokens = [...acorn.tokenizer(script, { ecmaVersion: 5 })];
    const words = tokens.map((t) => String((t as { value?: unknown }).value));
    for (const banned of ['let', 'const', 'class', 'async', 'await', 'yield', 'of']) expect(words).not.toContain(banned);
    expect(script).not.toMatch(/=>|`/);
    tokens.forEach((t, i) => {
      if (t.type.label === ',') expect(['}', ']', ')']).not.toContain(tokens[i + 1]?.type.label);
    });
    expect(script).toMatch(/^[\x09\x0a\x20-\x7e]*$/);
  });

  // Node's globals are declared (env node) so that the plugin's no-unsupported-node-builtins rule can see
  // any use of them (it tracks declared globals only); no-undef catches everything else.
  const lintConfig = {
    parserOptions: { ecmaVersion: 5, sourceType: 'script' },
    env: { node: true },
    plugins: ['@servicenow/sdk-app-plugin'],
    extends: ['plugin:@servicenow/sdk-app-plugin/recommended'],
    globals: SERVICENOW_GLOBALS,
  } as const;

  it('they pass ServiceNow\'s ESLint plugin (recommended config), with no undefined globals', async () => {
    const eslint = new ESLint({
      useEslintrc: false,
      overrideConfig: {
        ...lintConfig,
        rules: { 'no-undef': 'error', 'no-unused-vars': ['error', { args: 'none' }], eqeqeq: 'error', 'no-redeclare': 'error' },
      },
    });
    for (const [name, script] of scripts) {
      const [result] = await eslint.lintText(script, { filePath: `servicenow-scripts/${name}` });
      expect({ name, messages: result!.messages }).toEqual({ name, messages: [] });
    }
  });

  it('the same ESLint setup does flag what ServiceNow cannot run (a Node builtin, a browser global)', async () => {
    const eslint = new ESLint({ useEslintrc: false, overrideConfig: lintConfig });
    const [result] = await eslint.lintText("var c = require('crypto'); window.alert(c);", { filePath: 'bad.js' });
    expect(result!.messages.map((m) => m.ruleId)).toEqual(expect.arrayContaining(['no-restricted-globals', '@servicenow/sdk-app-plugin/no-unsupported-node-builtins']));
  });
});

describe('no secret is inlined', () => {
  it('no generated file (scripts, README, update set) holds a whsec_ secret, for any public URL or instance', () => {
    const bundles = [bundle, buildBusinessRuleBundle({ instanceId: 'acme-prod', publicUrl: 'https://gw.example.com/', tables: ['sn_customerservice_case', 'sys_journal_field', 'sys_attachment', 'kb_knowledge'] })];
    for (const b of bundles) {
      for (const [name, content] of renderScriptFiles(b, new Date('2026-01-01T00:00:00Z'))) {
        expect({ name, secret: /whsec_[A-Za-z0-9+/=]{4,}/.exec(content)?.[0] }).toEqual({ name, secret: undefined });
        expect(content).not.toContain(TEST_SECRET.slice(6));
      }
    }
  });

  it('the scripts read the URL and the secret from system properties only', () => {
    for (const [, script] of scripts) {
      expect(script).toContain("gs.getProperty(URL_PROPERTY, '')");
      expect(script).toContain("gs.getProperty(SECRET_PROPERTY, '')");
      expect(script).not.toMatch(/https?:\/\//);
    }
  });
});
