import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FLUENT_APP_DIR, renderFluentApp } from '../../src/business-rules/fluent-app';
import { buildBusinessRuleBundle } from '../../src/business-rules/business-rule-bundle';
import { child, parseXml, textOf, type XmlElement } from './helpers/xml-parser';

/**
 * The generated ServiceNow SDK app builds with the real `now-sdk build` (a devDependency; the build
 * needs no network) into the records a ServiceNow instance installs: one sys_script per rule with our
 * script, condition and When, one sys_properties per property, all in the app's scope.
 */
const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const text = (el: XmlElement, name: string): string => textOf(child(el, name));

async function build(files: Map<string, string>): Promise<Map<string, XmlElement>> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-fluent-'));
  for (const [name, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  const app = path.join(dir, FLUENT_APP_DIR);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'));
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', '@servicenow', 'sdk', 'bin', 'index.js'), 'build'], { cwd: app, timeout: 150_000 });
  const out = path.join(app, 'dist', 'app', 'update');
  const records = new Map<string, XmlElement>();
  for (const file of fs.readdirSync(out)) {
    const root = parseXml(fs.readFileSync(path.join(out, file), 'utf8'));
    const record = root.children.find((c): c is XmlElement => typeof c !== 'string')!;
    records.set(file, record);
  }
  return records;
}

describe('the ServiceNow SDK app', () => {
  it('when built with now-sdk, then it yields one sys_script per rule (our script, condition, async) and the properties in the app scope', async () => {
    const bundle = buildBusinessRuleBundle({ instanceId: 'acme', publicUrl: 'https://gw.example.com', scope: 'x_acme_snowgate' });
    const records = await build(renderFluentApp(bundle));
    const rules = [...records.values()].filter((r) => r.name === 'sys_script');
    expect(rules.map((r) => text(r, 'name')).sort()).toEqual(bundle.rules.map((r) => r.name).sort());
    for (const rule of bundle.rules) {
      const record = rules.find((r) => text(r, 'name') === rule.name)!;
      expect(text(record, 'collection')).toBe(rule.table);
      expect(text(record, 'when')).toBe('async_always');
      expect(text(record, 'condition')).toBe(rule.condition);
      expect(text(record, 'script')).toBe(bundle.scripts.find((s) => s.table === rule.table)!.script);
      expect(child(record, 'sys_scope').attributes.display_value).toBe('x_acme_snowgate');
      expect(text(record, 'action_delete')).toBe(String(rule.actions.includes('delete')));
    }
    const properties = [...records.values()].filter((r) => r.name === 'sys_properties');
    expect(properties.map((p) => text(p, 'name')).sort()).toEqual(['x_acme_snowgate.webhook.enabled', 'x_acme_snowgate.webhook.secret', 'x_acme_snowgate.webhook.url']);
    expect(text(properties.find((p) => text(p, 'name').endsWith('.url'))!, 'value')).toBe('https://gw.example.com/webhooks/acme');
  }, 180_000);
});
