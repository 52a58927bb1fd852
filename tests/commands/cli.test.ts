import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT, runCli } from '../../src/commands/program';
import { freePort } from '../helpers/redis-server';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs the CLI in this process, capturing what it writes. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Runs `snowgate` from the sources in a child process, as a user would. */
function cliProcess(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-cli-'));
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'tests/helpers/swc-register.js'), path.join(ROOT, 'src/cli.ts'), ...argv], {
    cwd,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(timer);
    fs.rmSync(cwd, { recursive: true, force: true });
    resolve({ code, out, err });
  }));
}

/** Each command with the options and defaults its help must show. */
const COMMANDS: Array<[string, RegExp[]]> = [
  ['start', [/SNOWGATE_SIMULATOR_PORT\s+the sandbox's ServiceNow simulator \(default 3100\)/, /SNOWGATE_SANDBOX/, /PORT, HOST\s+HTTP listener \(default 3000, 0\.0\.0\.0\)/]],
  ['simulator', [/--port <n>\s+port to listen on \(0 = any free port\) \(default: 3100\)/, /--host <host>\s+interface to bind \(default: "127\.0\.0\.1"\)/, /--client-credentials\s+turn the client_credentials grant on/]],
  ['generate-scripts', [/--instance <id>/, /--out <dir>\s+output folder \(default: "servicenow-scripts"\)/, /--public-url <url>/, /--scope <x_scope>/]],
  ['backfill', [/--instance <id>/, /--since <time>/, /--page-size <n>\s+rows per request \(default: 500\)/]],
  ['partitions', [/--set <n>\s+start changing the partition count to n/, /--finish\s+end the change in progress/]],
];

describe('the snowgate command line', () => {
  it.each(COMMANDS)('when asked `%s --help` or `-h`, then it prints usage, options and defaults and exits 0', async (command, shown) => {
    for (const flag of ['--help', '-h']) {
      const { code, out } = await cli(command, flag);
      expect(code).toBe(EXIT.ok);
      expect(out).toContain(`Usage: snowgate ${command} [options]`);
      for (const pattern of shown) expect(out).toMatch(pattern);
    }
  });

  it('when asked for help with no command, then it lists every command', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(EXIT.ok);
    for (const [command] of COMMANDS) expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect((await cli('help', 'backfill')).out).toContain('Usage: snowgate backfill [options]');
  });

  it.each(COMMANDS.map(([c]) => [c]))('when `%s` gets an unknown option, then it is a usage error (exit 2) that names the option', async (command) => {
    const { code, err } = await cli(command, ...(command === 'backfill' ? ['--instance', 'x', '--since', '2026-01-01 00:00:00'] : []), '--bogus');
    expect(code).toBe(EXIT.usage);
    expect(err).toContain("error: unknown option '--bogus'");
  });

  it('when a value is malformed or a command unknown, then it is a usage error (exit 2) saying what is expected', async () => {
    const since = await cli('backfill', '--instance', 'acme', '--since', 'yesterday');
    expect(since.code).toBe(EXIT.usage);
    expect(since.err).toContain('expected "yyyy-MM-dd HH:mm:ss" (GMT)');
    const port = await cli('simulator', '--port', '70000');
    expect(port.code).toBe(EXIT.usage);
    expect(port.err).toContain('--port must be an integer from 0 to 65535');
    const scope = await cli('generate-scripts', '--scope', 'acme');
    expect([scope.code, scope.err]).toEqual([EXIT.usage, expect.stringContaining('expected a scope name')]);
    expect((await cli('backfill', '--since', '2026-01-01 00:00:00')).err).toContain("required option '--instance <id>' not specified");
    expect((await cli('frobnicate')).code).toBe(EXIT.usage);
  });

  it('when run as a process, `start --help` prints its help and exits instead of starting a gateway', async () => {
    const { code, out } = await cliProcess(['start', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: snowgate start [options]');
  });

  it('when a user mistake stops a command, then it says so in one line without a stack trace and exits 1', async () => {
    const closed = await freePort();
    const { code, out, err } = await cliProcess(['backfill', '--instance', 'acme', '--since', '2026-01-01 00:00:00'], { REDIS_URL: `redis://127.0.0.1:${closed}` });
    expect(code).toBe(EXIT.failed);
    expect(out).toBe('');
    expect(err).toBe(`snowgate: nothing answers at redis://127.0.0.1:${closed}: start the gateway first (npm start runs a private Redis when REDIS_URL is unset), or set REDIS_URL to the gateway's Redis\n`);
  });
});
