import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { InstanceDefinition } from '../../src/instances/instance';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ChildGateway {
  child: ChildProcess;
  url: string;
  /** SIGKILL: the process dies mid-whatever, no shutdown. */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

/** Starts tests/helpers/gateway-process.ts in a child node process and waits for "ready". */
export function startChildGateway(env: Record<string, string>, instances: InstanceDefinition[]): Promise<ChildGateway> {
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'tests/helpers/swc-register.js'), path.join(ROOT, 'tests/helpers/gateway-process.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, SNOWGATE_TEST_INSTANCES: JSON.stringify(instances) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child gateway did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`child gateway exited with ${code}: ${stderr}`)));
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /ready (\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1],
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
  });
}
