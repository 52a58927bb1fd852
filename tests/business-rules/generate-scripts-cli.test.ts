import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGenerateScriptsCli } from '../../src/business-rules/generate-scripts-cli';
import { ConfigError } from '../../src/lib/errors';
import { TEST_SECRET } from './helpers/fixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-scripts-'));

function cli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = tmp(), now = new Date('2026-11-22T10:00:00Z')) {
  const lines: string[] = [];
  const code = runGenerateScriptsCli(argv, { env, cwd, print: (l) => lines.push(l), now: () => now });
  return { code, lines, cwd };
}

describe('snowgate generate-scripts', () => {
  it('with no instance configured, writes the sandbox files into servicenow-scripts/ with SNOWGATE_PUBLIC_URL', () => {
    const { code, cwd } = cli([], { SNOWGATE_PUBLIC_URL: 'https://gw.example.com/' });
    expect(code).toBe(0);
    const dir = path.join(cwd, 'servicenow-scripts');
    expect(fs.readdirSync(dir).sort()).toEqual(['README.md', 'fluent-app', 'sn_customerservice_case.js', 'sys_attachment.js', 'sys_journal_field.js', 'update-set.xml']);
    expect(fs.readdirSync(path.join(dir, 'fluent-app', 'src', 'fluent')).sort()).toEqual(['business-rules.now.ts', 'properties.now.ts']);
    expect(fs.readFileSync(path.join(dir, 'update-set.xml'), 'utf8')).toContain('https://gw.example.com/webhooks/sandbox');
  });

  it('defaults the URL to http://localhost:$PORT and honours --out and --instance', () => {
    const { cwd } = cli(['--instance', 'acme', '--out', 'out/rules'], { PORT: '8080' });
    expect(fs.readFileSync(path.join(cwd, 'out/rules/README.md'), 'utf8')).toContain('http://localhost:8080/webhooks/acme');
  });

  it('with SNOWGATE_CONFIG, picks its only instance and its extra tables', () => {
    const dir = tmp();
    const config = path.join(dir, 'snowgate.json');
    fs.writeFileSync(config, JSON.stringify({ instances: [{ id: 'acme', name: 'Acme', configuration: {
      'servicenow.instance_url': 'https://acme.service-now.com', 'authentication.type': 'basic', username: 'u', password: 'p',
      'webhook.secret': TEST_SECRET, 'webhook.tables': ['kb_knowledge'] } }] }));
    cli([], { SNOWGATE_CONFIG: config }, dir);
    expect(fs.readdirSync(path.join(dir, 'servicenow-scripts'))).toContain('kb_knowledge.js');
    const files = fs.readdirSync(path.join(dir, 'servicenow-scripts'), { recursive: true, encoding: 'utf8' });
    expect(files).toContain(path.join('fluent-app', 'src', 'server', 'kb_knowledge.server.js'));
    for (const f of files) {
      if (fs.statSync(path.join(dir, 'servicenow-scripts', f)).isFile()) expect(fs.readFileSync(path.join(dir, 'servicenow-scripts', f), 'utf8')).not.toContain(TEST_SECRET.slice(6));
    }
  });

  it('with --scope, writes the scoped-app rules and no update set; a bad scope is refused', () => {
    const { cwd } = cli(['--scope', 'x_acme_snowgate', '--out', 'scoped']);
    const out = path.join(cwd, 'scoped');
    expect(fs.existsSync(path.join(out, 'update-set.xml'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'sn_customerservice_case.js'), 'utf8')).toContain("'x_acme_snowgate.webhook.url'");
    expect(JSON.parse(fs.readFileSync(path.join(out, 'fluent-app', 'now.config.json'), 'utf8')).scope).toBe('x_acme_snowgate');
    expect(() => cli(['--scope', 'acme'])).toThrow(/not a scope name/);
  });

  it('regenerating an unchanged bundle later rewrites nothing (the update set keeps its date)', () => {
    const { cwd } = cli(['--out', 'o']);
    const before = fs.readFileSync(path.join(cwd, 'o/update-set.xml'), 'utf8');
    const again = cli(['--out', 'o'], {}, cwd, new Date('2027-01-01T00:00:00Z'));
    expect(again.lines.some((l) => l.includes('wrote'))).toBe(false);
    expect(fs.readFileSync(path.join(cwd, 'o/update-set.xml'), 'utf8')).toBe(before);
    const moved = cli(['--out', 'o', '--public-url', 'https://elsewhere.example.com'], {}, cwd, new Date('2027-01-01T00:00:00Z'));
    expect(moved.lines).toContain('  wrote update-set.xml');
    expect(fs.readFileSync(path.join(cwd, 'o/update-set.xml'), 'utf8')).toContain('unload_date="2027-01-01 00:00:00"');
  });

  it('rejects unknown options, missing values and ids that are not instance ids', () => {
    expect(() => cli(['--bogus'])).toThrow(ConfigError);
    expect(() => cli(['--instance'])).toThrow(/--instance needs a value/);
    expect(() => cli(['--instance', '../etc'])).toThrow(/not an instance id/);
    expect(() => cli([], { SNOWGATE_PUBLIC_URL: 'ftp://x' })).toThrow(/SNOWGATE_PUBLIC_URL/);
  });
});
